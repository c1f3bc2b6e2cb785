import { randomBytes } from 'node:crypto';
import {
  findFreePort,
  hasRedisServerBinary,
  httpOk,
  type ManagedProcess,
  ProcessGroup,
  pingRedis,
  waitUntil,
} from '@dirsync/harness';
import { Redis } from 'ioredis';

const SIM_CLIENT = { GENESYS_CLIENT_ID: 'dirsync-local', GENESYS_CLIENT_SECRET: 'dirsync-local-secret' };

/** A private stack for one screenshot run: nothing of it touches a `pnpm start` running beside it. */
export interface ScreenStack {
  apiUrl: string;
  credentials: { WEBHOOK_SECRET: string; ADMIN_USER: string; ADMIN_PASSWORD: string };
  group: ProcessGroup;
  /** Stops the apps, the simulator and a private Redis. */
  stop(): Promise<void>;
}

async function waitReady(child: ManagedProcess, url: string): Promise<void> {
  await waitUntil(() => httpOk(url), Boolean, {
    what: `${child.name} to come up`,
    timeoutMs: 30_000,
    failed: () => (child.running ? undefined : `it exited:\n${child.tail()}`),
  });
}

/** Redis for the run: a private redis-server when there is one on PATH, else the one at REDIS_URL. */
async function chooseRedis(
  group: ProcessGroup,
  say: (line: string) => void,
): Promise<{ url: string; shared: boolean }> {
  if (hasRedisServerBinary()) {
    const server = await group.startRedis();
    say(`a private redis-server at ${server.url}`);
    return { url: server.url, shared: false };
  }
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (!(await pingRedis(url))) {
    throw new Error(`redis-server is not on PATH and nothing answers at REDIS_URL=${url}`);
  }
  say(`the Redis at ${url} (keys under a prefix of their own, deleted at the end)`);
  return { url, shared: true };
}

/** Deletes the run's keys from a shared Redis (never FLUSHALL). */
async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  try {
    for (const pattern of [`${prefix}*`, `{${prefix}}*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * Starts the built apps the way `pnpm start` does — the Genesys simulator as the target, the ingest API and a
 * worker — on free ports, a QUEUE_PREFIX of their own and fresh credentials.
 */
export async function startScreenStack(say: (source: string, line: string) => void): Promise<ScreenStack> {
  const group = new ProcessGroup({
    output: 'memory',
    onExit: (child, exit) => say('shots', `${child.name} exited (${exit.signal ?? exit.code})`),
  });
  try {
    const redis = await chooseRedis(group, (line) => say('shots', `Redis: ${line}`));
    const prefix = `screens-${randomBytes(4).toString('hex')}`;
    const credentials = {
      WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
      ADMIN_USER: 'admin',
      ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
    };
    const [simPort, apiPort, metricsPort] = [
      await findFreePort(),
      await findFreePort(),
      await findFreePort(),
    ];
    const simUrl = `http://127.0.0.1:${simPort}`;
    const sim = group.spawnApp('sim', 'sim', { ...SIM_CLIENT, SIM_PORT: String(simPort), SIM_ADMIN: '1' });
    await waitReady(sim, `${simUrl}/healthz`);
    const env = {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      ...SIM_CLIENT,
      GENESYS_BASE_URL: simUrl,
      GENESYS_LOGIN_URL: simUrl,
      ...credentials,
    };
    const api = group.spawnApp('api', 'api', { ...env, PORT: String(apiPort) });
    group.spawnApp('worker', 'worker', { ...env, WORKER_METRICS_PORT: String(metricsPort) });
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitReady(api, `${apiUrl}/readyz`);
    const stop = async () => {
      await group.stopAll();
      if (redis.shared) await deleteKeys(redis.url, prefix);
    };
    return { apiUrl, credentials, group, stop };
  } catch (error) {
    await group.stopAll();
    throw error;
  }
}
