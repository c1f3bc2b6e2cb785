import { request } from 'node:http';
import { QUEUES } from '@dirsync/contracts';
import { redisTest } from '@dirsync/testing';
import { Queue } from 'bullmq';
import { describe, expect } from 'vitest';
import { AuthThrottle } from '../src/auth-throttle.js';
import { ADMIN, SECRET, securedEnv, startTestApi } from './harness.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const AUTH = basic(ADMIN.user, ADMIN.password);

/** A GET with a `Host` of the caller's choosing (fetch always sends the URL's). */
function getWithHost(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('admin access', () => {
  redisTest(
    'without credentials, a loopback client must also name a loopback Host (DNS rebinding)',
    async ({ redisUrl, prefix }) => {
      const api = await startTestApi({ REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, WEBHOOK_SECRET: SECRET });
      try {
        for (const path of ['/admin/status', '/admin/reports', '/admin/queues']) {
          expect(await getWithHost(api.port, path, 'attacker.example'), path).toBe(403);
          expect(await getWithHost(api.port, path, `attacker.example:${api.port}`), path).toBe(403);
          expect(await getWithHost(api.port, path, '127.0.0.1.attacker.example'), path).toBe(403);
        }
        for (const host of [
          `localhost:${api.port}`,
          'localhost',
          `127.0.0.1:${api.port}`,
          `[::1]:${api.port}`,
        ]) {
          expect(await getWithHost(api.port, '/admin/status', host), host).toBe(200);
        }
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'failed sign-ins back off with 429 and a growing Retry-After; a correct one is unaffected before and after',
    async ({ redisUrl, prefix }) => {
      let now = 1_000_000;
      const throttle = new AuthThrottle({ now: () => now });
      const api = await startTestApi(securedEnv(redisUrl, prefix), { authThrottle: throttle });
      const attempt = (password: string) =>
        fetch(`${api.url}/admin/status`, { headers: { authorization: basic(ADMIN.user, password) } });
      try {
        expect((await attempt(ADMIN.password)).status).toBe(200);
        const statuses: number[] = [];
        for (let i = 0; i < 40; i++) statuses.push((await attempt(`guess-${i}`)).status);
        expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
        expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
        // Blocked means blocked: the right password gets no different answer (no oracle).
        const blocked = await attempt(ADMIN.password);
        expect(blocked.status).toBe(429);
        expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('too_many_attempts');
        const retryAfters: number[] = [];
        for (let i = 0; i < 3; i++) {
          const res = await attempt('still-guessing');
          retryAfters.push(Number(res.headers.get('retry-after')));
          now += Number(res.headers.get('retry-after')) * 1000;
          expect((await attempt('still-guessing')).status).toBe(401);
        }
        expect(retryAfters).toEqual([1, 2, 4]);
        now += 8000;
        expect((await attempt(ADMIN.password)).status).toBe(200);
        // Success clears the record: the next wrong guess is a plain 401 again.
        expect((await attempt('one-more')).status).toBe(401);
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'admin answers carry CSP frame-ancestors none, nosniff and no-store; the board page fits the CSP',
    async ({ redisUrl, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const answers = [
          await fetch(`${api.url}/admin/status`, { headers: { authorization: AUTH } }),
          await fetch(`${api.url}/admin/queues`, { headers: { authorization: AUTH } }),
          await fetch(`${api.url}/admin/reports`),
          await fetch(`${api.url}/admin/nope`, { headers: { authorization: AUTH } }),
        ];
        expect(answers.map((a) => a.status)).toEqual([200, 200, 401, 404]);
        for (const answer of answers) {
          const csp = answer.headers.get('content-security-policy') ?? '';
          expect(csp).toContain("frame-ancestors 'none'");
          expect(csp).toContain("script-src 'self'");
          expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
          expect(answer.headers.get('cache-control')).toBe('no-store');
        }
        // Under script-src 'self', the board works when every script it runs is its own file: no inline code
        // (its one inline script is JSON data, which a browser does not execute), no other origin.
        const html = await answers[1]?.text();
        const scripts = [...(html ?? '').matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
        expect(scripts.length).toBeGreaterThan(1);
        for (const [, attributes = '', body = ''] of scripts) {
          const src = /\bsrc="([^"]*)"/.exec(attributes)?.[1];
          if (src === undefined) {
            expect(attributes).toMatch(/type="application\/json"/);
          } else {
            expect(src).not.toMatch(/^(?:[a-z]+:)?\/\//i);
            expect(body.trim()).toBe('');
            const asset = await fetch(new URL(src, `${api.url}/admin/queues/`), {
              headers: { authorization: AUTH },
            });
            expect(asset.status, src).toBe(200);
          }
        }
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'state-changing admin routes take only JSON and refuse cross-site browsers; scripts need Basic auth only',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(
        securedEnv(redisUrl, prefix, { HR_SNAPSHOT: '/tmp/does-not-matter.json' }),
      );
      const reconcile = new Queue(QUEUES.reconcile, { connection: redis.duplicate(), prefix });
      const post = (headers: Record<string, string>, body?: string) =>
        fetch(`${api.url}/admin/reconcile`, {
          method: 'POST',
          headers: { authorization: AUTH, ...headers },
          body,
        });
      try {
        // The probe: a text/plain POST (what a cross-site form can send) started a dry run.
        expect((await post({ 'content-type': 'text/plain' }, '{}')).status).toBe(415);
        expect(
          (await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'apply=true')).status,
        ).toBe(415);
        expect((await post({})).status).toBe(415);
        const json = { 'content-type': 'application/json' };
        const crossSite: Array<Record<string, string>> = [
          { origin: 'https://evil.example' },
          { origin: 'null' },
          { 'sec-fetch-site': 'cross-site' },
          { 'sec-fetch-site': 'same-site' },
          { origin: api.url, 'sec-fetch-site': 'cross-site' },
        ];
        for (const headers of crossSite) {
          const res = await post({ ...json, ...headers }, '{}');
          expect(res.status, JSON.stringify(headers)).toBe(403);
          expect(((await res.json()) as { error: { code: string } }).error.code).toBe('cross_site_request');
        }
        expect(await reconcile.count()).toBe(0);
        // A script: no Origin, no Sec-Fetch-Site.
        expect((await post(json, '{}')).status).toBe(202);
        // The operator's own page: same origin.
        const sameOrigin = await post({ ...json, origin: api.url, 'sec-fetch-site': 'same-origin' }, '{}');
        expect(sameOrigin.status).toBe(409);
      } finally {
        await reconcile.close();
        await api.close();
      }
    },
  );
});
