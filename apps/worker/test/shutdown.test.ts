import { redisTest } from '@dirsync/testing';
import type { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import { loadWorkerConfig } from '../src/env.js';
import { startWorker } from '../src/worker.js';
import { waitUntil } from './stack.js';

/** This worker's connections open on the server (CLIENT LIST; every name carries the worker's name). */
async function openConnections(redis: Redis, workerName: string): Promise<string[]> {
  const list = String(await redis.client('LIST'));
  return list
    .split('\n')
    .map((line) => /name=(\S+)/.exec(line)?.[1] ?? '')
    .filter((name) => name.includes(workerName));
}

describe('worker shutdown', () => {
  redisTest(
    'close() closes every Redis connection the worker opened',
    async ({ redisUrl, redis, prefix }) => {
      const name = `shutdown-${prefix}`;
      const worker = await startWorker(
        loadWorkerConfig({
          REDIS_URL: redisUrl,
          QUEUE_PREFIX: prefix,
          GENESYS_BASE_URL: 'http://127.0.0.1:9',
          GENESYS_CLIENT_ID: 'id',
          GENESYS_CLIENT_SECRET: 'secret',
          WORKER_METRICS_PORT: '0',
          LOG_LEVEL: 'error',
        }),
        { name },
      );
      // Among them the connections handed to the two BullMQ Workers, which BullMQ treats as shared.
      await waitUntil(
        () => openConnections(redis, name),
        (open) =>
          open.includes(`dirsync-worker-blocking:${name}`) &&
          open.includes(`dirsync-worker-reconcile:${name}`),
        { timeoutMs: 5000, what: 'the worker connections to be open' },
      );
      await worker.close();
      // A closed socket leaves the server's list as soon as the server reads its end.
      const left = await waitUntil(
        () => openConnections(redis, name),
        (open) => open.length === 0,
        { timeoutMs: 3000, what: 'the worker connections to close' },
      ).catch((error: Error) => error.message);
      expect(left).toEqual([]);
    },
  );
});
