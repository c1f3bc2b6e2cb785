import { type PatchOperation, ScimError, type ScimUser } from '@dirsync/scim';
import { ConflictExhaustedError } from './sync-errors.js';
import type { ScimTarget, TargetCachePort } from './sync-ports.js';
import type { TargetCaller } from './target-caller.js';
import type { LocatedUser } from './user-locator.js';

/** What PATCHing a located user came to. */
export type PatchResult =
  | { kind: 'unchanged'; user: ScimUser; version?: string | undefined }
  | { kind: 'written'; user?: ScimUser | undefined; version?: string | undefined; wasInactive: boolean }
  /** The user is not in the target (any more). */
  | { kind: 'gone' };

export interface PatchLoopInput {
  target: ScimTarget;
  cache: TargetCachePort;
  caller: TargetCaller;
  located: LocatedUser;
  /** Re-sends after a version conflict (contract: at most 3). */
  maxResends: number;
  computeOps: (current: ScimUser) => PatchOperation[];
}

/**
 * PATCHes with `If-Match` until the target takes it: on a version conflict re-read, re-diff and re-send, at most
 * `maxResends` times; a cached id answered 404 is dropped and looked up again.
 */
export async function patchUntilTaken(input: PatchLoopInput): Promise<PatchResult> {
  const { target, caller, computeOps } = input;
  const ctx = caller.context;
  let { located } = input;
  let current = located.user;
  let version = located.version;
  let resends = 0;
  let mayBeStale = located.fromCache;
  for (;;) {
    const ops = computeOps(current);
    if (ops.length === 0) return { kind: 'unchanged', user: current, version };
    const scimId = located.scimId;
    try {
      const result = await caller.call(() => target.patchUser(scimId, ops, { version }, ctx));
      return {
        kind: 'written',
        user: result.user,
        version: result.version,
        wasInactive: current.active === false,
      };
    } catch (error) {
      if (!(error instanceof ScimError)) throw error;
      if (error.kind === 'not_found') {
        if (!mayBeStale) return { kind: 'gone' };
        // The cached id is gone (the user was deleted or the cache is from another org): look again.
        const externalId = String(current.externalId ?? '');
        if (externalId) await input.cache.drop(externalId);
        const found = externalId
          ? await caller.call(() => target.findByExternalId(externalId, ctx))
          : undefined;
        if (!found?.id) return { kind: 'gone' };
        located = { scimId: found.id, version: found.meta?.version, user: found, fromCache: false };
        current = found;
        version = found.meta?.version;
        mayBeStale = false;
        continue;
      }
      if (error.kind !== 'version_conflict') throw error;
      if (resends >= input.maxResends) throw new ConflictExhaustedError(resends, error);
      resends += 1;
      const fresh = await caller.call(() => target.getUser(scimId, ctx));
      current = fresh.user;
      version = fresh.version;
      mayBeStale = false;
    }
  }
}
