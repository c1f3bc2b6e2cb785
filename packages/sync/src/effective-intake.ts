import { IdempotencyConflictError } from './idempotency-conflict.js';
import type { IncomingEvent, IngestStatus } from './person-state.js';
import type { PersonStore } from './person-store.js';
import type { ScheduledChanges } from './scheduled-changes.js';

/** What became of each event: as ingestion says, or kept for its effective time. */
export type EffectiveIngestStatus = IngestStatus | { status: 'scheduled'; externalId: string };

/**
 * Ingests a batch in which some events may take effect later: those effective now or earlier are folded into
 * person state as always (one atomic step); each future-dated one becomes a change set against the person's state
 * after that, kept in the schedule until its time. `effectiveAtMs[i]` belongs to `events[i]` (undefined: now).
 */
export async function ingestEffective(
  parts: { people: PersonStore; schedule?: ScheduledChanges | undefined },
  events: readonly IncomingEvent[],
  effectiveAtMs: readonly (number | undefined)[],
  now: number,
): Promise<EffectiveIngestStatus[]> {
  return (await ingestEffectiveDelivery(parts, events, effectiveAtMs, now)).statuses;
}

/**
 * {@link ingestEffective}, also naming the people the events effective now made pending (they were not pending
 * before): only they need a sync trigger.
 */
export async function ingestEffectiveDelivery(
  parts: { people: PersonStore; schedule?: ScheduledChanges | undefined },
  events: readonly IncomingEvent[],
  effectiveAtMs: readonly (number | undefined)[],
  now: number,
): Promise<{ statuses: EffectiveIngestStatus[]; newlyPending: string[] }> {
  const isFuture = (i: number) => parts.schedule !== undefined && (effectiveAtMs[i] ?? 0) > now;
  const presentAt = events.map((_, i) => i).filter((i) => !isFuture(i));
  const out: EffectiveIngestStatus[] = new Array(events.length);
  const { statuses: present, newlyPending } = await parts.people.ingestDelivery(
    presentAt.map((i) => events[i] as IncomingEvent),
    now,
  );
  presentAt.forEach((i, n) => {
    out[i] = present[n] as IngestStatus;
  });
  for (const [i, event] of events.entries()) {
    if (!isFuture(i) || !parts.schedule) continue;
    const externalId = event.data.externalId;
    const previous = await parts.people.get(externalId);
    const status = await parts.schedule
      .add(previous, event, effectiveAtMs[i] as number, now)
      .catch((error: unknown) => {
        // The schedule knows nothing of batches: name the event's place in this one.
        if (error instanceof IdempotencyConflictError) {
          throw new IdempotencyConflictError(error.idempotencyKey, error.externalId, i);
        }
        throw error;
      });
    out[i] = { status, externalId };
  }
  return { statuses: out, newlyPending };
}
