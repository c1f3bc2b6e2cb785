import { Redis, type RedisOptions } from 'ioredis';

export interface RedisConnectionOptions {
  /** Name shown by `CLIENT LIST`, to tell the apps apart. */
  connectionName?: string;
  /**
   * Blocking clients (BullMQ workers) must wait through outages (`maxRetriesPerRequest: null`); request paths
   * (the API) must fail fast so a webhook gets a 503 rather than hanging.
   */
  failFast?: boolean;
}

/** An ioredis client for a `redis://` URL, configured for BullMQ or for fail-fast request handling. */
export function createRedis(url: string, options: RedisConnectionOptions = {}): Redis {
  const base: RedisOptions = {
    connectionName: options.connectionName,
    // Reconnect with capped backoff forever; each app decides what to do while Redis is away.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
  const tuned: RedisOptions = options.failFast
    ? // Request paths also pipeline automatically: concurrent webhooks share one write to Redis.
      {
        ...base,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        connectTimeout: 2000,
        enableAutoPipelining: true,
      }
    : { ...base, maxRetriesPerRequest: null };
  return new Redis(url, tuned);
}
