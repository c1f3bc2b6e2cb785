import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { test as baseTest, inject } from 'vitest';

/** A prefix no other test uses, in BullMQ's style (`test-<uuid>`). */
export function uniquePrefix(label = 'test'): string {
  return `${label}-${randomUUID()}`;
}

/** Deletes every key starting with `prefix` (or `{prefix}`, cluster style). Never FLUSHALL. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  for (const pattern of [`${prefix}*`, `{${prefix}}*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  }
  return deleted;
}

export interface RedisFixtures {
  /** URL of the run's Redis (see provideRedis). */
  redisUrl: string;
  /** This test's own key prefix; everything under it is deleted after the test. */
  prefix: string;
  /** A client for assertions and setup; closed after the test. */
  redis: Redis;
}

/** `test` with a Redis per test: unique prefix, a client, and cleanup afterwards. */
export const redisTest = baseTest.extend<RedisFixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies by destructuring.
  redisUrl: async ({}, use) => {
    await use(inject('redisUrl'));
  },
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies by destructuring.
  prefix: async ({}, use) => {
    await use(uniquePrefix());
  },
  redis: async ({ redisUrl, prefix }, use) => {
    const client = new Redis(redisUrl, { maxRetriesPerRequest: null });
    await use(client);
    await deleteKeysWithPrefix(client, prefix);
    await client.quit();
  },
});
