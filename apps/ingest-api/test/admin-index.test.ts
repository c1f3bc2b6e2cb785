import { QUEUES } from '@dirsync/contracts';
import { redisTest } from '@dirsync/testing';
import { Queue } from 'bullmq';
import { describe, expect } from 'vitest';
import { ADMIN, securedEnv, startTestApi } from './harness.js';

const AUTH = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;

describe('POST /admin/index', () => {
  redisTest(
    'queues one build: 202 with its job id, then 409 while it is queued',
    async ({ redisUrl, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      const queue = new Queue(QUEUES.directoryIndex, { connection: { url: redisUrl }, prefix });
      try {
        const headers = { authorization: AUTH, 'content-type': 'application/json' };
        const first = await fetch(`${api.url}/admin/index`, { method: 'POST', headers, body: '{}' });
        expect(first.status).toBe(202);
        const { jobId } = (await first.json()) as { jobId: string };
        expect(jobId).toMatch(/^index-/);
        expect((await queue.getJob(jobId))?.name).toBe('build-index');

        const second = await fetch(`${api.url}/admin/index`, { method: 'POST', headers, body: '{}' });
        expect(second.status).toBe(409);
        expect(await second.json()).toMatchObject({ error: { code: 'index_build_running' } });
        expect(await queue.count()).toBe(1);

        const unknownField = await fetch(`${api.url}/admin/index`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ everything: true }),
        });
        expect(unknownField.status).toBe(400);
      } finally {
        await queue.close();
        await api.close();
      }
    },
  );

  redisTest(
    'goes through the admin write guard: Basic auth, JSON only, no cross-site browser requests',
    async ({ redisUrl, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      const queue = new Queue(QUEUES.directoryIndex, { connection: { url: redisUrl }, prefix });
      try {
        const post = (headers: Record<string, string>, body?: string) =>
          fetch(`${api.url}/admin/index`, {
            method: 'POST',
            headers,
            ...(body === undefined ? {} : { body }),
          });
        expect((await post({ 'content-type': 'application/json' }, '{}')).status).toBe(401);
        expect((await post({ authorization: AUTH, 'content-type': 'text/plain' }, '{}')).status).toBe(415);
        expect((await post({ authorization: AUTH })).status).toBe(415);
        const form = await post(
          { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
          'a=1',
        );
        expect(form.status).toBe(415);
        const crossSite = await post(
          { authorization: AUTH, 'content-type': 'application/json', origin: 'https://evil.example' },
          '{}',
        );
        expect(crossSite.status).toBe(403);
        const fetchSite = await post(
          { authorization: AUTH, 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
          '{}',
        );
        expect(fetchSite.status).toBe(403);
        // Nothing refused was queued.
        expect(await queue.count()).toBe(0);
      } finally {
        await queue.close();
        await api.close();
      }
    },
  );
});
