import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimAdminClient } from '@dirsync/genesys-sim';
import { findFreePort, REPO_ROOT, readEnvFile } from '@dirsync/harness';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { hr, waitUntil } from './cluster.js';

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(500) });
    return true;
  } catch {
    return false;
  }
}

describe('pnpm start', () => {
  it('brings up Redis, the simulator, the API and a worker; an event flows through; Ctrl-C stops it all', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-start-'));
    // A data folder and credentials file left readable by others (an older start, a copy): start keeps the saved
    // credentials and makes both private again.
    fs.chmodSync(dataDir, 0o755);
    fs.writeFileSync(path.join(dataDir, 'local.env'), 'ADMIN_USER=kept-admin\n', { mode: 0o644 });
    fs.chmodSync(path.join(dataDir, 'local.env'), 0o644);
    const [port, simPort, metricsPort, redisPort] = await Promise.all([
      findFreePort(),
      findFreePort(),
      findFreePort(),
      findFreePort(),
    ]);
    // Nothing answers at this REDIS_URL: start must run its own redis-server with AOF in the data dir.
    const child = spawn(process.execPath, ['--conditions=@dirsync/source', 'scripts/run.mjs', 'start'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DIRSYNC_DATA_DIR: dataDir,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        PORT: String(port),
        SIM_PORT: String(simPort),
        WORKER_METRICS_PORT: String(metricsPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout.on('data', (c) => output.push(String(c)));
    child.stderr.on('data', (c) => output.push(String(c)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitUntil(
        async () => output.join(''),
        (text) => text.includes('dirsync is running.') || child.exitCode !== null,
        {
          what: 'pnpm start to come up',
          timeoutMs: 60_000,
        },
      );
      expect(child.exitCode).toBe(null);
      const banner = output.join('');
      expect(banner).toContain(`POST http://127.0.0.1:${port}/webhooks/directory-sync`);
      expect(banner).toContain(`http://127.0.0.1:${port}/admin/queues`);
      expect(fs.existsSync(path.join(dataDir, 'redis', 'appendonlydir'))).toBe(true);

      const env = readEnvFile(path.join(dataDir, 'local.env'));
      expect(env.WEBHOOK_SECRET).toMatch(/^whsec_/);
      expect(env.ADMIN_USER).toBe('kept-admin');
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(dataDir, 'local.env')).mode & 0o777).toBe(0o600);
      expect(banner).toContain(env.ADMIN_PASSWORD);

      const body = JSON.stringify({ id: 'start-1', event: 'user.created', data: hr('START-1') });
      const at = new Date();
      const res = await fetch(`http://127.0.0.1:${port}/webhooks/directory-sync`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'start-delivery',
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(env.WEBHOOK_SECRET ?? '').sign('start-delivery', at, body),
        },
        body,
      });
      expect(res.status).toBe(202);
      const sim = new SimAdminClient(`http://127.0.0.1:${simPort}`);
      const state = await waitUntil(
        () => sim.getUserByExternalId('START-1'),
        (s) => s?.user != null,
        {
          what: 'the event to reach the simulator',
        },
      );
      expect(state?.user?.userName).toBe('start-1@example.org');
      const reports = await fetch(`http://127.0.0.1:${port}/admin/reports`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${env.ADMIN_USER}:${env.ADMIN_PASSWORD}`).toString('base64')}`,
        },
      });
      expect(reports.status).toBe(200);
    } finally {
      child.kill('SIGINT');
      const code = await exited;
      expect(code).toBe(0);
      expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBe(false);
      expect(await answers(`http://127.0.0.1:${simPort}/healthz`)).toBe(false);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
