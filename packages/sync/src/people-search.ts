import type { Cluster, Redis } from 'ioredis';
import type { PeopleSearchView } from './console-view.js';
import type { SyncKeys } from './keys.js';
import { normalizeTerm, type SearchDoc, TERM_SEPARATOR } from './search-terms.js';

type Result = PeopleSearchView['results'][number];

/** Members read per ZRANGEBYLEX, and how many pages a query may read before it says "truncated". */
const PAGE = 200;
const MAX_PAGES = 5;
/** Above any byte of a UTF-8 term: `[term` … `[term\xff` is every member starting with `term`. */
const TOP = Buffer.from([0xff]);

/**
 * The console's people search: a ZSET of `<term>\0<externalId>` members (all scores 0) that ZRANGEBYLEX reads by
 * prefix, kept by the worker after each sync (see SyncRecorder), plus an exact externalId lookup in the person
 * store for people HR sent whom no sync has indexed yet. A few round trips, whatever the number of people.
 */
export class PeopleSearch {
  private readonly redis: Redis | Cluster;
  private readonly keys: SyncKeys;

  constructor(options: { redis: Redis | Cluster; keys: SyncKeys }) {
    this.redis = options.redis;
    this.keys = options.keys;
  }

  /** People whose externalId, userName, e-mail or name has a word starting with `q` (case-insensitive). */
  async search(q: string, limit = 50): Promise<PeopleSearchView> {
    const wanted = normalizeTerm(q);
    const max = Math.min(Math.max(1, Math.floor(limit)), 200);
    if (!wanted) return { q, results: [], truncated: false };
    const exact = q.trim();
    const [known, matched] = await Promise.all([
      this.redis.hexists(this.keys.person(exact), 'data'),
      this.matching(wanted, max + 1),
    ]);
    const ids = known === 1 ? [exact, ...matched.ids.filter((id) => id !== exact)] : matched.ids;
    const truncated = matched.more || ids.length > max;
    return { q, results: await this.describe(ids.slice(0, max)), truncated };
  }

  /** Up to `wanted` distinct people with a term starting with `prefix`, in term order. */
  private async matching(prefix: string, wanted: number): Promise<{ ids: string[]; more: boolean }> {
    const min = Buffer.from(`[${prefix}`);
    const top = Buffer.concat([min, TOP]);
    const ids = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const members = await this.redis.zrangebylex(
        this.keys.searchTerms,
        min,
        top,
        'LIMIT',
        page * PAGE,
        PAGE,
      );
      for (const member of members) {
        ids.add(member.slice(member.indexOf(TERM_SEPARATOR) + 1));
        if (ids.size >= wanted) return { ids: [...ids], more: true };
      }
      if (members.length < PAGE) return { ids: [...ids], more: false };
    }
    return { ids: [...ids], more: true };
  }

  /** Each person as the results show them: from the search doc and the person's state (one pipeline). */
  private async describe(ids: string[]): Promise<Result[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    pipeline.hmget(this.keys.searchDocs, ...ids);
    for (const id of ids)
      pipeline.hmget(this.keys.person(id), 'data', 'rev', 'appliedRev', 'failedRev', 'active');
    const replies = (await pipeline.exec()) ?? [];
    const docs = (replies[0]?.[1] ?? []) as Array<string | null>;
    return ids.map((externalId, i) => {
      const result: Result = { externalId, state: 'unknown' };
      const raw = docs[i];
      const doc = raw ? (JSON.parse(raw) as SearchDoc) : undefined;
      if (doc?.u) result.userName = doc.u;
      if (doc?.d) result.displayName = doc.d;
      const [data, rev, applied, failed, active] = (replies[i + 1]?.[1] ?? []) as Array<string | null>;
      if (data) {
        result.state = syncState(Number(rev ?? 0), Number(applied ?? 0), Number(failed ?? 0));
        result.active = active !== '0';
      }
      return result;
    });
  }
}

/** A person's sync state from their revisions: failed for good, waiting for a sync, or synced. */
export function syncState(rev: number, appliedRev: number, failedRev: number): Result['state'] {
  if (failedRev > 0 && failedRev >= rev) return 'failed';
  if (rev > appliedRev) return 'pending';
  return 'synced';
}
