import { createKeys, PersonStore } from '@dirsync/sync';
import { RedisServer, uniquePrefix } from '@dirsync/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, person, postWebhook, SECRET, startTestApi, type TestApi } from './harness.js';

/** Polls /readyz until it answers `status` (the API reconnects to Redis on its own). */
async function waitForReady(api: TestApi, status: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${api.url}/readyz`);
    if (res.status === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`/readyz never answered ${status}`);
}

describe('Redis going away', () => {
  let redis: RedisServer;
  let api: TestApi;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    // A private Redis with AOF (fsync always): acknowledged writes survive a crash, as in production.
    redis = await RedisServer.start({ appendOnly: true });
    api = await startTestApi({ REDIS_URL: redis.url, QUEUE_PREFIX: prefix, WEBHOOK_SECRET: SECRET });
  });

  afterAll(async () => {
    await api?.close();
    await redis?.dispose();
  });

  it('answers 503 with Retry-After while Redis is down, never a 202, and recovers when it returns', async () => {
    expect(
      (await postWebhook(api, { id: 'before', event: 'user.created', data: person('HR-B') })).status,
    ).toBe(202);

    await redis.stop('SIGKILL');
    const down = await postWebhook(api, { id: 'during', event: 'user.created', data: person('HR-D') });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(errorCode(down)).toBe('redis_unavailable');
    expect((await fetch(`${api.url}/readyz`)).status).toBe(503);

    await redis.startProcess();
    await waitForReady(api, 200);
    const client = new Redis(redis.url);
    try {
      const people = new PersonStore({ redis: client, keys: createKeys(prefix) });
      expect(await people.get('HR-B')).toBeDefined();
      expect(await people.get('HR-D')).toBeUndefined();
      // The sender retries the refused delivery: it is new, not a duplicate.
      const retry = await postWebhook(api, { id: 'during', event: 'user.created', data: person('HR-D') });
      expect(retry.body?.status).toBe('queued');
    } finally {
      client.disconnect();
    }
  });

  it('a batch is all or nothing when Redis dies mid-run', async () => {
    const batches = Array.from({ length: 30 }, (_, b) => ({
      events: Array.from({ length: 20 }, (_, i) => ({ event: 'user.created', data: person(`B${b}-P${i}`) })),
    }));
    const responses = batches.map((body, b) =>
      // Stagger a little so some requests land before the crash and some after.
      new Promise((r) => setTimeout(r, b * 3)).then(() => postWebhook(api, body, { id: `batch-${b}` })),
    );
    await new Promise((r) => setTimeout(r, 30));
    await redis.stop('SIGKILL');
    const results = await Promise.all(responses);
    await redis.startProcess();
    await waitForReady(api, 200);

    const client = new Redis(redis.url);
    try {
      const people = new PersonStore({ redis: client, keys: createKeys(prefix) });
      const statuses = new Set<number>();
      for (const [b, res] of results.entries()) {
        statuses.add(res.status);
        expect([202, 503]).toContain(res.status);
        const present = await Promise.all(
          Array.from({ length: 20 }, (_, i) => people.get(`B${b}-P${i}`).then((s) => s !== undefined)),
        );
        const stored = present.filter(Boolean).length;
        // Atomic: either every event of the batch is stored, or none is.
        expect([0, 20]).toContain(stored);
        // Never a 202 for something Redis did not keep.
        if (res.status === 202) expect(stored).toBe(20);
      }
      expect(statuses.has(503)).toBe(true);
    } finally {
      client.disconnect();
    }
  });
});
