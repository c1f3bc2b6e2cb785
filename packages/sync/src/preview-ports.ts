import type { RefusalMemory, RememberedRefusal } from './refusal-store.js';
import type { ManagerWaitlist, TargetCachePort } from './sync-ports.js';
import type { CachedTarget } from './target-cache.js';

/**
 * The preview's cache: reads the real cache, keeps its own writes in memory for the one preview, and never
 * touches Redis.
 */
export class PreviewCache implements TargetCachePort {
  private readonly inner: TargetCachePort;
  private readonly overlay = new Map<string, CachedTarget | 'missing' | 'dropped'>();

  constructor(inner: TargetCachePort) {
    this.inner = inner;
  }

  async get(externalId: string): Promise<CachedTarget | undefined> {
    const own = this.overlay.get(externalId);
    if (own === undefined) return this.inner.get(externalId);
    return typeof own === 'string' ? undefined : own;
  }

  async isKnownMissing(externalId: string): Promise<boolean> {
    const own = this.overlay.get(externalId);
    if (own === undefined) return this.inner.isKnownMissing(externalId);
    return own === 'missing';
  }

  async set(externalId: string, entry: CachedTarget): Promise<void> {
    this.overlay.set(externalId, entry);
  }

  async markMissing(externalId: string): Promise<void> {
    this.overlay.set(externalId, 'missing');
  }

  async drop(externalId: string): Promise<void> {
    this.overlay.set(externalId, 'dropped');
  }
}

/** The preview's waiting list: nobody starts or stops waiting, nobody is released. */
export const PREVIEW_WAITLIST: ManagerWaitlist = {
  waitForManager: async () => {},
  stopWaitingForManager: async () => {},
  releaseManagerWaiters: async () => [],
};

/** The preview's refusal memory: reads the real one, remembers and forgets only for the one preview. */
export class PreviewRefusals implements RefusalMemory {
  private readonly inner: RefusalMemory;
  private readonly overlay = new Map<string, Map<string, RememberedRefusal>>();

  constructor(inner: RefusalMemory) {
    this.inner = inner;
  }

  async recall(externalId: string): Promise<Map<string, RememberedRefusal>> {
    return new Map(this.overlay.get(externalId) ?? (await this.inner.recall(externalId)));
  }

  async remember(externalId: string, refusals: ReadonlyMap<string, RememberedRefusal>): Promise<void> {
    const own = await this.recall(externalId);
    for (const [field, entry] of refusals) own.set(field, entry);
    this.overlay.set(externalId, own);
  }

  async forget(externalId: string, fields: readonly string[]): Promise<void> {
    const own = await this.recall(externalId);
    for (const field of fields) own.delete(field);
    this.overlay.set(externalId, own);
  }
}
