import type { EventType, HrRecord } from '@dirsync/contracts';
import { hashJson } from '@dirsync/contracts';
import { type IncomingEvent, isFullRecord, type PersonState } from './person-state.js';

const DAY_MS = 86_400_000;

/**
 * A future-dated event, kept as what it changes: the fields (and the active state) in which its record differed
 * from the person's state when it arrived. At its effective time it is laid over the person's state as it is then.
 */
export interface ChangeSet {
  externalId: string;
  /** The source event's idempotency key (its correlation id). */
  sourceKey: string;
  sourceType: EventType;
  occurredAtMs: number;
  effectiveAtMs: number;
  /** Field → value it takes (null: cleared). */
  fields: Record<string, unknown>;
  /** The active state it sets, when it changes it. */
  active?: boolean;
  /** Pre-hire: the user is created inactive at this time, ahead of the start. */
  prehireAtMs?: number;
}

/** Which step of a change set falls due: the early inactive create of a pre-hire, or the change itself. */
export type ChangeStage = 'prehire' | 'final';

/** What kind of change an operator sees listed. */
export function describeChange(change: ChangeSet, stage: ChangeStage): string {
  if (stage === 'prehire') return 'prehire';
  if (change.active === false) return 'deactivation';
  if (change.active === true) return change.sourceType === 'user.created' ? 'hire' : 'reactivation';
  return Object.keys(change.fields).length === 0 ? 'no change' : 'update';
}

function activeAfter(type: EventType, previous: PersonState | undefined): boolean {
  if (type === 'user.created' || type === 'user.reactivated') return true;
  if (type === 'user.deactivated') return false;
  return previous?.active ?? true;
}

/**
 * The change set of a future-dated event against the person's state when it arrived. With `prehireDays` > 0 a
 * future `user.created` of someone not active now is also created early, inactive.
 */
export function diffChangeSet(
  previous: PersonState | undefined,
  event: IncomingEvent,
  effectiveAtMs: number,
  prehireDays = 0,
): ChangeSet {
  const fields: Record<string, unknown> = {};
  if (isFullRecord(event.data)) {
    const before: Record<string, unknown> = previous?.data ?? {};
    const after: Record<string, unknown> = event.data;
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (key === 'externalId') continue;
      const value = after[key] ?? null;
      if (hashJson(before[key] ?? null) !== hashJson(value)) fields[key] = value;
    }
  }
  const change: ChangeSet = {
    externalId: event.data.externalId,
    sourceKey: event.idempotencyKey,
    sourceType: event.type,
    occurredAtMs: event.occurredAtMs,
    effectiveAtMs,
    fields,
  };
  const active = activeAfter(event.type, previous);
  if (!previous || previous.active !== active) change.active = active;
  if (prehireDays > 0 && event.type === 'user.created' && previous?.active !== true) {
    change.prehireAtMs = effectiveAtMs - prehireDays * DAY_MS;
  }
  return change;
}

/**
 * The synthetic event that applies one stage of a change set over the person's state as it is now, dated at its
 * effective time (never before the person's newest event, so it is not taken for a late older one). Undefined when
 * there is nothing to apply: an empty change set (a rescinded one), or a pre-hire of someone already active.
 */
export function overlayChangeSet(
  current: PersonState | undefined,
  change: ChangeSet,
  stage: ChangeStage,
): IncomingEvent | undefined {
  if (stage === 'prehire' && current?.active) return undefined;
  if (stage === 'final' && change.active === undefined && Object.keys(change.fields).length === 0) {
    return undefined;
  }
  const data: Record<string, unknown> = { ...(current?.data ?? {}), externalId: change.externalId };
  for (const [key, value] of Object.entries(change.fields)) {
    if (value === null) delete data[key];
    else data[key] = value;
  }
  const dueAt = stage === 'prehire' ? (change.prehireAtMs ?? change.effectiveAtMs) : change.effectiveAtMs;
  return {
    idempotencyKey: `${change.sourceKey}@${new Date(change.effectiveAtMs).toISOString()}${stage === 'prehire' ? '#prehire' : ''}`,
    type: syntheticType(change, stage, current),
    occurredAtMs: Math.max(dueAt, current?.occurredAtMs ?? 0),
    data: data as HrRecord,
  };
}

function syntheticType(change: ChangeSet, stage: ChangeStage, current: PersonState | undefined): EventType {
  // A deactivation that carries the full record keeps the record and sets the person inactive.
  if (stage === 'prehire' || change.active === false) return 'user.deactivated';
  if (change.active === true) return current ? 'user.reactivated' : 'user.created';
  return 'user.updated';
}
