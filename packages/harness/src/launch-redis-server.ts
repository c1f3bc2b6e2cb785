import { spawnSync } from 'node:child_process';
import { ManagedProcess, type ProcessOutput } from './managed-process.js';
import { pingRedis } from './ping-redis.js';
import { waitUntil } from './wait-until.js';

/** What to tell someone who has no `redis-server`. */
export const HOW_TO_INSTALL_REDIS =
  'apt install redis-server | brew install redis | https://redis.io/docs/latest/operate/oss_and_stack/install/';

/** True when `binary` (`redis-server` by default) can be started from PATH. */
export function hasRedisServerBinary(binary: 'redis-server' | 'redis-cli' = 'redis-server'): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Throws a message naming the missing prerequisite and how to get it, so a suite that needs several Redis servers
 * fails clearly instead of timing out.
 */
export function requireRedisBinaries(suite: string, binaries: ('redis-server' | 'redis-cli')[]): void {
  for (const binary of binaries) {
    if (!hasRedisServerBinary(binary)) {
      throw new Error(`${suite} need ${binary} (Redis 7) on PATH: ${HOW_TO_INSTALL_REDIS}`);
    }
  }
}

/** Every `redis-server` launched here and not yet seen to exit. */
const live = new Set<ManagedProcess>();

// A run that dies before its clean-up must not leave servers behind on the machine.
process.once('exit', () => {
  for (const server of live) server.child.kill('SIGKILL');
});

/**
 * Starts `redis-server args…` and resolves once it answers PING at `url`; throws with its last output (or `logTail`)
 * when it exits first or does not answer within 10 s. The one way this repository starts a Redis server.
 */
export async function launchRedisServer(options: {
  args: readonly string[];
  url: string;
  output?: ProcessOutput;
  /** The server's own log, for the error message, when it writes one (a `logfile` in its config). */
  logTail?: () => string;
}): Promise<ManagedProcess> {
  const server = new ManagedProcess({
    name: 'redis',
    command: 'redis-server',
    args: options.args,
    env: { PATH: process.env.PATH },
    output: options.output ?? { kind: 'ignore' },
  });
  live.add(server);
  void server.exited.then(() => live.delete(server));
  const tail = () => options.logTail?.() ?? server.tail();
  try {
    await waitUntil(
      () => pingRedis(options.url),
      (up) => up,
      {
        what: `redis-server (${options.args.join(' ')}) to answer`,
        timeoutMs: 10_000,
        intervalMs: 50,
        failed: () => (server.running ? undefined : `it exited on start:\n${tail()}`),
      },
    );
  } catch (error) {
    await server.stop('SIGKILL');
    throw error;
  }
  return server;
}
