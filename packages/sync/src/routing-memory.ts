import type { Cluster, Redis } from 'ioredis';
import type { RoutingKind } from './routing-skills.js';

/** Per kind: the names dirsync added itself, and the names the target refused for one HR list. */
export interface RoutingRecollection {
  added: Partial<Record<RoutingKind, string[]>>;
  /** Refused names are not sent again until HR's list (`fingerprint`) changes. */
  refused: Partial<Record<RoutingKind, { fingerprint: string; names: string[] }>>;
}

/** What dirsync remembers per person about the skills and languages it writes. */
export interface RoutingMemory {
  get(externalId: string): Promise<RoutingRecollection>;
  set(externalId: string, value: RoutingRecollection): Promise<void>;
}

const empty = (): RoutingRecollection => ({ added: {}, refused: {} });

/**
 * Redis-backed routing memory: when the policy names no managed skills (or languages), only those dirsync added
 * itself are ever changed or removed, so it must remember them for as long as the person exists.
 */
export class RedisRoutingMemory implements RoutingMemory {
  constructor(private readonly options: { redis: Redis | Cluster; key: (externalId: string) => string }) {}

  async get(externalId: string): Promise<RoutingRecollection> {
    const raw = await this.options.redis.get(this.options.key(externalId));
    return raw ? { ...empty(), ...(JSON.parse(raw) as RoutingRecollection) } : empty();
  }

  async set(externalId: string, value: RoutingRecollection): Promise<void> {
    await this.options.redis.set(this.options.key(externalId), JSON.stringify(value));
  }
}

/** The preview's routing memory: reads the real one, keeps its writes in memory. */
export class PreviewRoutingMemory implements RoutingMemory {
  private readonly overlay = new Map<string, RoutingRecollection>();

  constructor(private readonly inner: RoutingMemory) {}

  async get(externalId: string): Promise<RoutingRecollection> {
    return this.overlay.get(externalId) ?? this.inner.get(externalId);
  }

  async set(externalId: string, value: RoutingRecollection): Promise<void> {
    this.overlay.set(externalId, value);
  }
}

/** A memory that remembers nothing (tests and hosts without Redis for it). */
export const NO_ROUTING_MEMORY: RoutingMemory = {
  get: async () => empty(),
  set: async () => {},
};
