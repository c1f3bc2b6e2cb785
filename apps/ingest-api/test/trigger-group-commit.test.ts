import { waitUntil } from '@dirsync/harness';
import { addSyncJobs, createKeys, createSyncQueue, PersonStore } from '@dirsync/sync';
import { redisTest } from '@dirsync/testing';
import { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import type { AddTriggers } from '../src/trigger-group-commit.js';
import { person, postWebhook, SECRET, startTestApi } from './harness.js';

function env(redisUrl: string, prefix: string): Record<string, string> {
  return { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, WEBHOOK_SECRET: SECRET };
}

/** Sync jobs waiting in the prefix's queue (no worker runs here, so none leaves). */
async function countSyncJobs(redis: Redis, prefix: string): Promise<number> {
  const queue = createSyncQueue({ connection: redis.duplicate(), prefix });
  try {
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
  }
}

describe('sync triggers: only newly pending people, committed in groups', () => {
  redisTest(
    '1,000 deliveries for 10 already-pending people add no job beyond their first triggers',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(env(redisUrl, prefix));
      try {
        const people = Array.from({ length: 10 }, (_, i) => `HR-P${i}`);
        const first = await Promise.all(
          people.map((id, i) =>
            postWebhook(api, { id: `new-${i}`, event: 'user.created', data: person(id) }),
          ),
        );
        expect(first.map((r) => r.status)).toEqual(people.map(() => 202));
        const pendingJobs = await countSyncJobs(redis, prefix);
        expect(pendingJobs).toBeGreaterThan(0);
        expect(pendingJobs).toBeLessThanOrEqual(10);

        const statuses: number[] = [];
        for (let wave = 0; wave < 1000; wave += 25) {
          const answers = await Promise.all(
            Array.from({ length: 25 }, (_, k) => {
              const n = wave + k;
              const data = person(people[n % 10] as string, { title: `T${n}` });
              return postWebhook(api, { id: `upd-${n}`, event: 'user.updated', data });
            }),
          );
          statuses.push(...answers.map((r) => r.status));
        }
        expect(statuses.filter((s) => s === 202)).toHaveLength(1000);
        // Every person was already pending: their queued trigger will read the newest state.
        expect(await countSyncJobs(redis, prefix)).toBe(pendingJobs);
        const state = await new PersonStore({ redis, keys: createKeys(prefix) }).get('HR-P0');
        expect(state?.rev).toBe(101);
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'a failed job add answers 503 to exactly the deliveries it carried, and to no other',
    async ({ redisUrl, redis, prefix }) => {
      const goodConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
      const good = createSyncQueue({ connection: goodConnection, prefix });
      // A queue whose connection is closed: adding to it fails for real, as when Redis goes away mid-way.
      const brokenConnection = new Redis(redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: false });
      const broken = createSyncQueue({ connection: brokenConnection, prefix });
      broken.on('error', () => {});
      await broken.waitUntilReady();
      brokenConnection.disconnect();

      let releaseFirst = () => {};
      const firstHeld = new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      const calls: Array<{ ids: string[]; failed?: boolean }> = [];
      // The first add waits for the test (so deliveries pile up behind it); the second goes to the broken queue.
      const addTriggers: AddTriggers = async (jobs) => {
        const call: { ids: string[]; failed?: boolean } = { ids: jobs.flat() };
        calls.push(call);
        if (calls.length === 1) await firstHeld;
        try {
          return await addSyncJobs(calls.length === 2 ? broken : good, jobs, 'webhook');
        } catch (error) {
          call.failed = true;
          throw error;
        }
      };
      const api = await startTestApi(env(redisUrl, prefix), { addTriggers });
      const store = new PersonStore({ redis, keys: createKeys(prefix) });
      try {
        const lead = postWebhook(api, { id: 'lead', event: 'user.created', data: person('HR-F0') });
        await waitUntil(
          async () => calls.length,
          (n) => n > 0,
          { what: 'the first trigger add', timeoutMs: 10_000 },
        );

        // Six new people pile up behind the held add; a delivery for the already-pending HR-F0 needs no trigger
        // and is answered while that add is still held.
        const piled = Array.from({ length: 6 }, (_, i) =>
          postWebhook(api, { id: `piled-${i + 1}`, event: 'user.created', data: person(`HR-F${i + 1}`) }),
        );
        const again = await postWebhook(api, { id: 'again', event: 'user.updated', data: person('HR-F0') });
        expect(again.status).toBe(202);
        expect(calls).toHaveLength(1);
        await waitUntil(
          async () =>
            (await Promise.all([1, 2, 3, 4, 5, 6].map((i) => store.get(`HR-F${i}`)))).every(Boolean),
          Boolean,
          { what: 'the piled-up deliveries to store their state', timeoutMs: 10_000 },
        );
        releaseFirst();

        expect((await lead).status).toBe(202);
        const answers = await Promise.all(piled);
        const failedCall = calls[1];
        expect(failedCall?.failed).toBe(true);
        expect(failedCall?.ids.length).toBeGreaterThan(0);
        const carried = new Set(failedCall?.ids);
        for (const [i, answer] of answers.entries()) {
          const id = `HR-F${i + 1}`;
          expect({ id, status: answer.status }).toEqual({ id, status: carried.has(id) ? 503 : 202 });
          if (answer.status === 503) expect(answer.headers.get('retry-after')).toBe('5');
          // Refused or not, the state is durable: the worker's sweeper triggers it should the sender give up.
          expect(await store.get(id)).toBeDefined();
        }
        expect(calls.slice(2).every((c) => !c.failed)).toBe(true);

        const after = await postWebhook(api, { id: 'after', event: 'user.created', data: person('HR-F9') });
        expect(after.status).toBe(202);
      } finally {
        await api.close();
        await Promise.allSettled([good.close(), broken.close()]);
        goodConnection.disconnect();
      }
    },
  );
});
