import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisTopology } from './redis-topology.js';

/** Any client `createRedisClient` returns: one server or Sentinel-managed primary (`Redis`), or a `Cluster`. */
export type RedisClient = Redis | Cluster;

export interface RedisConnectionOptions {
  /** Name shown by `CLIENT LIST`, to tell the apps apart. */
  connectionName?: string;
  /**
   * Blocking clients (BullMQ workers) must wait through outages (`maxRetriesPerRequest: null`); request paths
   * (the API) must fail fast so a webhook gets a 503 rather than hanging.
   */
  failFast?: boolean;
}

// Reconnect with capped backoff forever; each app decides what to do while Redis is away.
const reconnectDelay = (times: number) => Math.min(times * 200, 2000);

/** Per-connection options shared by every topology; the two flavours the apps use. */
function connectionOptions(options: RedisConnectionOptions): RedisOptions {
  const base: RedisOptions = { connectionName: options.connectionName };
  return options.failFast
    ? { ...base, maxRetriesPerRequest: 0, connectTimeout: 2000 }
    : // BullMQ refuses a blocking connection that gives up on a command (`maxRetriesPerRequest` must be null).
      { ...base, maxRetriesPerRequest: null };
}

/** An ioredis client for a `redis://` URL, configured for BullMQ or for fail-fast request handling. */
export function createRedis(url: string, options: RedisConnectionOptions = {}): Redis {
  return createRedisClient({ kind: 'standalone', url }, options);
}

/**
 * An ioredis client for `topology`: a `Redis` for a standalone server or a Sentinel-managed primary, a `Cluster`
 * for Redis Cluster. `failFast` clients (request paths) reject commands while disconnected and pipeline
 * concurrent commands automatically; the others (BullMQ, workers) queue commands and wait through outages.
 * Both reconnect forever; a Sentinel client follows a promotion by itself.
 */
export function createRedisClient(
  topology: Exclude<RedisTopology, { kind: 'cluster' }>,
  options?: RedisConnectionOptions,
): Redis;
export function createRedisClient(
  topology: Extract<RedisTopology, { kind: 'cluster' }>,
  options?: RedisConnectionOptions,
): Cluster;
export function createRedisClient(topology: RedisTopology, options?: RedisConnectionOptions): RedisClient;
export function createRedisClient(
  topology: RedisTopology,
  options: RedisConnectionOptions = {},
): RedisClient {
  const perConnection = connectionOptions(options);
  // Request paths also pipeline automatically: concurrent webhooks share one write to Redis.
  const queueing = options.failFast
    ? { enableOfflineQueue: false, enableAutoPipelining: true }
    : { enableOfflineQueue: true };
  switch (topology.kind) {
    case 'standalone':
      return new Redis(topology.url, { ...perConnection, ...queueing, retryStrategy: reconnectDelay });
    case 'sentinel':
      return new Redis({
        ...perConnection,
        ...queueing,
        retryStrategy: reconnectDelay,
        sentinels: topology.sentinels,
        name: topology.masterName,
        sentinelPassword: topology.sentinelPassword,
        password: topology.password,
        ...(topology.tls ? { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true } : {}),
        // No failover detector: in ioredis 6.0.0 a `+switch-master` that arrives while the client is reconnecting
        // (asking a sentinel for the primary) makes that connect fail with "Connection is closed" and the client
        // ends for good, never reconnecting (seen in the Sentinel failover e2e test). Without it a client finds the
        // new primary on its next reconnect (at most 2 s apart), and a demoted primary's READONLY does the rest.
        failoverDetector: false,
        // A primary demoted to replica while this client was connected answers writes with READONLY: reconnect,
        // ask the sentinels again and resend.
        reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
      });
    case 'cluster': {
      const clusterOptions: ClusterOptions = {
        ...queueing,
        clusterRetryStrategy: reconnectDelay,
        redisOptions: {
          ...perConnection,
          password: topology.password,
          ...(topology.tls ? { tls: {} } : {}),
        },
      };
      return new Cluster(topology.nodes, clusterOptions);
    }
  }
}
