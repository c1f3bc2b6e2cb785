import { type OwnedPath, type PatchOperation, ScimError, type ScimUser } from '@dirsync/scim';
import type { RefusedField } from './refused-attributes.js';
import { patchSplitting } from './split-patch.js';
import { ConflictExhaustedError } from './sync-errors.js';
import type { ScimTarget, TargetCachePort } from './sync-ports.js';
import type { TargetCaller } from './target-caller.js';
import type { LocatedUser } from './user-locator.js';

/** What PATCHing a located user came to. */
export type PatchResult =
  | { kind: 'unchanged'; user: ScimUser; version?: string | undefined }
  | {
      kind: 'written';
      user?: ScimUser | undefined;
      version?: string | undefined;
      wasInactive: boolean;
      /** Fields the target refused; the rest was written. */
      refused: RefusedField[];
      /** False when the target refused everything that was sent. */
      taken: boolean;
    }
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
  /** The owned fields, to split a refused PATCH by field (absent: a refusal fails the whole write). */
  fields?: readonly OwnedPath[];
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
      const wasInactive = current.active === false;
      if (input.fields) {
        const split = await patchSplitting({ target, caller, scimId, version, ops, fields: input.fields });
        return { kind: 'written', ...split, wasInactive };
      }
      const result = await caller.call(() => target.patchUser(scimId, ops, { version }, ctx));
      return {
        kind: 'written',
        user: result.user,
        version: result.version,
        wasInactive,
        refused: [],
        taken: true,
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
