import { ConfigError } from '@dirsync/core';
import { ReportBuilder, ReportStore } from '@dirsync/reports';
import { redisTest } from '@dirsync/testing';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { adminAuth } from '../src/admin-auth.js';
import { loadIngestConfig } from '../src/env.js';
import { ADMIN, person, postWebhook, SECRET, securedEnv, startTestApi } from './harness.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('admin routes and dashboard', () => {
  redisTest(
    'refuse missing or wrong credentials and serve with the right ones',
    async ({ redisUrl, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        for (const path of ['/admin/queues', '/admin/reports', '/admin/status']) {
          const none = await fetch(`${api.url}${path}`);
          expect(none.status).toBe(401);
          expect(none.headers.get('www-authenticate')).toContain('Basic');
          const wrong = await fetch(`${api.url}${path}`, {
            headers: { authorization: basic(ADMIN.user, 'nope') },
          });
          expect(wrong.status).toBe(401);
          const right = await fetch(`${api.url}${path}`, {
            headers: { authorization: basic(ADMIN.user, ADMIN.password) },
          });
          expect(right.status).toBe(200);
        }
        const board = await fetch(`${api.url}/admin/queues/api/queues`, {
          headers: { authorization: basic(ADMIN.user, ADMIN.password) },
        });
        const queues = ((await board.json()) as { queues: Array<{ name: string }> }).queues
          .map((q) => q.name)
          .sort();
        expect(queues).toEqual(['directory-index', 'reconcile', 'sync']);
      } finally {
        await api.close();
      }
    },
  );

  it('without configured credentials, answer loopback clients naming a loopback Host only', () => {
    const middleware = adminAuth({ user: undefined, password: undefined });
    const run = (remoteAddress: string, host = 'localhost:3000') => {
      let status = 0;
      let passed = false;
      const res = {
        status(code: number) {
          status = code;
          return this;
        },
        json() {
          return this;
        },
        set() {
          return this;
        },
      } as unknown as Response;
      middleware({ socket: { remoteAddress }, headers: { host } } as unknown as Request, res, () => {
        passed = true;
      });
      return { status, passed };
    };
    expect(run('127.0.0.1')).toEqual({ status: 0, passed: true });
    expect(run('::1')).toEqual({ status: 0, passed: true });
    expect(run('10.1.2.3')).toEqual({ status: 403, passed: false });
    expect(run('::ffff:192.168.1.9')).toEqual({ status: 403, passed: false });
    // DNS rebinding: a page on attacker.example resolved to 127.0.0.1 still sends its own Host.
    expect(run('127.0.0.1', 'attacker.example')).toEqual({ status: 403, passed: false });
    expect(run('127.0.0.1', '127.0.0.1:3000')).toEqual({ status: 0, passed: true });
    expect(run('::1', '[::1]:3000')).toEqual({ status: 0, passed: true });
  });

  it('production refuses to start without secrets, naming each variable', () => {
    let error: unknown;
    try {
      loadIngestConfig({ NODE_ENV: 'production' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'ADMIN_PASSWORD',
      'ADMIN_USER',
      'WEBHOOK_SECRET',
    ]);
    expect(() => loadIngestConfig({ WEBHOOK_SECRET: 'not-a-secret' })).toThrow(/WEBHOOK_SECRET/);
  });

  redisTest(
    'GET /admin/reports lists latest first; GET /admin/reports/:id returns one or 404',
    async ({ redisUrl, redis, prefix }) => {
      const store = new ReportStore({ redis, prefix, retentionDays: 30 });
      const now = Date.now();
      for (const [i, id] of ['rep-a', 'rep-b'].entries()) {
        await store.save(
          new ReportBuilder({ id, kind: 'sync', now: () => new Date(now + i * 1000) })
            .record({ externalId: `HR-${i}`, outcome: 'created' })
            .build(),
        );
      }
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      const auth = { authorization: basic(ADMIN.user, ADMIN.password) };
      try {
        const list = (await (await fetch(`${api.url}/admin/reports`, { headers: auth })).json()) as {
          reports: Array<{ id: string }>;
        };
        expect(list.reports.map((r) => r.id)).toEqual(['rep-b', 'rep-a']);
        const one = await fetch(`${api.url}/admin/reports/rep-a`, { headers: auth });
        expect(((await one.json()) as { counts: { created: number } }).counts.created).toBe(1);
        expect((await fetch(`${api.url}/admin/reports/nope`, { headers: auth })).status).toBe(404);
        expect((await fetch(`${api.url}/admin/reports?limit=0`, { headers: auth })).status).toBe(400);
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'POST /admin/reconcile: 400 without HR_SNAPSHOT; 202 then 409 while one is queued',
    async ({ redisUrl, prefix }) => {
      const auth = { authorization: basic(ADMIN.user, ADMIN.password), 'content-type': 'application/json' };
      const without = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const res = await fetch(`${without.url}/admin/reconcile`, {
          method: 'POST',
          headers: auth,
          body: '{}',
        });
        expect(res.status).toBe(400);
      } finally {
        await without.close();
      }
      const api = await startTestApi(
        securedEnv(redisUrl, prefix, { HR_SNAPSHOT: '/tmp/does-not-matter.json' }),
      );
      try {
        const first = await fetch(`${api.url}/admin/reconcile`, {
          method: 'POST',
          headers: auth,
          body: '{}',
        });
        expect(first.status).toBe(202);
        const { jobId } = (await first.json()) as { jobId: string };
        expect(jobId).toMatch(/^reconcile-/);
        const second = await fetch(`${api.url}/admin/reconcile`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ apply: true }),
        });
        expect(second.status).toBe(409);
        const bad = await fetch(`${api.url}/admin/reconcile`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ apply: 'yes' }),
        });
        expect(bad.status).toBe(400);
      } finally {
        await api.close();
      }
    },
  );

  redisTest('health, readiness and metrics', async ({ redisUrl, prefix }) => {
    const api = await startTestApi(securedEnv(redisUrl, prefix));
    try {
      expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${api.url}/readyz`)).json()).toEqual({ status: 'ready', redis: 'ok' });
      await postWebhook(api, { event: 'user.created', data: person('HR-M') });
      const text = await (await fetch(`${api.url}/metrics`)).text();
      expect(text).toMatch(
        /dirsync_http_requests_total\{route="\/webhooks\/directory-sync",method="POST",status="202"\} 1/,
      );
      expect(text).toMatch(/dirsync_webhook_events_total\{result="accepted"\} 1/);
      expect(text).toMatch(/dirsync_queue_jobs\{queue="sync",state="waiting"\} 1/);
      expect(text).toContain('dirsync_enqueue_duration_seconds_bucket');
    } finally {
      await api.close();
    }
  });

  redisTest('no secret, signature or personal field reaches the logs', async ({ redisUrl, prefix }) => {
    const api = await startTestApi(securedEnv(redisUrl, prefix));
    const sent: string[] = [];
    try {
      const event = {
        event: 'user.created',
        data: person('HR-L', { firstName: 'Grace', lastName: 'Hopper' }),
      };
      const ok = await postWebhook(api, event, { id: 'msg-log' });
      expect(ok.status).toBe(202);
      await postWebhook(api, {
        event: 'user.created',
        data: { externalId: '', workEmail: 'grace@example.com' },
      });
      await postWebhook(api, event, { secret: 'whsec_dGhpcyBpcyBub3QgdGhlIHNlY3JldA==' });
      await fetch(`${api.url}/admin/reports`, {
        headers: { authorization: basic(ADMIN.user, 'wrong-password') },
      });
      sent.push(
        'Grace',
        'Hopper',
        'hr-l@example.com',
        'grace@example.com',
        ADMIN.password,
        'wrong-password',
        SECRET.slice(6),
      );
    } finally {
      await api.close();
    }
    expect(api.logLines.length).toBeGreaterThan(3);
    const all = api.logLines.join('\n');
    for (const secretOrPersonal of sent) expect(all).not.toContain(secretOrPersonal);
    expect(all).not.toMatch(/v1,[A-Za-z0-9+/=]{20,}/);
    // Ids stay readable for tracing.
    expect(all).toContain('msg-log');
  });
});
