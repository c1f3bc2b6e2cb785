import { JOBS, QUEUES } from '@dirsync/contracts';
import { createKeys, PersonStore } from '@dirsync/sync';
import { redisTest } from '@dirsync/testing';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import {
  errorCode,
  person,
  postWebhook,
  SECRET,
  securedEnv,
  signedHeaders,
  startTestApi,
} from './harness.js';

async function syncJobs(redis: Redis, prefix: string) {
  const queue = new Queue(QUEUES.sync, { connection: redis.duplicate(), prefix });
  const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
  await queue.close();
  return jobs;
}

describe('POST /webhooks/directory-sync', () => {
  redisTest(
    '202 only once the person state and a sync job are in Redis; job data carries ids only',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const res = await postWebhook(api, { id: 'evt-1', event: 'user.created', data: person('HR-1') });
        expect(res.status).toBe(202);
        expect(res.body).toEqual({ status: 'queued', accepted: 1, duplicates: 0, ids: ['evt-1'] });
        const state = await new PersonStore({ redis, keys: createKeys(prefix) }).get('HR-1');
        expect(state).toMatchObject({ event: 'user.created', correlationId: 'evt-1', rev: 1 });
        const jobs = await syncJobs(redis, prefix);
        expect(jobs).toHaveLength(1);
        expect(jobs[0]?.name).toBe(JOBS.syncBatch);
        expect(jobs[0]?.data).toEqual({ externalIds: ['HR-1'], origin: 'webhook' });
      } finally {
        await api.close();
      }
    },
  );

  redisTest('a replayed event is a duplicate and enqueues nothing', async ({ redisUrl, redis, prefix }) => {
    const api = await startTestApi(securedEnv(redisUrl, prefix));
    try {
      const event = { id: 'evt-7', event: 'user.updated', data: person('HR-7') };
      expect((await postWebhook(api, event)).body?.status).toBe('queued');
      const replay = await postWebhook(api, event);
      expect(replay.status).toBe(202);
      expect(replay.body).toEqual({ status: 'duplicate', accepted: 0, duplicates: 1, ids: ['evt-7'] });
      // Same delivery re-sent with the same webhook-id and no event id: also a duplicate.
      const noId = { event: 'user.updated', data: person('HR-8') };
      expect((await postWebhook(api, noId, { id: 'msg-8' })).body?.status).toBe('queued');
      expect((await postWebhook(api, noId, { id: 'msg-8' })).body).toMatchObject({
        status: 'duplicate',
        ids: ['msg-8'],
      });
      expect(await syncJobs(redis, prefix)).toHaveLength(2);
    } finally {
      await api.close();
    }
  });

  redisTest(
    'a batch: keys fall back to webhook-id#index, chunks of 25 people per job',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const events = Array.from({ length: 30 }, (_, i) => ({
          event: 'user.created',
          data: person(`HR-${i}`),
        }));
        const res = await postWebhook(api, { events }, { id: 'msg-batch' });
        expect(res.status).toBe(202);
        expect(res.body?.accepted).toBe(30);
        expect((res.body?.ids as string[] | undefined)?.slice(0, 2)).toEqual(['msg-batch#0', 'msg-batch#1']);
        const sizes = (await syncJobs(redis, prefix)).map(
          (j) => (j.data as { externalIds: string[] }).externalIds.length,
        );
        expect(sizes.sort((a, b) => a - b)).toEqual([5, 25]);
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'a late older event is accepted but changes nothing and triggers nothing',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const newer = {
          id: 'n',
          event: 'user.updated',
          occurredAt: '2026-11-28T10:00:00Z',
          data: person('HR-3', { title: 'New' }),
        };
        const older = {
          id: 'o',
          event: 'user.updated',
          occurredAt: '2026-11-28T09:00:00Z',
          data: person('HR-3', { title: 'Old' }),
        };
        await postWebhook(api, newer);
        const res = await postWebhook(api, older);
        expect(res.body).toEqual({ status: 'queued', accepted: 1, duplicates: 0, ids: ['o'] });
        expect((await new PersonStore({ redis, keys: createKeys(prefix) }).get('HR-3'))?.data.title).toBe(
          'New',
        );
        expect(await syncJobs(redis, prefix)).toHaveLength(1);
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'occurredAt is compared at the precision sent: .123456Z arriving after .123789Z changes nothing',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const at = (fraction: string) => `2026-11-28T09:30:00.${fraction}Z`;
        const newer = {
          id: 'n',
          event: 'user.updated',
          occurredAt: at('123789'),
          data: person('HR-U', { title: 'New' }),
        };
        const older = {
          id: 'o',
          event: 'user.updated',
          occurredAt: at('123456'),
          data: person('HR-U', { title: 'Old' }),
        };
        await postWebhook(api, newer);
        expect((await postWebhook(api, older)).body).toMatchObject({ status: 'queued', accepted: 1 });
        const state = await new PersonStore({ redis, keys: createKeys(prefix) }).get('HR-U');
        expect(state).toMatchObject({ rev: 1, correlationId: 'n', occurredAtNs: 789_000 });
        expect(state?.data.title).toBe('New');
        expect(await syncJobs(redis, prefix)).toHaveLength(1);
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'idempotency keys are scoped to the person; a reused key with other content is a 409 and stores nothing',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const store = new PersonStore({ redis, keys: createKeys(prefix) });
        await postWebhook(api, { id: 'evt-1', event: 'user.created', data: person('P-1') });
        // The probe: P-2's new event reusing P-1's id was answered "duplicate" and dropped.
        const p2 = await postWebhook(api, { id: 'evt-1', event: 'user.created', data: person('P-2') });
        expect(p2.body).toEqual({ status: 'queued', accepted: 1, duplicates: 0, ids: ['evt-1'] });
        expect(await store.get('P-2')).toMatchObject({ correlationId: 'evt-1', rev: 1 });

        const reused = { id: 'evt-1', event: 'user.updated', data: person('P-1', { title: 'Changed' }) };
        const fresh = { id: 'evt-2', event: 'user.created', data: person('P-3') };
        const res = await postWebhook(api, { events: [fresh, reused] });
        expect(res.status).toBe(409);
        expect(errorCode(res)).toBe('idempotency_conflict');
        expect(JSON.stringify(res.body)).toContain('evt-1');
        expect(await store.get('P-3')).toBeUndefined();
        expect((await store.get('P-1'))?.data.title).toBe('Analyst');
        expect(await syncJobs(redis, prefix)).toHaveLength(2);
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'HR fields neither the mapping nor the policy reads (ssn, salary, medicalNote) are never stored',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const data = person('HR-S', { ssn: '078-05-1120', salary: 123456, medicalNote: 'private' });
        expect((await postWebhook(api, { id: 's', event: 'user.created', data })).status).toBe(202);
        await postWebhook(api, { id: 'd', event: 'user.deactivated', data: { externalId: 'HR-S' } });
        const stored = await redis.hgetall(createKeys(prefix).person('HR-S'));
        expect(stored.data).not.toMatch(/ssn|salary|medicalNote|078-05-1120|private/);
        expect(JSON.parse(stored.data ?? '{}')).toMatchObject({
          externalId: 'HR-S',
          workEmail: 'hr-s@example.com',
          departmentCode: 'Engineering',
          role: 'agent',
        });
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    '400 lists every bad field of every event; a bad batch stores and enqueues nothing',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const future = new Date(Date.now() + 10 * 60_000).toISOString();
        const res = await postWebhook(api, {
          events: [
            { event: 'user.created', data: person('HR-OK') },
            { event: 'user.exploded', data: { externalId: '' } },
            { event: 'user.updated', occurredAt: future, data: person('HR-F') },
            {
              event: 'user.updated',
              occurredAt: 'yesterday',
              data: { externalId: 'HR-X', hireDate: 'soon' },
            },
          ],
        });
        expect(res.status).toBe(400);
        const error = res.body?.error as { code: string; details: Array<{ field: string }> };
        expect(error.code).toBe('invalid_event');
        expect(error.details.map((d) => d.field).sort()).toEqual([
          'events[1].data.externalId',
          'events[1].event',
          'events[2].occurredAt',
          'events[3].data.hireDate',
          'events[3].occurredAt',
        ]);
        expect(await new PersonStore({ redis, keys: createKeys(prefix) }).get('HR-OK')).toBeUndefined();
        expect(await syncJobs(redis, prefix)).toHaveLength(0);

        const proto = await postWebhook(api, {
          event: 'user.created',
          data: JSON.parse('{"externalId":"HR-P","__proto__":{"admin":true}}'),
        });
        expect(proto.status).toBe(400);
        expect(JSON.stringify(proto.body)).toContain('__proto__');
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    '401 for a wrong secret, a stale timestamp, missing headers or a tampered body',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const event = { event: 'user.created', data: person('HR-S') };
        const wrong = await postWebhook(api, event, { secret: 'whsec_dGhpcyBpcyBub3QgdGhlIHNlY3JldA==' });
        expect(wrong.status).toBe(401);
        expect(errorCode(wrong)).toBe('invalid_signature');
        const stale = await postWebhook(api, event, { at: new Date(Date.now() - 6 * 60_000) });
        expect(stale.status).toBe(401);
        const bare = await fetch(`${api.url}/webhooks/directory-sync`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(event),
        });
        expect(bare.status).toBe(401);
        // Signed over one body, sent with another.
        const body = JSON.stringify(event);
        const tampered = await fetch(`${api.url}/webhooks/directory-sync`, {
          method: 'POST',
          headers: signedHeaders(body),
          body: body.replace('HR-S', 'HR-U'),
        });
        expect(tampered.status).toBe(401);
        expect(await new PersonStore({ redis, keys: createKeys(prefix) }).get('HR-U')).toBeUndefined();
      } finally {
        await api.close();
      }
    },
  );

  redisTest('during a secret rotation any configured secret verifies', async ({ redisUrl, prefix }) => {
    const next = 'whsec_bmV4dC1zZWNyZXQtZm9yLXJvdGF0aW9uLTIwMjY=';
    const api = await startTestApi({ ...securedEnv(redisUrl, prefix), WEBHOOK_SECRET: `${SECRET} ${next}` });
    try {
      const event = { event: 'user.created', data: person('HR-R') };
      expect((await postWebhook(api, event, { secret: next })).status).toBe(202);
      expect((await postWebhook(api, { ...event, id: 'x' }, { secret: SECRET })).status).toBe(202);
    } finally {
      await api.close();
    }
  });

  redisTest(
    '413 over 1 MiB, 415 when not JSON, 400 for broken JSON or UTF-8',
    async ({ redisUrl, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const huge = JSON.stringify({
          event: 'user.created',
          data: person('HR-H', { title: 'x'.repeat(1_100_000) }),
        });
        expect((await postWebhook(api, undefined, { raw: huge })).status).toBe(413);
        const text = await postWebhook(api, undefined, {
          raw: 'hello',
          headers: { 'content-type': 'text/plain' },
        });
        expect(text.status).toBe(415);
        const broken = await postWebhook(api, undefined, { raw: '{"event": ' });
        expect(broken.status).toBe(400);
        expect(errorCode(broken)).toBe('invalid_json');
        const latin1 = Buffer.concat([
          Buffer.from('{"event":"user.created","data":{"externalId":"'),
          Buffer.from([0xff, 0xfe]),
          Buffer.from('"}}'),
        ]);
        const res = await fetch(`${api.url}/webhooks/directory-sync`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: latin1,
        });
        // Signature headers are missing here, so the signature check answers first; without a secret it is 400.
        expect(res.status).toBe(401);
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'with ALLOW_UNSIGNED_WEBHOOKS=1 and no secret (development) unsigned events are accepted and a warning is logged',
    async ({ redisUrl, prefix }) => {
      const api = await startTestApi({
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        ALLOW_UNSIGNED_WEBHOOKS: '1',
      });
      try {
        const res = await fetch(`${api.url}/webhooks/directory-sync`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ event: 'user.created', data: person('HR-U') }),
        });
        expect(res.status).toBe(202);
        const body = (await res.json()) as { ids: string[] };
        expect(body.ids[0]).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(api.logLines.some((l) => l.includes('WEBHOOK_SECRET is not set'))).toBe(true);
        const invalidUtf8 = Buffer.concat([
          Buffer.from('{"event":"user.created","data":{"externalId":"'),
          Buffer.from([0xff]),
          Buffer.from('"}}'),
        ]);
        const bad = await fetch(`${api.url}/webhooks/directory-sync`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: invalidUtf8,
        });
        expect(bad.status).toBe(400);
        expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_encoding');
      } finally {
        await api.close();
      }
    },
  );
});
