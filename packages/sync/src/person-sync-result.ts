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
    }
  | PersonSyncFailure;

export interface PersonSyncFailure {
  kind: 'failed';
  /** Whether trying again later can help (5xx, network, conflicts) or not (policy, 4xx, bad mapping). */
  retryable: boolean;
  /** The target refuses our credentials, so it refuses everyone: stop the whole sync, not just this person. */
  quarantine?: 'auth';
  error: DirsyncError;
  scimId?: string;
  discrepancies: Discrepancy[];
  requests: number;
}
