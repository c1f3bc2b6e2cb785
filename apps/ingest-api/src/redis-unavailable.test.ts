import { once } from 'node:events';
import { createRedis } from '@dirsync/core';
import { findFreePort, redisTest } from '@dirsync/testing';
import { Redis, ReplyError } from 'ioredis';
import { describe, expect } from 'vitest';
import { isRedisUnavailable } from './redis-unavailable.js';

/** The error a command gets from `client`, which must refuse it. */
async function refusal(command: Promise<unknown>): Promise<unknown> {
  try {
    await command;
  } catch (error) {
    return error;
  }
  throw new Error('the command succeeded');
}

describe('isRedisUnavailable', () => {
  redisTest('is true for what ioredis reports when Redis cannot be reached', async () => {
    const closedPort = await findFreePort();
    const url = `redis://127.0.0.1:${closedPort}`;

    // The API's own fail-fast client: commands are refused while it is not connected.
    const failFast = createRedis(url, { failFast: true });
    try {
      const connectError = await once(failFast, 'error').then(([error]) => error as Error);
      expect(connectError).toMatchObject({ code: 'ECONNREFUSED' });
      expect(isRedisUnavailable(connectError)).toBe(true);
      expect(isRedisUnavailable(await refusal(failFast.get('k')))).toBe(true);
    } finally {
      failFast.disconnect();
    }

    // With the offline queue on, a command fails once its retries are spent.
    const queued = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    queued.on('error', () => {});
    try {
      const error = await refusal(queued.get('k'));
      expect(error).toMatchObject({ name: 'MaxRetriesPerRequestError' });
      expect(isRedisUnavailable(error)).toBe(true);
    } finally {
      queued.disconnect();
    }
  });

  redisTest('is true for a command on a closed connection', async ({ redisUrl }) => {
    const client = new Redis(redisUrl);
    await client.ping();
    client.disconnect();
    const error = await refusal(client.get('k'));
    expect(error).toMatchObject({ message: 'Connection is closed.' });
    expect(isRedisUnavailable(error)).toBe(true);
  });

  redisTest('is true for replies saying Redis cannot take writes now', () => {
    for (const reply of [
      'LOADING Redis is loading the dataset in memory',
      "READONLY You can't write against a read only replica.",
      'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.',
      'TRYAGAIN Multiple keys request during rehashing of slot',
      'CLUSTERDOWN The cluster is down',
    ]) {
      expect(isRedisUnavailable(new ReplyError(reply)), reply).toBe(true);
    }
  });

  redisTest('is true when the Redis error is the cause of a wrapping error', async () => {
    const wrapped = new Error('could not add the job', { cause: new ReplyError('LOADING loading') });
    expect(isRedisUnavailable(wrapped)).toBe(true);
  });

  redisTest(
    'is false for errors that only mention connecting, and for other Redis replies',
    async ({ redis }) => {
      expect(isRedisUnavailable(new Error('the manager HR-2 could not be connected to HR-1'))).toBe(false);
      expect(
        isRedisUnavailable(new TypeError("Cannot read properties of undefined (reading 'connect')")),
      ).toBe(false);
      expect(isRedisUnavailable(new Error('reconnecting the mapping failed: unknown field'))).toBe(false);
      const wrongType = await refusal(redis.eval('return redis.error_reply("WRONGTYPE not a hash")', 0));
      expect(wrongType).toBeInstanceOf(ReplyError);
      expect(isRedisUnavailable(wrongType)).toBe(false);
      expect(
        isRedisUnavailable(new ReplyError('ERR Error running script: attempt to connect a nil value')),
      ).toBe(false);
    },
  );
});
