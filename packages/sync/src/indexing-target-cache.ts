import type { DirectoryIndex } from './directory-index.js';
import type { TargetCachePort } from './sync-ports.js';
import type { CachedTarget } from './target-cache.js';

/**
 * The target cache that also keeps the directory index current: every read or write the sync remembers updates
 * the index, and every entry the sync stops trusting is forgotten there too.
 */
export class IndexingTargetCache implements TargetCachePort {
  private readonly cache: TargetCachePort;
  private readonly index: DirectoryIndex;

  constructor(cache: TargetCachePort, index: DirectoryIndex) {
    this.cache = cache;
    this.index = index;
  }

  get(externalId: string): Promise<CachedTarget | undefined> {
    return this.cache.get(externalId);
  }

  isKnownMissing(externalId: string): Promise<boolean> {
    return this.cache.isKnownMissing(externalId);
  }

  async set(externalId: string, entry: CachedTarget): Promise<void> {
    const user = entry.user ? { ...entry.user, externalId } : undefined;
    await Promise.all([
      this.cache.set(externalId, entry),
      this.index.record([{ scimId: entry.scimId, version: entry.version, user, externalId }]),
    ]);
  }

  markMissing(externalId: string): Promise<void> {
    return this.cache.markMissing(externalId);
  }

  async drop(externalId: string): Promise<void> {
    await Promise.all([this.cache.drop(externalId), this.index.forget(externalId)]);
  }
}
