import type { Discrepancy } from '@dirsync/reports';
import type { NoteLedger } from './note-ledger.js';
import type { PersonState } from './person-state.js';
import type { PersonSyncResult } from './person-sync-result.js';
import type { TargetCachePort } from './sync-ports.js';
import type { CachedTarget } from './target-cache.js';

/** OUT_OF_SCOPE: what happens to a synced person whose record no longer maps. */
export type OutOfScopeMode = 'deactivate' | 'leave';

/** The report's note on a person who fell out of scope after being synced. */
export function outOfScopeNote(state: PersonState, cached: CachedTarget, mode: OutOfScopeMode): Discrepancy {
  return {
    externalId: state.externalId,
    scimId: cached.scimId,
    correlationId: state.correlationId,
    type: 'out_of_scope',
    detail:
      mode === 'leave'
        ? 'the HR record no longer maps (out of scope) after being synced; OUT_OF_SCOPE=leave: the account was left as is'
        : 'the HR record no longer maps (out of scope) after being synced: deactivated like a leaver',
  };
}

/**
 * A person whose record no longer maps. Never synced: skipped, nothing written. Synced before (the cache knows
 * their user): deactivated like a leaver (the deactivation honours PROTECTED_USERS), or with `leave` left as is
 * and reported once.
 */
export async function handleOutOfScope(
  state: PersonState,
  deps: {
    cache: TargetCachePort;
    notes: NoteLedger;
    mode: OutOfScopeMode;
    deactivate: () => Promise<PersonSyncResult>;
    skip: (notes: Discrepancy[]) => PersonSyncResult;
  },
): Promise<PersonSyncResult> {
  const cached = await deps.cache.get(state.externalId);
  if (!cached) return deps.skip([]);
  if (deps.mode === 'leave') {
    const first = await deps.notes.first(state.externalId, 'out-of-scope');
    return deps.skip(first ? [outOfScopeNote(state, cached, 'leave')] : []);
  }
  const result = await deps.deactivate();
  if (result.kind === 'synced' && result.outcome === 'deactivated') {
    result.discrepancies.push(outOfScopeNote(state, cached, 'deactivate'));
  }
  return result;
}
