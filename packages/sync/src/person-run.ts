import type { Logger } from '@dirsync/core';
import type { Discrepancy, Outcome, PersonResult } from '@dirsync/reports';
import type { DraftEntry } from './batch-draft-store.js';
import type { PersonState } from './person-state.js';
import type { PersonLock, PersonStore } from './person-store.js';
import type { PersonSyncFailure, PersonSyncResult } from './person-sync-result.js';
import type { PersonSyncer } from './person-syncer.js';
import type { RequestBudget } from './request-budget.js';
import { SyncTrace } from './sync-trace.js';
import type { TargetHealth } from './target-health.js';

/** A person whose sync failed for good in this run. */
export interface FailedPerson {
  externalId: string;
  rev: number;
  correlationId: string;
  code: string;
  message: string;
  /** The target's id of the refused request (Genesys: `ININ-Correlation-Id`), for its support. */
  targetCorrelationId?: string;
}

/** What one batch did for one person. */
export type PersonRunResult =
  /** Their newest revision is handled (`entry` says how), or another sync holds them (`contended`). */
  | { kind: 'handled' | 'contended'; entry: DraftEntry }
  /** Their newest change has not rested for the quiet period yet: run again at `dueAt`. */
  | { kind: 'resting'; dueAt: number }
  | { kind: 'retry'; failure: PersonSyncFailure }
  | { kind: 'quarantined'; reason: string };

export interface PersonRunDeps {
  people: PersonStore;
  syncer: Pick<PersonSyncer, 'sync'>;
  /** When present, a person's state is read only once their first request slot is granted. */
  budget?: Pick<RequestBudget, 'withSlot'> | undefined;
  health?: TargetHealth | undefined;
  onResync?: ((externalIds: string[]) => Promise<void>) | undefined;
  /** When a person still receiving changes may be written (undefined: now). */
  quietUntil: (state: PersonState) => Promise<number | undefined>;
  /** Keeps what each sync did (its requests, outcome, failure) for the console. */
  record?: ((state: PersonState, result: PersonSyncResult, trace: SyncTrace) => Promise<void>) | undefined;
}

/** Combines outcomes when one run applies several revisions of a person: a create stays a create. */
function mergeOutcome(previous: Outcome | undefined, next: Outcome): Outcome {
  if (!previous || previous === next) return next;
  if (next === 'unchanged') return previous;
  if (previous === 'created' && next === 'updated') return 'created';
  return next;
}

function draftEntry(
  fields: {
    externalId: string;
    outcome: Outcome;
    requests: number;
    scimId?: string | undefined;
    correlationId?: string | undefined;
    targetCorrelationId?: string | undefined;
  },
  discrepancies: Discrepancy[],
): DraftEntry {
  const result: PersonResult = {
    externalId: fields.externalId,
    outcome: fields.outcome,
    requests: fields.requests,
  };
  if (fields.scimId) result.scimId = fields.scimId;
  if (fields.correlationId) result.correlationId = fields.correlationId;
  if (fields.targetCorrelationId) result.targetCorrelationId = fields.targetCorrelationId;
  return { result, discrepancies };
}

function failedPerson(state: PersonState, failure: PersonSyncFailure): FailedPerson {
  const { externalId, rev, correlationId } = state;
  const failed: FailedPerson = {
    externalId,
    rev,
    correlationId,
    code: failure.error.code,
    message: failure.error.message,
  };
  if (failure.targetCorrelationId) failed.targetCorrelationId = failure.targetCorrelationId;
  return failed;
}

function dropFailure(failures: FailedPerson[], externalId: string): void {
  const at = failures.findIndex((f) => f.externalId === externalId);
  if (at >= 0) failures.splice(at, 1);
}

/** Keeps the person's lock alive while they are synced. */
function keepLock(people: PersonStore, lock: PersonLock, log: Logger | undefined): () => void {
  const renewal = setInterval(
    () => {
      people
        .renew(lock)
        .catch((error: unknown) =>
          log?.warn('lock renewal failed', { externalId: lock.externalId, err: error }),
        );
    },
    Math.max(1000, Math.floor(people.lockTtlMs / 3)),
  );
  renewal.unref();
  return () => clearInterval(renewal);
}

/**
 * Syncs the person's newest state. Under a binding budget the wait for a request slot comes first and the state is
 * read after it, so changes arriving while the person waits are written by this one request, however they are
 * spread in time.
 */
async function syncNewest(
  deps: PersonRunDeps,
  claimed: PersonState,
  signal: AbortSignal | undefined,
  park: boolean,
): Promise<{ state: PersonState; result: PersonSyncResult }> {
  const syncState = async (state: PersonState) => {
    const trace = new SyncTrace();
    const ctx = { correlationId: state.correlationId, signal, ...trace.listeners };
    const result = await deps.syncer.sync(state, ctx, { park });
    await deps.record?.(state, result, trace);
    return { state, result };
  };
  const { budget } = deps;
  if (!budget) return syncState(claimed);
  return budget.withSlot(
    async () => syncState((await deps.people.get(claimed.externalId)) ?? claimed),
    signal,
  );
}

/**
 * Syncs one person under their lock until their newest revision is handled: a revision that arrives while
 * syncing is applied at once, before the lock is let go (or the attempt must stop).
 */
export async function runPerson(
  deps: PersonRunDeps,
  externalId: string,
  input: { signal?: AbortSignal | undefined; logger?: Logger | undefined; park?: boolean | undefined },
  failures: FailedPerson[],
): Promise<PersonRunResult> {
  const { people } = deps;
  const log = input.logger;
  const claim = await people.claim(externalId);
  // Another sync holds this person: it applies their newest state before letting go (see PersonStore.complete).
  if (!claim) return { kind: 'contended', entry: { coalesced: true } };
  const { lock } = claim;
  let state: PersonState | undefined = claim.state;
  let held = true;
  const stopRenewing = keepLock(people, lock, log);
  // Marks a revision handled; true when a newer one arrived meanwhile (the lock is kept to apply it now).
  const markHandled = async (rev: number, failed: boolean): Promise<boolean> => {
    const done = await people.complete(lock, rev, { failed });
    if (done.status === 'lock_lost') log?.warn('lost the person lock while syncing', { externalId });
    if (done.status !== 'newer') held = false;
    return done.status === 'newer';
  };
  try {
    if (state && state.rev > state.appliedRev) {
      const dueAt = await deps.quietUntil(state);
      if (dueAt !== undefined) return { kind: 'resting', dueAt };
    }
    let outcome: Outcome | undefined;
    let scimId: string | undefined;
    let requests = 0;
    let correlationId: string | undefined;
    let targetCorrelationId: string | undefined;
    const discrepancies: Discrepancy[] = [];
    while (state) {
      if (state.rev > state.appliedRev) {
        const synced = await syncNewest(deps, state, input.signal, input.park === true);
        state = synced.state;
        const result = synced.result;
        requests += result.requests;
        correlationId = state.correlationId;
        targetCorrelationId = result.targetCorrelationId ?? targetCorrelationId;
        discrepancies.push(...result.discrepancies);
        if (result.scimId) scimId = result.scimId;
        if (result.kind === 'failed') {
          if (result.quarantine) {
            await deps.health?.quarantine(result.quarantine, result.error.message, {
              ...(result.quarantineCause ? { cause: result.quarantineCause } : {}),
              ...(result.probeExternalId ? { probeExternalId: result.probeExternalId } : {}),
            });
            return { kind: 'quarantined', reason: result.error.message };
          }
          if (result.retryable) return { kind: 'retry', failure: result };
          outcome = 'failed';
          failures.push(failedPerson(state, result));
          if (!(await markHandled(state.rev, true))) break;
        } else {
          // A newer revision that succeeds supersedes an earlier failure for good in this same run.
          if (outcome === 'failed') dropFailure(failures, externalId);
          outcome = mergeOutcome(outcome === 'failed' ? undefined : outcome, result.outcome);
          if (result.resync.length > 0) await deps.onResync?.(result.resync);
          if (!(await markHandled(state.rev, false))) break;
        }
      } else if (!(await markHandled(state.rev, false))) {
        break;
      }
      state = await people.get(externalId);
    }
    if (!outcome) return { kind: 'handled', entry: { coalesced: true } };
    return {
      kind: 'handled',
      entry: draftEntry(
        { externalId, outcome, requests, scimId, correlationId, targetCorrelationId },
        discrepancies,
      ),
    };
  } finally {
    stopRenewing();
    if (held) {
      await people
        .release(lock)
        .catch((error: unknown) =>
          log?.warn('could not release the person lock', { externalId, err: error }),
        );
    }
  }
}
