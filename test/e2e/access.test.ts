import { ProcessGroup } from '@dirsync/harness';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ADMIN, Cluster, hr, stopAndCheck, waitUntil } from './cluster.js';
import { recordFigures } from './figures.js';

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
    for (const [method, route] of routes) {
      const none = await fetch(`${cluster.apiUrl}${route}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      });
      const wrong = await cluster.admin(
        route,
        { method, body: method === 'POST' ? '{}' : undefined },
        { user: ADMIN.user, password: 'guess' },
      );
      const wrongUser = await cluster.admin(
        route,
        { method, body: method === 'POST' ? '{}' : undefined },
        { user: 'root', password: ADMIN.password },
      );
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

  it('production mode refuses to start without secrets, naming each variable', async () => {
    // Their own group: these processes are meant to exit 1, which the cluster's clean-exit check would refuse.
    const group = new ProcessGroup({ output: 'memory', appEnv: { LOG_LEVEL: 'debug' } });
    onTestFinished(() => group.stopAll());
    const api = group.spawnApp('api-prod', 'api', { NODE_ENV: 'production', REDIS_URL: cluster.redis.url });
    const apiExit = await api.exited;
    expect(apiExit.code).toBe(1);
    const apiText = api.lines.join('\n');
    for (const name of ['WEBHOOK_SECRET', 'ADMIN_USER', 'ADMIN_PASSWORD']) expect(apiText).toContain(name);

    const worker = group.spawnApp('worker-prod', 'worker', {
      NODE_ENV: 'production',
      REDIS_URL: cluster.redis.url,
    });
    const workerExit = await worker.exited;
    expect(workerExit.code).toBe(1);
    for (const name of ['GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET'])
      expect(worker.lines.join('\n')).toContain(name);

    const badMapping = group.spawnApp('worker-bad-mapping', 'worker', {
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
