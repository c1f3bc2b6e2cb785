import type { Cluster, Redis } from 'ioredis';
import type { SyncKeys } from './keys.js';

/** One person waiting for their manager. */
export interface ManagerWait {
  externalId: string;
  managerExternalId: string;
  /** Epoch ms the wait began. */
  sinceMs: number;
}

/**
 * How long people have waited for a manager who is not in the target yet, so one who never arrives is reported
 * (once) instead of silently leaving the manager unset.
 */
export interface ManagerWaitClock {
  /** `externalId` waits for `managerExternalId`: starts the clock, or restarts it when the manager changed. */
  waiting(externalId: string, managerExternalId: string, nowMs: number): Promise<void>;
  /** `externalId` waits for nobody (the manager was found, removed, or the person left). */
  stop(externalId: string): Promise<void>;
  /** Waits that began at or before `beganBy`, oldest first, at most `limit`. */
  overdue(beganBy: number, limit: number): Promise<ManagerWait[]>;
  /** Marks the wait reported; true for the one caller that marked it first. */
  markReported(externalId: string): Promise<boolean>;
}

/** The wait clock in Redis: a ZSET of since-times (`+inf` once reported) and a hash of who waits for whom. */
export class RedisManagerWaitClock implements ManagerWaitClock {
  private readonly redis: Redis | Cluster;
  private readonly keys: SyncKeys;

  constructor(options: { redis: Redis | Cluster; keys: SyncKeys }) {
    this.redis = options.redis;
    this.keys = options.keys;
  }

  async waiting(externalId: string, managerExternalId: string, nowMs: number): Promise<void> {
    const { managerWaitSince, managerWaitFor } = this.keys;
    const previous = await this.redis.hget(managerWaitFor, externalId);
    if (previous === managerExternalId) {
      await this.redis.zadd(managerWaitSince, 'NX', nowMs, externalId);
      return;
    }
    // Another manager than before: the wait starts again (and may be reported again).
    await this.redis
      .multi()
      .hset(managerWaitFor, externalId, managerExternalId)
      .zadd(managerWaitSince, nowMs, externalId)
      .exec();
  }

  async stop(externalId: string): Promise<void> {
    await this.redis
      .multi()
      .zrem(this.keys.managerWaitSince, externalId)
      .hdel(this.keys.managerWaitFor, externalId)
      .exec();
  }

  async overdue(beganBy: number, limit: number): Promise<ManagerWait[]> {
    const flat = await this.redis.zrangebyscore(
      this.keys.managerWaitSince,
      '-inf',
      beganBy,
      'WITHSCORES',
      'LIMIT',
      0,
      limit,
    );
    const waits: ManagerWait[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const externalId = flat[i] as string;
      const managerExternalId = await this.redis.hget(this.keys.managerWaitFor, externalId);
      if (managerExternalId) waits.push({ externalId, managerExternalId, sinceMs: Number(flat[i + 1]) });
    }
    return waits;
  }

  async markReported(externalId: string): Promise<boolean> {
    // GT + CH: only the first caller raises the score to +inf and sees a change.
    const changed = await this.redis.zadd(this.keys.managerWaitSince, 'XX', 'GT', 'CH', '+inf', externalId);
    return Number(changed) === 1;
  }
}

/** The preview's clock: nobody starts or stops waiting. */
export const PREVIEW_MANAGER_WAITS: ManagerWaitClock = {
  waiting: async () => {},
  stop: async () => {},
  overdue: async () => [],
  markReported: async () => false,
};
