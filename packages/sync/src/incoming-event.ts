import { type HrEvent, hashJson } from '@dirsync/contracts';
import type { IncomingEvent } from './person-state.js';

/**
 * An API event as the person store takes it: `occurredAt` at the precision it was sent (epoch ms plus the
 * nanoseconds below it; receipt time when absent) and the hash of the event as sent, which tells a replay
 * (same hash) from a reused idempotency key (another hash).
 */
export function toIncomingEvent(event: HrEvent, idempotencyKey: string, receivedAtMs: number): IncomingEvent {
  return {
    idempotencyKey,
    type: event.event,
    occurredAtMs: event.occurredAtMs ?? receivedAtMs,
    occurredAtNs: event.occurredAtInstant ? nanosOfMs(event.occurredAtInstant) : 0,
    contentHash: hashEventAsSent(event),
    data: event.data,
  };
}

/** The content an idempotency key stands for (contract): `event`, `occurredAt` as sent or absent, `effectiveAt`, `data`. */
export function hashEventAsSent(event: HrEvent): string {
  const { effectiveAt } = event as { effectiveAt?: unknown };
  return hashJson({ event: event.event, occurredAt: event.occurredAt, effectiveAt, data: event.data });
}

/** The nanoseconds below the millisecond of a canonical instant (`2026-01-02T07:30:00.123456789Z` → 456789). */
function nanosOfMs(canonical: string): number {
  return Number(canonical.slice(23, 29));
}
