import { type IncomingEvent, isFullRecord, type PersonState } from './person-state.js';

/**
 * Folds an event into a person's state as ingestion does (the INGEST script in person-scripts.ts; a property test
 * runs both on random event sequences and requires the same states): the newest event wins, an equal occurredAt
 * goes to the later arrival, `active` follows lifecycle events, a bare deactivation keeps the last full record.
 * Undefined when the event is older than the person's newest (it changes nothing). Duplicates are not its
 * business: the caller has already checked the idempotency key.
 */
export function foldEvent(
  previous: PersonState | undefined,
  event: IncomingEvent,
  receivedAtMs: number,
): PersonState | undefined {
  if (previous && isOlder(event, previous)) return undefined;
  let active = previous?.active ?? true;
  if (event.type === 'user.created' || event.type === 'user.reactivated') active = true;
  if (event.type === 'user.deactivated') active = false;
  return {
    externalId: event.data.externalId,
    event: event.type,
    occurredAtMs: event.occurredAtMs,
    occurredAtNs: event.occurredAtNs ?? 0,
    data: !isFullRecord(event.data) && previous ? previous.data : event.data,
    active,
    correlationId: event.idempotencyKey,
    rev: (previous?.rev ?? 0) + 1,
    appliedRev: previous?.appliedRev ?? 0,
    failedRev: previous?.failedRev ?? 0,
    receivedAtMs,
  };
}

/** occurredAt at full precision (epoch ms, then nanoseconds below it); equal is not older. */
function isOlder(event: IncomingEvent, previous: PersonState): boolean {
  if (event.occurredAtMs !== previous.occurredAtMs) return event.occurredAtMs < previous.occurredAtMs;
  return (event.occurredAtNs ?? 0) < previous.occurredAtNs;
}
