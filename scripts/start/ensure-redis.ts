import path from 'node:path';
import {
  HOW_TO_INSTALL_REDIS,
  hasRedisServerBinary,
  type ProcessGroup,
  pingRedis,
  REPO_ROOT,
} from '@dirsync/harness';
import { say } from './say.js';

/**
 * Uses the Redis at `url` when one answers; otherwise starts a private redis-server there (AOF under
 * `<dataDir>/redis`), or fails saying how to get Redis.
 */
export async function ensureRedis(group: ProcessGroup, url: string, dataDir: string): Promise<void> {
  if (await pingRedis(url)) {
    say('start', `using the Redis at ${url}`);
    return;
  }
  if (!hasRedisServerBinary()) {
    throw new Error(
      `nothing answers at REDIS_URL=${url} and redis-server is not on PATH.\n` +
        'Get Redis one of these ways, then run pnpm start again:\n' +
        `  - install it: ${HOW_TO_INSTALL_REDIS}\n` +
        '  - run it in a container: docker run -d -p 6379:6379 redis:7 --appendonly yes\n' +
        '  - point REDIS_URL at one you have: REDIS_URL=redis://host:6379 pnpm start',
    );
  }
  const { hostname, port } = new URL(url);
  const dir = path.join(dataDir, 'redis');
  say(
    'start',
    `no Redis at ${url}: starting a private redis-server with AOF in ${path.relative(REPO_ROOT, dir)}`,
  );
  await group.startRedis({
    port: Number(port || 6379),
    bind: hostname === 'localhost' ? '127.0.0.1' : hostname,
    dir,
    appendOnly: 'everysec',
  });
}
