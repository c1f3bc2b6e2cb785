import type { DirsyncError } from '@dirsync/core';
import type { Discrepancy, Outcome } from '@dirsync/reports';

/** What syncing one revision of one person did. */
export type PersonSyncResult =
  | {
      kind: 'synced';
      outcome: Outcome;
      scimId?: string;
      discrepancies: Discrepancy[];
      requests: number;
      /** People whose manager this person is, now resolvable: they need a sync to fill it in. */
      resync: string[];
      /** The target's id of the last request answered for this person (Genesys: `ININ-Correlation-Id`). */
      targetCorrelationId?: string;
    }
  | PersonSyncFailure;

/** A `synced` result. */
export function syncedResult(fields: {
  outcome: Outcome;
  discrepancies: Discrepancy[];
  requests: number;
  resync: string[];
  scimId?: string | undefined;
}): PersonSyncResult {
  const { scimId, ...rest } = fields;
  return { kind: 'synced', ...rest, ...(scimId === undefined ? {} : { scimId }) };
}

export interface PersonSyncFailure {
  kind: 'failed';
  /** Whether trying again later can help (5xx, network, conflicts) or not (policy, 4xx, bad mapping). */
  retryable: boolean;
  /** The target refuses our credentials, so it refuses everyone: stop the whole sync, not just this person. */
  quarantine?: 'auth';
  /** Why the sync is quarantined, for the dashboard; and whose write a write quarantine's probe re-sends. */
  quarantineCause?: string;
  probeExternalId?: string;
  /** The target's id of the last request answered for this person. */
  targetCorrelationId?: string;
  error: DirsyncError;
  scimId?: string;
  discrepancies: Discrepancy[];
  requests: number;
}
