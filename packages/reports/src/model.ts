/** What happened to one person in one sync (contract: each person is counted under exactly one outcome). */
export const OUTCOMES = [
  'created',
  'updated',
  'unchanged',
  'deactivated',
  'reactivated',
  'skipped',
  'failed',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Discrepancy types of sync reports, then the drift types that only reconcile reports carry. */
export const SYNC_DISCREPANCY_TYPES = [
  'sync_failure',
  'policy_violation',
  'attribute_mismatch',
  'conflict_exhausted',
  /** The target refused one attribute of a write; the rest was written (contract: `field`, `hrField`). */
  'attribute_refused',
  /** The target refused a write for this person (a 403: e.g. a division the OAuth client has no grant for). */
  'permission_denied',
  /** The person's manager has not appeared after MANAGER_WAIT_HOURS. */
  'manager_missing',
  /** A synced person whose record no longer maps, left as is (OUT_OF_SCOPE=leave). */
  'out_of_scope',
] as const;
export const DRIFT_DISCREPANCY_TYPES = [
  'missing_in_target',
  'attribute_drift',
  'orphan_in_target',
  'unmatched_target',
] as const;
export type DiscrepancyType =
  | (typeof SYNC_DISCREPANCY_TYPES)[number]
  | (typeof DRIFT_DISCREPANCY_TYPES)[number];

/** One difference between what was meant and what the target holds or answered. */
export interface Discrepancy {
  externalId: string;
  scimId?: string;
  /** The idempotency key of the event behind it (or the reconcile run id): one id from webhook to report. */
  correlationId: string;
  /** The target's own id for the request behind it (Genesys: `ININ-Correlation-Id`), for the target's support. */
  targetCorrelationId?: string;
  type: DiscrepancyType;
  field?: string;
  /** The HR field that feeds `field`, when exactly one does. */
  hrField?: string;
  expected?: unknown;
  actual?: unknown;
  detail: string;
}

/** The outcome of one person, by ids only. */
export interface PersonResult {
  externalId: string;
  outcome: Outcome;
  scimId?: string;
  correlationId?: string;
  /** The target's correlation id of the last request for this person. */
  targetCorrelationId?: string;
  /** SCIM requests spent on this person. */
  requests?: number;
}

export type Counts = Record<Outcome, number>;

export interface DeletionBrake {
  /** True when the run would have deactivated more than allowed and therefore deactivated nobody. */
  held: boolean;
  wouldDeactivate: number;
  activeInTarget: number;
  maxPercent: number;
  maxCount?: number;
  overridden: boolean;
  /** The number of deactivations the operator's override confirmed; any other number keeps the brake. */
  expectedDeactivations?: number;
  detail: string;
}

/** A discrepancy report (contract: `{id, generatedAt, counts, discrepancies}`, plus context). */
export interface Report {
  id: string;
  generatedAt: string;
  kind: 'sync' | 'reconcile';
  counts: Counts;
  discrepancies: Discrepancy[];
  people: PersonResult[];
  /** The BullMQ job that produced it. */
  jobId?: string;
  origin?: string;
  /** People whose newest state another job applied while this one ran (not counted here). */
  coalesced?: string[];
  /** Reconcile only. */
  dryRun?: boolean;
  brake?: DeletionBrake;
  summary?: Record<string, number>;
}

export function emptyCounts(): Counts {
  return { created: 0, updated: 0, unchanged: 0, deactivated: 0, reactivated: 0, skipped: 0, failed: 0 };
}
