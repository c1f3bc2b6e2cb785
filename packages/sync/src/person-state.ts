import type { EventType, HrRecord } from '@dirsync/contracts';

/** One accepted event, ready to be folded into its person's state. */
export interface IncomingEvent {
  idempotencyKey: string;
  type: EventType;
  occurredAtMs: number;
  /** Nanoseconds below `occurredAtMs` (0–999,999) as sent: events are ordered at full precision. Default 0. */
  occurredAtNs?: number;
  /**
   * Hash of the event as sent: the same idempotency key with another hash is a conflict. Default: a hash of
   * type, instant and data.
   */
  contentHash?: string;
  data: HrRecord;
}

/** What became of each event of an ingest call, in order. */
export type IngestStatus =
  | { status: 'applied'; externalId: string; rev: number }
  | { status: 'stale'; externalId: string }
  | { status: 'duplicate'; externalId: string };

/** A person's newest HR state: the newest event wins, with `active` carried across record updates. */
export interface PersonState {
  externalId: string;
  /** Type of the newest event. */
  event: EventType;
  occurredAtMs: number;
  /** Nanoseconds below `occurredAtMs` (0–999,999); 0 for states stored before they were kept. */
  occurredAtNs: number;
  /** The full current HR record (for a bare deactivation, the previous full record is kept). */
  data: HrRecord;
  /** Whether HR wants this person active. */
  active: boolean;
  /** The newest event's idempotency key: the correlation id of everything it causes. */
  correlationId: string;
  /** Bumped on every change (and when a re-sync is requested). */
  rev: number;
  /** The newest revision already synced (or failed for good). */
  appliedRev: number;
  /** The newest revision that failed for good, if any. */
  failedRev: number;
  /** When the newest change arrived (epoch ms): a person still receiving changes rests for the quiet period. */
  receivedAtMs: number;
}

/** Reads a person hash as HGETALL returns it (flat field/value list). */
export function parseState(flat: string[]): PersonState | undefined {
  if (flat.length === 0) return undefined;
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i] as string] = flat[i + 1] as string;
  if (!h.ext || !h.data) return undefined;
  return {
    externalId: h.ext,
    event: h.event as EventType,
    occurredAtMs: Number(h.occ),
    occurredAtNs: Number(h.occns ?? 0),
    data: JSON.parse(h.data) as HrRecord,
    active: h.active !== '0',
    correlationId: h.cid ?? '',
    rev: Number(h.rev ?? 0),
    appliedRev: Number(h.appliedRev ?? 0),
    failedRev: Number(h.failedRev ?? 0),
    receivedAtMs: Number(h.at ?? 0),
  };
}

/** Whether a record carries more than its id (a bare `user.deactivated` does not). */
export function isFullRecord(data: HrRecord): boolean {
  return Object.keys(data).some((k) => k !== 'externalId');
}
