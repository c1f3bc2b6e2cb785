// `pnpm start`: the whole stack in one terminal on embedded defaults — Redis (yours at REDIS_URL, or a private
// redis-server with AOF under .data/), the Genesys simulator unless Genesys credentials are set, the ingest API and
// a worker. Generates local credentials into .data/local.env. Ctrl-C stops everything cleanly.
import path from 'node:path';
import { httpOk, type ManagedProcess, ProcessGroup, REPO_ROOT, waitUntil } from '@dirsync/harness';
import { printBanner } from './start/banner.js';
import { ensureRedis } from './start/ensure-redis.js';
import { loadLocalCredentials } from './start/local-credentials.js';
import { say } from './start/say.js';

// DIRSYNC_DATA_DIR moves local state (credentials, a private Redis's AOF) elsewhere, e.g. for tests.
const dataDir = path.resolve(REPO_ROOT, process.env.DIRSYNC_DATA_DIR || '.data');
const SIM_CLIENT = { GENESYS_CLIENT_ID: 'dirsync-local', GENESYS_CLIENT_SECRET: 'dirsync-local-secret' };

let shuttingDown = false;
const group = new ProcessGroup({
  output: 'memory',
  onLine: say,
  inheritEnv: true,
  onExit: (child, exit) => {
    say('start', `${child.name} exited unexpectedly (${exit.signal ?? exit.code}); stopping the stack`);
    void shutdown(1);
  },
});

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  say('start', 'stopping…');
  // Apps drain first, Redis stops last so they can finish writing.
  await group.stopAll();
  for (const exit of group.exits) say('start', `${exit.name} stopped`);
  process.exit(code);
}

async function waitReady(child: ManagedProcess, url: string): Promise<void> {
  await waitUntil(() => httpOk(url), Boolean, {
    what: `${child.name} to come up`,
    timeoutMs: 30_000,
    failed: () => (child.running ? undefined : 'it exited'),
  });
}

async function main(): Promise<void> {
  const { credentials, file } = loadLocalCredentials(dataDir);
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  await ensureRedis(group, redisUrl, dataDir);

  const env: Record<string, string> = { REDIS_URL: redisUrl, LOG_LEVEL: process.env.LOG_LEVEL || 'info' };
  Object.assign(env, credentials);
  const useSimulator = !process.env.GENESYS_CLIENT_ID;
  let simUrl: string | undefined;
  if (useSimulator) {
    const simPort = process.env.SIM_PORT || '4010';
    simUrl = `http://127.0.0.1:${simPort}`;
    const sim = group.spawnApp('sim', 'sim', {
      ...env,
      ...SIM_CLIENT,
      SIM_PORT: simPort,
      SIM_ADMIN: process.env.SIM_ADMIN || '1',
    });
    await waitReady(sim, `${simUrl}/healthz`);
    Object.assign(env, SIM_CLIENT, { GENESYS_BASE_URL: simUrl, GENESYS_LOGIN_URL: simUrl });
  }
  const port = process.env.PORT || '3000';
  const api = group.spawnApp('api', 'api', { ...env, PORT: port });
  group.spawnApp('worker', 'worker', env);
  const apiUrl = `http://127.0.0.1:${port}`;
  await waitReady(api, `${apiUrl}/readyz`);
  printBanner({ apiUrl, credentials, credentialsFile: file, simUrl });
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((error: unknown) => {
  say('start', `cannot start: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
