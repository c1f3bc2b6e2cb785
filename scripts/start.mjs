#!/usr/bin/env node
// `pnpm start`: the whole stack in one terminal on embedded defaults — Redis (yours at REDIS_URL, or a private
// redis-server with AOF under .data/), the Genesys simulator unless Genesys credentials are set, the ingest API and
// a worker. Generates local credentials into .data/local.env. Ctrl-C stops everything cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// DIRSYNC_DATA_DIR moves local state (credentials, a private Redis's AOF) elsewhere, e.g. for tests.
const dataDir = path.resolve(root, process.env.DIRSYNC_DATA_DIR || '.data');
const localEnvFile = path.join(dataDir, 'local.env');
const colors = { redis: 31, sim: 35, api: 36, worker: 33, start: 32 };
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;

function say(source, line) {
  const tag = `[${source}]`.padEnd(9);
  process.stdout.write(`${useColor ? `\x1b[${colors[source] ?? 0}m${tag}\x1b[0m` : tag}${line}\n`);
}

/** Reads KEY=VALUE lines. */
function readEnvFile(file) {
  if (!fs.existsSync(file)) return {};
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** Local credentials: the environment wins, then .data/local.env, else new random ones (saved for `pnpm demo`). */
function localCredentials() {
  fs.mkdirSync(dataDir, { recursive: true });
  const saved = readEnvFile(localEnvFile);
  const creds = {
    WEBHOOK_SECRET:
      process.env.WEBHOOK_SECRET || saved.WEBHOOK_SECRET || `whsec_${randomBytes(32).toString('base64')}`,
    ADMIN_USER: process.env.ADMIN_USER || saved.ADMIN_USER || 'admin',
    ADMIN_PASSWORD:
      process.env.ADMIN_PASSWORD || saved.ADMIN_PASSWORD || randomBytes(18).toString('base64url'),
  };
  return creds;
}

/** Sends PING over a raw socket: true when a Redis answers. */
function pingRedis(url, timeoutMs = 1000) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      if (u.password)
        socket.write(
          `AUTH ${u.username ? `${decodeURIComponent(u.username)} ` : ''}${decodeURIComponent(u.password)}\r\n`,
        );
      socket.write('PING\r\n');
    });
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      if (buffer.includes('+PONG')) done(true);
      else if (buffer.includes('-')) done(false);
    });
  });
}

async function waitFor(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
}

async function httpOk(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

const children = [];
let shuttingDown = false;

function run(name, command, args, env) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push({ name, child });
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) say(name, line);
    });
  }
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      say('start', `${name} exited unexpectedly (${signal ?? code}); stopping the stack`);
      void shutdown(1);
    }
  });
  return child;
}

async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  say('start', 'stopping…');
  // Apps first (they drain in-flight work), Redis last so they can finish writing.
  const order = [...children].reverse().sort((a, b) => (a.name === 'redis') - (b.name === 'redis'));
  for (const { name, child } of order) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    await exited;
    clearTimeout(timer);
    say('start', `${name} stopped`);
  }
  process.exit(code);
}

async function main() {
  for (const app of ['ingest-api', 'worker', 'genesys-sim']) {
    if (!fs.existsSync(path.join(root, 'apps', app, 'dist', 'main.js'))) {
      throw new Error(
        `apps/${app} is not built: run it through \`pnpm start\` (which builds first) or \`pnpm build\``,
      );
    }
  }
  const creds = localCredentials();
  fs.writeFileSync(
    localEnvFile,
    `# Generated by pnpm start for local use; pnpm demo reads it. Delete it to get new credentials.\n${Object.entries(
      creds,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );

  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (await pingRedis(redisUrl)) {
    say('start', `using the Redis at ${redisUrl}`);
  } else {
    const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
    if (!hasRedisServer) {
      throw new Error(
        `nothing answers at REDIS_URL=${redisUrl} and redis-server is not on PATH.\n` +
          'Get Redis one of these ways, then run pnpm start again:\n' +
          '  - install it: apt install redis-server | brew install redis | https://redis.io/docs/latest/operate/oss_and_stack/install/\n' +
          '  - run it in a container: docker run -d -p 6379:6379 redis:7 --appendonly yes\n' +
          '  - point REDIS_URL at one you have: REDIS_URL=redis://host:6379 pnpm start',
      );
    }
    const u = new URL(redisUrl);
    const redisDir = path.join(dataDir, 'redis');
    fs.mkdirSync(redisDir, { recursive: true });
    say(
      'start',
      `no Redis at ${redisUrl}: starting a private redis-server with AOF in ${path.relative(root, redisDir)}`,
    );
    run('redis', 'redis-server', [
      '--port',
      u.port || '6379',
      '--bind',
      u.hostname === 'localhost' ? '127.0.0.1' : u.hostname,
      '--dir',
      redisDir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ]);
    await waitFor(() => pingRedis(redisUrl), 'redis-server');
  }

  const env = { REDIS_URL: redisUrl, LOG_LEVEL: process.env.LOG_LEVEL || 'info', ...creds };
  const useSimulator = !process.env.GENESYS_CLIENT_ID;
  const simPort = process.env.SIM_PORT || '4010';
  if (useSimulator) {
    const simEnv = {
      ...env,
      SIM_PORT: simPort,
      SIM_ADMIN: process.env.SIM_ADMIN || '1',
      GENESYS_CLIENT_ID: 'dirsync-local',
      GENESYS_CLIENT_SECRET: 'dirsync-local-secret',
    };
    run('sim', process.execPath, ['apps/genesys-sim/dist/main.js'], simEnv);
    await waitFor(
      () => httpOk(`http://127.0.0.1:${simPort}/api/v2/scim/v2/ServiceProviderConfig`),
      'the simulator',
    );
    Object.assign(env, {
      GENESYS_BASE_URL: `http://127.0.0.1:${simPort}`,
      GENESYS_LOGIN_URL: `http://127.0.0.1:${simPort}`,
      GENESYS_CLIENT_ID: 'dirsync-local',
      GENESYS_CLIENT_SECRET: 'dirsync-local-secret',
    });
  }
  const port = process.env.PORT || '3000';
  run('api', process.execPath, ['apps/ingest-api/dist/main.js'], { ...env, PORT: port });
  run('worker', process.execPath, ['apps/worker/dist/main.js'], env);
  await waitFor(() => httpOk(`http://127.0.0.1:${port}/readyz`), 'the ingest API');

  const base = `http://127.0.0.1:${port}`;
  const banner = [
    '',
    'dirsync is running.',
    `  webhook     POST ${base}/webhooks/directory-sync   (Standard Webhooks, secret below)`,
    `  dashboard   ${base}/admin/queues                   user ${creds.ADMIN_USER} / password ${creds.ADMIN_PASSWORD}`,
    `  reports     ${base}/admin/reports`,
    `  metrics     ${base}/metrics  and  http://127.0.0.1:${process.env.WORKER_METRICS_PORT || '9464'}/metrics (worker)`,
    useSimulator
      ? `  target      Genesys simulator at http://127.0.0.1:${simPort} (operator routes under /__sim)`
      : `  target      ${process.env.GENESYS_BASE_URL || 'https://api.mypurecloud.com'}`,
    `  secret      WEBHOOK_SECRET=${creds.WEBHOOK_SECRET}`,
    `  saved in    ${path.relative(root, localEnvFile) || localEnvFile} (pnpm demo reads it)`,
    '',
    'Try it: pnpm demo   (in another terminal)      Stop: Ctrl-C',
    '',
  ];
  for (const line of banner) say('start', line);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((error) => {
  say('start', `cannot start: ${error.message}`);
  void shutdown(1);
});
