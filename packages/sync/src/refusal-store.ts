import type { Cluster, Redis } from 'ioredis';
import type { SyncKeys } from './keys.js';

/** A value the target refused for one attribute of one person. */
export interface RememberedRefusal {
  /** Hash of the refused value (see `hashValue`): the same value is not sent again. */
  hash: string;
  /** The target's explanation. */
  detail: string;
  targetCorrelationId?: string | undefined;
  /** Epoch ms of the refusal. */
  at: number;
}

/** Refused values per person and SCIM path (Redis, or the preview's overlay). */
export interface RefusalMemory {
  recall(externalId: string): Promise<Map<string, RememberedRefusal>>;
  remember(externalId: string, refusals: ReadonlyMap<string, RememberedRefusal>): Promise<void>;
  forget(externalId: string, fields: readonly string[]): Promise<void>;
}

/** Remembers nothing: every refusal is found again (a syncer built without a store). */
export const FORGETFUL_REFUSALS: RefusalMemory = {
  recall: async () => new Map(),
  remember: async () => {},
  forget: async () => {},
};

const TTL_SECONDS = 30 * 86_400;

/** Remembered refusals in one Redis hash per person (SCIM path → JSON), kept as long as the target cache. */
export class RefusalStore implements RefusalMemory {
  private readonly redis: Redis | Cluster;
  private readonly keys: SyncKeys;

  constructor(options: { redis: Redis | Cluster; keys: SyncKeys }) {
    this.redis = options.redis;
    this.keys = options.keys;
  }

  async recall(externalId: string): Promise<Map<string, RememberedRefusal>> {
    const raw = await this.redis.hgetall(this.keys.refused(externalId));
    const out = new Map<string, RememberedRefusal>();
    for (const [field, json] of Object.entries(raw)) {
      try {
        out.set(field, JSON.parse(json) as RememberedRefusal);
      } catch {
        // An unreadable entry is as good as none: the value is sent again and refused again at worst.
      }
    }
    return out;
  }

  async remember(externalId: string, refusals: ReadonlyMap<string, RememberedRefusal>): Promise<void> {
    if (refusals.size === 0) return;
    const key = this.keys.refused(externalId);
    const fields = [...refusals].flatMap(([field, entry]) => [field, JSON.stringify(entry)]);
    await this.redis
      .multi()
      .hset(key, ...fields)
      .expire(key, TTL_SECONDS)
      .exec();
  }

  async forget(externalId: string, fields: readonly string[]): Promise<void> {
    if (fields.length === 0) return;
    await this.redis.hdel(this.keys.refused(externalId), ...fields);
  }
}
