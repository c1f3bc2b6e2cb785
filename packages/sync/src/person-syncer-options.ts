import type { Logger } from '@dirsync/core';
import type { RefusalOptions } from './attribute-guard.js';
import type { ManagerWaitClock } from './manager-wait.js';
import type { NoteLedger } from './note-ledger.js';
import type { OutOfScopeMode } from './out-of-scope.js';
import type { AssignmentPorts, AssignmentsPolicy } from './person-assignments.js';
import type { PrehireReader } from './scheduled-changes.js';
import type {
  ManagerWaitlist,
  PersonReader,
  ScimTarget,
  SyncMapping,
  SyncPolicy,
  TargetCachePort,
} from './sync-ports.js';
import type { TargetCallerOptions } from './target-caller.js';

/** The person syncer's ports (target, stores, clocks) and rules (mapping, policy, protected users). */
export interface PersonSyncerOptions extends TargetCallerOptions, RefusalOptions, AssignmentPorts {
  target: ScimTarget;
  mapping: SyncMapping;
  policy: SyncPolicy & AssignmentsPolicy;
  cache: TargetCachePort;
  people: PersonReader;
  waitlist: ManagerWaitlist;
  /** Who is created ahead of their start, inactive (absent: nobody). */
  prehires?: PrehireReader;
  /** externalIds and userNames (compared case-insensitively) that are never deactivated. */
  protectedUsers?: Iterable<string>;
  logger?: Logger;
  /** Re-sends after a version conflict (contract: at most 3). */
  maxConflictResends?: number;
  notes: NoteLedger;
  managerWaits: ManagerWaitClock;
  /** What happens to a synced person whose record no longer maps (default `deactivate`). */
  outOfScope?: OutOfScopeMode;
  /** The clock (epoch ms); injectable so tests need no sleeps. */
  now?: () => number;
}
