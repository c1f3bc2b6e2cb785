import type { ScimGroupRef } from '@dirsync/scim';
import type { Cluster, Redis } from 'ioredis';
import type { RequestContext } from './sync-ports.js';
import type { TargetCaller } from './target-caller.js';

/** What the sync needs from the target's /Groups (the SCIM client, or the preview's recording target). */
export interface GroupTarget {
  findGroupByDisplayName(displayName: string, ctx?: RequestContext): Promise<ScimGroupRef | undefined>;
  patchGroupMembers(
    groupId: string,
    change: { add?: readonly string[]; remove?: readonly string[] },
    ctx?: RequestContext,
  ): Promise<unknown>;
}

/** How long "Genesys has no group of this name" is believed (an admin may create it meanwhile). */
const MISSING_TTL_MS = 5 * 60_000;

/**
 * Group name → Genesys group id. Groups are found by `displayName` once per process and remembered in Redis
 * (shared by every process), so the steady state costs no lookup at all. Names compare without case, as
 * Genesys compares them. An id answered 404 later is forgotten (`forget`) and looked up again next time.
 */
export class GroupDirectory {
  private readonly known = new Map<string, ScimGroupRef>();
  private readonly missing = new Map<string, number>();
  private readonly pending = new Map<string, Promise<ScimGroupRef | undefined>>();

  constructor(private readonly options: { redis: Redis | Cluster; key: string; now?: () => number }) {}

  /** The group of this name, or undefined when Genesys has none. Lookups go through `caller` (budget, 429s). */
  async resolve(name: string, target: GroupTarget, caller: TargetCaller): Promise<ScimGroupRef | undefined> {
    const fold = name.toLowerCase();
    const hit = this.known.get(fold);
    if (hit) return hit;
    const missingSince = this.missing.get(fold);
    if (missingSince !== undefined && this.now() - missingSince < MISSING_TTL_MS) return undefined;
    // One lookup per name even when many people ask for it at once.
    let lookup = this.pending.get(fold);
    if (!lookup) {
      lookup = this.lookUp(name, fold, target, caller).finally(() => this.pending.delete(fold));
      this.pending.set(fold, lookup);
    }
    return lookup;
  }

  /** The group's id turned out stale (404): look it up again next time. */
  async forget(name: string): Promise<void> {
    const fold = name.toLowerCase();
    this.known.delete(fold);
    await this.options.redis.hdel(this.options.key, fold);
  }

  private async lookUp(
    name: string,
    fold: string,
    target: GroupTarget,
    caller: TargetCaller,
  ): Promise<ScimGroupRef | undefined> {
    const stored = await this.options.redis.hget(this.options.key, fold);
    if (stored) {
      const group = JSON.parse(stored) as ScimGroupRef;
      this.known.set(fold, group);
      return group;
    }
    const found = await caller.call(() => target.findGroupByDisplayName(name, caller.context));
    if (!found) {
      this.missing.set(fold, this.now());
      return undefined;
    }
    this.missing.delete(fold);
    this.known.set(fold, found);
    await this.options.redis.hset(this.options.key, fold, JSON.stringify(found));
    return found;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

/** Whether a target speaks /Groups (a generic SCIM test double may not). */
export function isGroupTarget(target: unknown): target is GroupTarget {
  const t = target as Partial<GroupTarget> | undefined;
  return typeof t?.findGroupByDisplayName === 'function' && typeof t.patchGroupMembers === 'function';
}
