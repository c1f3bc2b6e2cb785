import type { ScimUser } from '@dirsync/scim';
import type { Cluster, Redis } from 'ioredis';

/** One user of the target as the index knows it. */
export interface IndexedUser {
  scimId: string;
  version?: string | undefined;
  /** Owned attributes (plus externalId, userName, active); absent when the index only knows the user exists. */
  user?: ScimUser | undefined;
  /** Whose user this is when `user` is absent (a write answered without a body). */
  externalId?: string | undefined;
}

/** Age and size of the index, for metrics and the dashboard. */
export interface DirectoryIndexStats {
  /** Epoch ms when the last complete build started (what it describes); undefined when never built. */
  builtAt: number | undefined;
  users: number;
}

/** A fresh index: may answer "this person is not in the target". */
export interface DirectoryIndexView {
  findByExternalId(externalId: string): Promise<IndexedUser | undefined>;
  findByUserName(userName: string): Promise<IndexedUser | undefined>;
}

interface StoredEntry {
  v?: string;
  u?: ScimUser;
  /** When this entry was written; a build prunes entries older than its start. */
  at: number;
}

const PRUNE_SCAN_COUNT = 500;

/**
 * The directory index: every target user's id, version and owned attributes keyed by SCIM id, with externalId → id
 * and userName → id. Built by a paged read of the whole directory and kept current by every write the sync makes,
 * so a cold person costs one write instead of a lookup and a write. Trusted only while younger than `maxAgeMs`.
 */
export class DirectoryIndex {
  private readonly redis: Redis | Cluster;
  readonly maxAgeMs: number;
  private readonly usersKey: string;
  private readonly byExternalIdKey: string;
  private readonly byUserNameKey: string;
  private readonly metaKey: string;

  constructor(options: { redis: Redis | Cluster; prefix: string; maxAgeMs: number }) {
    this.redis = options.redis;
    this.maxAgeMs = options.maxAgeMs;
    this.usersKey = `${options.prefix}:dirindex:users`;
    this.byExternalIdKey = `${options.prefix}:dirindex:ext`;
    this.byUserNameKey = `${options.prefix}:dirindex:uname`;
    this.metaKey = `${options.prefix}:dirindex:meta`;
  }

  async stats(): Promise<DirectoryIndexStats> {
    const [builtAt, users] = await Promise.all([
      this.redis.hget(this.metaKey, 'builtAt'),
      this.redis.hlen(this.usersKey),
    ]);
    return { builtAt: builtAt === null ? undefined : Number(builtAt), users };
  }

  /** The index when it is fresh enough to trust, else undefined (look people up first). */
  async freshView(now = Date.now()): Promise<DirectoryIndexView | undefined> {
    const builtAt = await this.redis.hget(this.metaKey, 'builtAt');
    if (builtAt === null || now - Number(builtAt) >= this.maxAgeMs) return undefined;
    return {
      findByExternalId: (externalId) => this.findVia(this.byExternalIdKey, externalId, 'externalId'),
      findByUserName: (userName) => this.findVia(this.byUserNameKey, userName.toLowerCase(), 'userName'),
    };
  }

  /** Records users as they are now (a page read, or the answer to a write). */
  async record(users: readonly IndexedUser[], at = Date.now()): Promise<void> {
    if (users.length === 0) return;
    const multi = this.redis.multi();
    for (const { scimId, version, user, externalId } of users) {
      const entry: StoredEntry = { at };
      if (version !== undefined) entry.v = version;
      if (user) entry.u = user;
      multi.hset(this.usersKey, scimId, JSON.stringify(entry));
      const owner = typeof user?.externalId === 'string' ? user.externalId : externalId;
      if (owner) multi.hset(this.byExternalIdKey, owner, scimId);
      if (typeof user?.userName === 'string')
        multi.hset(this.byUserNameKey, user.userName.toLowerCase(), scimId);
    }
    await multi.exec();
  }

  /**
   * What we knew of this person's user may be wrong (it answered 404, or reconcile found drift): keep only that the
   * id existed, so the next sync reads it afresh instead of trusting the index either way.
   */
  async forget(externalId: string): Promise<void> {
    const scimId = await this.redis.hget(this.byExternalIdKey, externalId);
    if (!scimId) return;
    const entry = await this.entry(scimId);
    const userName = entry?.u?.userName;
    const multi = this.redis.multi();
    if (typeof userName === 'string') multi.hdel(this.byUserNameKey, userName.toLowerCase());
    multi.hset(this.usersKey, scimId, JSON.stringify({ at: Date.now() } satisfies StoredEntry));
    await multi.exec();
  }

  /** Ends a complete build that started at `startedAt`: drops users it did not see, then trusts the index. */
  async completeBuild(startedAt: number): Promise<DirectoryIndexStats> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.usersKey, cursor, 'COUNT', PRUNE_SCAN_COUNT);
      cursor = next;
      const gone: string[] = [];
      for (let i = 0; i < flat.length; i += 2) {
        const entry = JSON.parse(flat[i + 1] as string) as StoredEntry;
        if (entry.at < startedAt) gone.push(flat[i] as string);
      }
      if (gone.length > 0) await this.redis.hdel(this.usersKey, ...gone);
    } while (cursor !== '0');
    await this.redis.hset(this.metaKey, 'builtAt', String(startedAt));
    return this.stats();
  }

  /** Removes the whole index (tests, or a target switched to another org). */
  async clear(): Promise<void> {
    await this.redis.del(this.usersKey, this.byExternalIdKey, this.byUserNameKey, this.metaKey);
  }

  /** An id from a secondary map, checked against the entry: a renamed or re-keyed user no longer matches. */
  private async findVia(
    mapKey: string,
    key: string,
    attribute: 'externalId' | 'userName',
  ): Promise<IndexedUser | undefined> {
    const scimId = await this.redis.hget(mapKey, key);
    if (!scimId) return undefined;
    const entry = await this.entry(scimId);
    if (!entry) return undefined;
    if (entry.u) {
      const held = entry.u[attribute];
      const matches =
        typeof held === 'string' && (attribute === 'userName' ? held.toLowerCase() : held) === key;
      if (!matches) return undefined;
    } else if (attribute === 'userName') {
      return undefined;
    }
    return { scimId, version: entry.v, user: entry.u };
  }

  private async entry(scimId: string): Promise<StoredEntry | undefined> {
    const raw = await this.redis.hget(this.usersKey, scimId);
    return raw ? (JSON.parse(raw) as StoredEntry) : undefined;
  }
}
