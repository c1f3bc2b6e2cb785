import type { Cluster, Redis } from 'ioredis';
import type { SyncKeys } from './keys.js';

/** Remembers which once-only notes were reported, so a report says a thing once, not at every sync. */
export interface NoteLedger {
  /** True the first time `topic` is noted for `externalId`, false afterwards. */
  first(externalId: string, topic: string): Promise<boolean>;
  /** Forgets the note, so it is reported again when it applies again. */
  forget(externalId: string, topic: string): Promise<void>;
}

/** A year: long enough that a note is not repeated, short enough that markers of people long gone expire. */
const NOTE_TTL_SECONDS = 365 * 86_400;

/** The ledger in Redis: one marker key per person and topic. */
export class RedisNoteLedger implements NoteLedger {
  private readonly redis: Redis | Cluster;
  private readonly keys: SyncKeys;

  constructor(options: { redis: Redis | Cluster; keys: SyncKeys }) {
    this.redis = options.redis;
    this.keys = options.keys;
  }

  async first(externalId: string, topic: string): Promise<boolean> {
    const set = await this.redis.set(this.keys.note(externalId, topic), '1', 'EX', NOTE_TTL_SECONDS, 'NX');
    return set === 'OK';
  }

  async forget(externalId: string, topic: string): Promise<void> {
    await this.redis.del(this.keys.note(externalId, topic));
  }
}

/** The preview's ledger: every note is new (the preview shows what a sync would say), nothing is remembered. */
export const PREVIEW_NOTES: NoteLedger = {
  first: async () => true,
  forget: async () => {},
};
