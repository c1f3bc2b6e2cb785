import { z } from 'zod';
import { envInt, envRedisUrl, envString, unsetIfEmpty } from './env.js';
import { hashTagOf, parseHostPortList, type RedisNodeAddress, type RedisTopology } from './redis-topology.js';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const optionalString = envString();

const optionalRedisUrl = envRedisUrl();

function hostPortList(example: string) {
  return z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((value, ctx): RedisNodeAddress[] => {
        const parsed = parseHostPortList(value);
        if (parsed.ok) return parsed.nodes;
        // Position rather than value: configuration errors never echo what was set.
        const entries = value.split(',').map((s) => s.trim());
        const position = entries.indexOf(parsed.bad) + 1;
        ctx.addIssue({
          code: 'custom',
          message: `must be a comma-separated host:port list, e.g. ${example}${
            position > 0 ? ` (entry ${position} is not host:port with a port 1-65535)` : ''
          }`,
        });
        return z.NEVER;
      })
      .optional(),
  );
}

/**
 * The Redis topology from the environment (contract, "Environment"): `REDIS_URL` (default), or
 * `REDIS_SENTINELS` + `REDIS_SENTINEL_MASTER` (+ `REDIS_SENTINEL_PASSWORD`), or `REDIS_CLUSTER_NODES` — one of the
 * three; in cluster mode `QUEUE_PREFIX` must hold a hash tag. Also `REDIS_MIN_REPLICAS_ACK` (default 0).
 *
 * Compose it with an app's own schema so every bad variable is reported together:
 * `parseEnv(z.object({ ...appShape }).and(redisTopologyEnv), env)` gives the app's fields plus `redisTopology`
 * and `REDIS_MIN_REPLICAS_ACK`. It reads `QUEUE_PREFIX` only to check it; the app's schema still owns its value.
 */
export const redisTopologyEnv = z
  .object({
    REDIS_URL: optionalRedisUrl,
    REDIS_SENTINELS: hostPortList('10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379'),
    REDIS_SENTINEL_MASTER: optionalString,
    REDIS_SENTINEL_PASSWORD: optionalString,
    REDIS_CLUSTER_NODES: hostPortList('10.0.0.1:6379,10.0.0.2:6379,10.0.0.3:6379'),
    REDIS_MIN_REPLICAS_ACK: envInt({ default: 0, min: 0, max: 100 }),
    QUEUE_PREFIX: optionalString,
  })
  .superRefine((env, ctx) => {
    const chosen = (['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const).filter(
      (name) => env[name] !== undefined,
    );
    for (const name of chosen.slice(1)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `cannot be set together with ${chosen[0]}: REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES each choose the Redis topology; set only one`,
      });
    }
    if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_MASTER) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_SENTINEL_MASTER'],
        message:
          'is required with REDIS_SENTINELS: the master name the sentinels monitor (sentinel monitor <name> …)',
      });
    }
    if (!env.REDIS_SENTINELS) {
      for (const name of ['REDIS_SENTINEL_MASTER', 'REDIS_SENTINEL_PASSWORD'] as const) {
        if (env[name] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [name], message: 'has no effect without REDIS_SENTINELS' });
        }
      }
    }
    if (env.REDIS_CLUSTER_NODES && !hashTagOf(env.QUEUE_PREFIX ?? 'dirsync')) {
      ctx.addIssue({
        code: 'custom',
        path: ['QUEUE_PREFIX'],
        message:
          'must hold a hash tag when REDIS_CLUSTER_NODES is set, e.g. QUEUE_PREFIX={dirsync}: the queue and store scripts touch several keys at once, which Redis Cluster allows only when they share a slot',
      });
    }
  })
  .transform((env): { redisTopology: RedisTopology; REDIS_MIN_REPLICAS_ACK: number } => ({
    redisTopology: topologyFrom(env),
    REDIS_MIN_REPLICAS_ACK: env.REDIS_MIN_REPLICAS_ACK,
  }));

function topologyFrom(env: {
  REDIS_URL?: string | undefined;
  REDIS_SENTINELS?: RedisNodeAddress[] | undefined;
  REDIS_SENTINEL_MASTER?: string | undefined;
  REDIS_SENTINEL_PASSWORD?: string | undefined;
  REDIS_CLUSTER_NODES?: RedisNodeAddress[] | undefined;
}): RedisTopology {
  if (env.REDIS_SENTINELS && env.REDIS_SENTINEL_MASTER) {
    return {
      kind: 'sentinel',
      sentinels: env.REDIS_SENTINELS,
      masterName: env.REDIS_SENTINEL_MASTER,
      ...(env.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}),
    };
  }
  if (env.REDIS_CLUSTER_NODES) return { kind: 'cluster', nodes: env.REDIS_CLUSTER_NODES };
  return { kind: 'standalone', url: env.REDIS_URL ?? DEFAULT_REDIS_URL };
}
