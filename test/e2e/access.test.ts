import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { findFreePort, type ManagedProcess, ProcessGroup } from '@dirsync/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, Cluster, hr, SECRET, stopAndCheck, waitUntil } from './cluster.js';

// Processes started beside the cluster (some are meant to exit 1, which the cluster's clean-exit check refuses).
const extra = new ProcessGroup({ output: 'memory', appEnv: { LOG_LEVEL: 'debug' } });
const spawnApp = (name: string, app: 'api' | 'worker', env: Record<string, string>) =>
  extra.spawnApp(name, app, env);
type AppProcess = ManagedProcess;

import { recordFigures } from './figures.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request from a chosen loopback address and with a chosen Host (fetch can set neither). */
function send(
  url: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
    from?: string;
  },
): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        localAddress: options.from,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts one more API process on a free port and waits until it is ready. */
async function startExtraApi(
  cluster: Cluster,
  name: string,
  env: Record<string, string>,
): Promise<{ app: AppProcess; url: string; port: number }> {
  const port = await findFreePort();
  const app = spawnApp(name, 'api', {
    REDIS_URL: cluster.redis.url,
    QUEUE_PREFIX: `${cluster.prefix}-${name}`,
    PORT: String(port),
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () =>
      app.child.exitCode !== null ||
      (await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )),
    Boolean,
    { what: `${name} to be ready`, timeoutMs: 30_000 },
  );
  if (app.child.exitCode !== null) throw new Error(`${name} exited: ${app.lines.join('\n')}`);
  return { app, url, port };
}

async function stopExtraApi(app: AppProcess): Promise<void> {
  app.child.kill('SIGTERM');
  expect((await app.exited).code).toBe(0);
}

const PERSONAL = [
  'Grace',
  'Hopper',
  'grace.hopper@example.org',
  '+15555550199',
  'Rear Admiral',
  'Finance-Confidential',
];

describe('access and secrets', () => {
  let cluster: Cluster;
  let stoppedInTest = false;
  beforeAll(async () => {
    cluster = await Cluster.start({ workers: 1 });
  });
  afterAll(async () => {
    await extra.stopAll();
    if (!stoppedInTest) await stopAndCheck(cluster, PERSONAL);
  });

  it('dashboard and admin routes refuse missing and wrong credentials', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/admin/queues'],
      ['GET', '/admin/queues/api/queues'],
      ['GET', '/admin/reports'],
      ['GET', '/admin/reports/any'],
      ['GET', '/admin/status'],
      ['POST', '/admin/preview'],
      ['POST', '/admin/reconcile'],
    ];
    let refused = 0;
    for (const [index, [method, route]] of routes.entries()) {
      // Each route's wrong guesses from an address of their own, so the sign-in backoff (tested below) stays out.
      const from = `127.0.0.${10 + index}`;
      const body = method === 'POST' ? '{}' : undefined;
      const json = { 'content-type': 'application/json' };
      const none = await send(cluster.apiUrl, { method, path: route, headers: json, body, from });
      const wrong = await send(cluster.apiUrl, {
        method,
        path: route,
        headers: { ...json, authorization: basic(ADMIN.user, 'guess') },
        body,
        from,
      });
      const wrongUser = await send(cluster.apiUrl, {
        method,
        path: route,
        headers: { ...json, authorization: basic('root', ADMIN.password) },
        body,
        from,
      });
      expect([none.status, wrong.status, wrongUser.status], route).toEqual([401, 401, 401]);
      refused += 3;
      const right = await cluster.admin(route, { method, body: method === 'POST' ? '{}' : undefined });
      expect(right.status, route).not.toBe(401);
    }
    recordFigures('access', {
      property:
        'admin routes need credentials; production refuses to start without secrets; no secret or personal field in any log line',
      figures: { 'unauthenticated requests refused': refused, 'routes checked': routes.length },
    });
  });

  it('repeated wrong passwords back off (429, Retry-After); other clients sign in as usual', async () => {
    const statuses: number[] = [];
    let retryAfter = '';
    for (let i = 0; i < 40; i++) {
      const res = await send(cluster.apiUrl, {
        path: '/admin/status',
        headers: { authorization: basic(ADMIN.user, `guess-${i}`) },
        from: '127.0.0.99',
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = String(res.headers['retry-after']);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await cluster.admin('/admin/status')).status).toBe(200);
  });

  it('admin answers carry browser-facing headers; writes take JSON from no other site; the board allowlist holds', async () => {
    for (const route of ['/admin/status', '/admin/queues', '/admin/reports']) {
      const res = await cluster.admin(route, { headers: { accept: 'text/html' } });
      expect(res.status, route).toBe(200);
      expect(res.headers.get('content-security-policy'), route).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), route).toBe('nosniff');
      expect(res.headers.get('cache-control'), route).toBe('no-store');
    }
    // The probe: a text/plain POST started a reconcile dry run.
    const plain = await cluster.admin('/admin/reconcile', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(plain.status).toBe(415);
    const crossSite = await cluster.admin('/admin/reconcile', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    // A job added through the board would bypass the reconcile route's checks; resume would undo a quarantine.
    for (const [method, route] of [
      ['POST', '/admin/queues/api/queues/reconcile/add'],
      ['PUT', '/admin/queues/api/queues/sync/resume'],
      ['PUT', '/admin/queues/api/queues/resume'],
      ['PUT', '/admin/queues/api/queues/sync/obliterate'],
    ] as const) {
      const res = await cluster.admin(route, {
        method,
        body: method === 'POST' ? JSON.stringify({ name: 'reconcile', data: { apply: true } }) : undefined,
      });
      expect(res.status, route).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('board_action_forbidden');
    }
  });

  it('without admin credentials, loopback clients must name a loopback Host (DNS rebinding)', async () => {
    const { app, url, port } = await startExtraApi(cluster, 'api-no-admin', { WEBHOOK_SECRET: SECRET });
    try {
      for (const path of ['/admin/status', '/admin/reports']) {
        expect((await send(url, { path, headers: { host: 'attacker.example' } })).status, path).toBe(403);
        expect((await send(url, { path, headers: { host: `localhost:${port}` } })).status, path).toBe(200);
      }
    } finally {
      await stopExtraApi(app);
    }
  });

  it('without WEBHOOK_SECRET the API refuses to start unless ALLOW_UNSIGNED_WEBHOOKS=1, then serves loopback only', async () => {
    const port = String(await findFreePort());
    const refused = spawnApp('api-unsigned-refused', 'api', { REDIS_URL: cluster.redis.url, PORT: port });
    expect((await refused.exited).code).toBe(1);
    expect(refused.lines.join('\n')).toMatch(/WEBHOOK_SECRET: not set.*ALLOW_UNSIGNED_WEBHOOKS=1/);

    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!external) throw new Error('this test needs a non-loopback IPv4 interface to connect through');
    const { app, port: unsignedPort } = await startExtraApi(cluster, 'api-unsigned', {
      ALLOW_UNSIGNED_WEBHOOKS: '1',
      ADMIN_USER: ADMIN.user,
      ADMIN_PASSWORD: ADMIN.password,
    });
    try {
      expect(await canConnect('127.0.0.1', unsignedPort)).toBe(true);
      expect(await canConnect(external, unsignedPort)).toBe(false);
    } finally {
      await stopExtraApi(app);
    }
  });

  it('production refuses weak secrets and ALLOW_UNSIGNED_WEBHOOKS, naming each variable', async () => {
    const weak = spawnApp('api-weak', 'api', {
      NODE_ENV: 'production',
      REDIS_URL: cluster.redis.url,
      WEBHOOK_SECRET: 'whsec_AAAA',
      ADMIN_USER: ADMIN.user,
      ADMIN_PASSWORD: 'a',
      ALLOW_UNSIGNED_WEBHOOKS: '1',
    });
    expect((await weak.exited).code).toBe(1);
    const text = weak.lines.join('\n');
    expect(text).toMatch(/WEBHOOK_SECRET: each secret must decode to at least 24 random bytes/);
    expect(text).toMatch(/ADMIN_PASSWORD: must be at least 16 characters/);
    expect(text).toMatch(/ALLOW_UNSIGNED_WEBHOOKS: not allowed when NODE_ENV=production/);
    expect(text).not.toContain('whsec_AAAA');
  });

  it('production mode refuses to start without secrets, naming each variable', async () => {
    const api = spawnApp('api-prod', 'api', { NODE_ENV: 'production', REDIS_URL: cluster.redis.url });
    const apiExit = await api.exited;
    expect(apiExit.code).toBe(1);
    const apiText = api.lines.join('\n');
    for (const name of ['WEBHOOK_SECRET', 'ADMIN_USER', 'ADMIN_PASSWORD']) expect(apiText).toContain(name);

    const worker = spawnApp('worker-prod', 'worker', {
      NODE_ENV: 'production',
      REDIS_URL: cluster.redis.url,
    });
    const workerExit = await worker.exited;
    expect(workerExit.code).toBe(1);
    for (const name of ['GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET'])
      expect(worker.lines.join('\n')).toContain(name);

    const badMapping = spawnApp('worker-bad-mapping', 'worker', {
      ...cluster.workerEnv,
      MAPPING_FILE: '/nonexistent/mapping.jsonata',
      WORKER_METRICS_PORT: '0',
    });
    expect((await badMapping.exited).code).toBe(1);
    expect(badMapping.lines.join('\n')).toContain('/nonexistent/mapping.jsonata');
  });

  it('no token, secret, signature or personal field appears in any log line', async () => {
    // Traffic that touches every path: accepted, duplicate, rejected, forged, an admin login failure, a policy
    // violation, a preview, a sync to the target.
    const grace = hr('LOG-1', {
      firstName: 'Grace',
      lastName: 'Hopper',
      workEmail: 'grace.hopper@example.org',
      phone: '+15555550199',
      title: 'Rear Admiral',
    });
    expect((await cluster.send({ id: 'log-1', event: 'user.created', data: grace })).status).toBe(202);
    expect((await cluster.send({ id: 'log-1', event: 'user.created', data: grace })).body.status).toBe(
      'duplicate',
    );
    expect((await cluster.send({ event: 'user.created', data: { ...grace, externalId: '' } })).status).toBe(
      400,
    );
    await cluster.send({
      event: 'user.created',
      // A department the policy does not know: the violation's message names it.
      data: hr('LOG-2', { departmentCode: 'Finance-Confidential', role: 'agent', lastName: 'Hopper' }),
    });
    await fetch(`${cluster.apiUrl}/webhooks/directory-sync`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'x',
        'webhook-timestamp': '1',
        'webhook-signature': 'v1,Zm9yZ2VkLXNpZ25hdHVyZS1ieS1hbi1hdHRhY2tlcg==',
      },
      body: JSON.stringify({ event: 'user.created', data: grace }),
    });
    await cluster.admin('/admin/reports', {}, { user: ADMIN.user, password: 'wrong-password-attempt' });
    await cluster.admin('/admin/preview', {
      method: 'POST',
      body: JSON.stringify({ event: 'user.updated', data: grace }),
    });
    await cluster.drained();
    await waitUntil(async () => (await cluster.simAdmin.getUserByExternalId('LOG-1'))?.user, Boolean, {
      what: 'LOG-1 synced',
    });

    // Stop everything so each process has flushed its last line, then read every line of the run.
    stoppedInTest = true;
    await stopAndCheck(cluster, [
      ...PERSONAL,
      'wrong-password-attempt',
      'Zm9yZ2VkLXNpZ25hdHVyZS1ieS1hbi1hdHRhY2tlcg',
    ]);
    const lines = cluster.allLogLines();
    expect(lines.length).toBeGreaterThan(20);
    // The ids an operator traces by are there.
    expect(lines.some((l) => l.includes('log-1'))).toBe(true);
  });
});
