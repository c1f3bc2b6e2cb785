import type { ScimUser } from '@dirsync/scim';
import type { Cluster, Redis } from 'ioredis';
import type { SyncKeys } from './keys.js';
import type { TargetBaseline } from './target-baseline.js';

/** What the target held for a person after our last read or write. */
export interface CachedTarget {
  scimId: string;
  /** The entity tag to send as `If-Match`; absent when the target has none. */
  version?: string;
  /** The owned attributes (plus roles and active) as last seen; absent when a write answered without a body. */
  user?: ScimUser;
  /** Where the target's answer to our last write differs from what was sent (not written over again). */
  baseline?: TargetBaseline;
  syncedAt: number;
}

/** The cache entry after a read or write: the user projected to what the sync owns (plus `active`). */
export function cacheEntry(
  entry: {
    scimId: string;
    version?: string | undefined;
    user?: ScimUser | undefined;
    baseline?: TargetBaseline;
  },
  project: (user: ScimUser) => ScimUser,
): CachedTarget {
  const cached: CachedTarget = { scimId: entry.scimId, syncedAt: Date.now() };
  if (entry.version !== undefined) cached.version = entry.version;
  if (entry.user) {
    cached.user = project(entry.user);
    if (entry.user.active !== undefined) cached.user.active = entry.user.active;
  }
  if (entry.baseline && Object.keys(entry.baseline).length > 0) cached.baseline = entry.baseline;
  return cached;
}

const TTL_SECONDS = 30 * 86_400;
/** How long "this manager is not in the target" is believed before looking again. */
const MISSING_TTL_SECONDS = 300;

/**
 * The target-side cache: SCIM id, version and last known state per externalId, so a warm update is one PATCH with
 * `If-Match` and no lookup. A stale entry is harmless: the version check fails and the sync re-reads.
 */
export class TargetCache {
  private readonly redis: Redis | Cluster;
  private readonly keys: SyncKeys;

  constructor(options: { redis: Redis | Cluster; keys: SyncKeys }) {
    this.redis = options.redis;
    this.keys = options.keys;
  }

  async get(externalId: string): Promise<CachedTarget | undefined> {
    const raw = await this.redis.get(this.keys.target(externalId));
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as CachedTarget | { missing: true };
    return 'missing' in parsed ? undefined : parsed;
  }

  /** True when a recent lookup found nobody with this externalId. */
  async isKnownMissing(externalId: string): Promise<boolean> {
    const raw = await this.redis.get(this.keys.target(externalId));
    return raw !== null && (JSON.parse(raw) as { missing?: boolean }).missing === true;
  }

  async set(externalId: string, entry: CachedTarget): Promise<void> {
    await this.redis.set(this.keys.target(externalId), JSON.stringify(entry), 'EX', TTL_SECONDS);
  }

  async markMissing(externalId: string): Promise<void> {
    await this.redis.set(
      this.keys.target(externalId),
      JSON.stringify({ missing: true }),
      'EX',
      MISSING_TTL_SECONDS,
    );
  }

  async drop(externalId: string): Promise<void> {
    await this.redis.del(this.keys.target(externalId));
  }
}
