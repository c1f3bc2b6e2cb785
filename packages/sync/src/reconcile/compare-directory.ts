import type { HrRecord } from '@dirsync/contracts';
import type { DeletionBrake } from '@dirsync/reports';
import { type AttributeMismatch, compareUser, ENTERPRISE_USER_SCHEMA, type ScimUser } from '@dirsync/scim';
import { PersonAssignments } from '../person-assignments.js';
import { compareAssignments, type ManagedAssignments } from './compare-assignments.js';

export interface DriftedPerson {
  externalId: string;
  scimId: string;
  /** The target holds the user inactive while HR has the person. */
  inactive: boolean;
  mismatches: AttributeMismatch[];
  /** Matched by userName, not by externalId (the target user does not carry the HR id yet). */
  byUserName: boolean;
}

export interface OrphanUser {
  externalId: string;
  scimId: string;
  protected: boolean;
  /** In HR, but their record no longer maps (OUT_OF_SCOPE=deactivate): deactivated like a leaver. */
  outOfScope?: boolean;
}

/** Everything a comparison of the HR snapshot with the target found. */
export interface DirectoryComparison {
  missing: string[];
  drifted: DriftedPerson[];
  inSync: string[];
  outOfScope: string[];
  /** Active in the target, carrying an externalId HR no longer has. */
  orphans: OrphanUser[];
  /** Active target users with no HR link at all (no externalId): reported, never touched. */
  unmatched: Array<{ scimId: string }>;
  activeInTarget: number;
  /** The orphans that may be deactivated (none when the brake holds; never a protected user). */
  toDeactivate: string[];
  brake: DeletionBrake;
}

export interface CompareDirectoryInput {
  records: readonly HrRecord[];
  /** The mapping's output per externalId (null: out of scope). */
  desired: ReadonlyMap<string, ScimUser | null>;
  targetUsers: readonly ScimUser[];
  owned: readonly string[];
  managedRoles: ReadonlySet<string>;
  /** Managed groups, skills and languages (absent: none are compared). */
  assignments?: ManagedAssignments;
  protectedUsers: ReadonlySet<string>;
  /**
   * The deletion brake. `expected`, with `override`: the number of deactivations the operator confirmed; a run
   * that would deactivate another number is not what they confirmed, so the override does not apply.
   */
  brake: {
    maxPercent: number;
    maxCount?: number | undefined;
    override: boolean;
    expected?: number | undefined;
  };
  /** OUT_OF_SCOPE=deactivate: an active user whose HR record no longer maps is a deactivation, under the brake. */
  deactivateOutOfScope?: boolean;
}

function isProtected(user: ScimUser, protectedUsers: ReadonlySet<string>): boolean {
  return [user.externalId, user.userName].some(
    (n) => typeof n === 'string' && protectedUsers.has(n.toLowerCase()),
  );
}

/**
 * Compares the HR snapshot with every target user, matching by externalId, then userName. Pure: the caller reads
 * both sides and acts on the result.
 */
export function compareDirectory(input: CompareDirectoryInput): DirectoryComparison {
  const byExternalId = new Map<string, ScimUser>();
  const byUserName = new Map<string, ScimUser>();
  for (const user of input.targetUsers) {
    if (user.externalId) byExternalId.set(user.externalId, user);
    if (user.userName) byUserName.set(user.userName.toLowerCase(), user);
  }
  const matchedIds = new Set<string>();
  const result: DirectoryComparison = {
    missing: [],
    drifted: [],
    inSync: [],
    outOfScope: [],
    orphans: [],
    unmatched: [],
    activeInTarget: input.targetUsers.filter((u) => u.active !== false).length,
    toDeactivate: [],
    brake: {
      held: false,
      wouldDeactivate: 0,
      activeInTarget: 0,
      maxPercent: input.brake.maxPercent,
      overridden: false,
      detail: '',
    },
  };
  // Groups, skills and languages are compared per managed item, not as whole attributes.
  const owned = PersonAssignments.userOwned([...new Set([...input.owned, 'externalId'])]);
  const options = { owned, managedRoles: input.managedRoles };

  for (const record of input.records) {
    const externalId = record.externalId;
    const mapped = input.desired.get(externalId);
    let target = byExternalId.get(externalId);
    let byName = false;
    if (!target && mapped?.userName) {
      const candidate = byUserName.get(mapped.userName.toLowerCase());
      if (candidate && (!candidate.externalId || candidate.externalId === externalId)) {
        target = candidate;
        byName = true;
      }
    }
    // A person in HR is never an orphan, in scope or not.
    if (target?.id) matchedIds.add(target.id);
    if (!mapped) {
      result.outOfScope.push(externalId);
      if (input.deactivateOutOfScope && target?.id && target.active !== false) {
        const protectedUser = isProtected(target, input.protectedUsers);
        result.orphans.push({ externalId, scimId: target.id, protected: protectedUser, outOfScope: true });
      }
      continue;
    }
    if (!target?.id) {
      result.missing.push(externalId);
      continue;
    }
    const desired: ScimUser = structuredClone(mapped);
    desired.externalId = externalId;
    const enterprise = desired[ENTERPRISE_USER_SCHEMA];
    if (enterprise?.manager?.externalId) {
      const managerId = byExternalId.get(enterprise.manager.externalId)?.id;
      if (managerId) enterprise.manager = { value: managerId };
      else delete enterprise.manager;
    }
    const mismatches = [
      ...compareUser(target, desired, options),
      ...compareAssignments(target, desired, input.assignments ?? {}, input.owned),
    ];
    const inactive = target.active === false;
    if (mismatches.length === 0 && !inactive) {
      result.inSync.push(externalId);
    } else {
      if (inactive) mismatches.push({ field: 'active', expected: true, actual: false });
      result.drifted.push({ externalId, scimId: target.id, inactive, mismatches, byUserName: byName });
    }
  }

  collectOrphans(result, input, matchedIds);
  applyBrake(result, input);
  return result;
}

/** The deletion brake: orphans are deactivated only within the limits, or when the operator overrides it. */
function applyBrake(result: DirectoryComparison, input: CompareDirectoryInput): void {
  const candidates = result.orphans.filter((o) => !o.protected).map((o) => o.externalId);
  const { override, expected, maxPercent, maxCount } = input.brake;
  const limitByPercent = (result.activeInTarget * maxPercent) / 100;
  const overPercent = candidates.length > limitByPercent;
  const overCount = maxCount !== undefined && candidates.length > maxCount;
  const wouldHold = candidates.length > 0 && (overPercent || overCount);
  // The snapshot or the target changed since the dry run the operator read: a stale number confirms nothing.
  const mismatch = override && expected !== undefined && expected !== candidates.length;
  const overriding = override && !mismatch;
  const held = wouldHold && !overriding;
  result.toDeactivate = held ? [] : candidates;
  const limit = overCount
    ? `RECONCILE_MAX_DEACTIVATE_COUNT=${maxCount}`
    : `${maxPercent}% of ${result.activeInTarget} active users`;
  const confirm = `{"apply": true, "overrideBrake": true, "expectedDeactivations": ${candidates.length}}`;
  let detail: string;
  if (!wouldHold) {
    detail = `${candidates.length} deactivation(s) within the limits`;
    if (mismatch) detail += ` (the override confirmed ${expected} and was not needed)`;
  } else if (!held) {
    detail = `overridden by the operator: ${candidates.length} deactivations allowed`;
  } else if (mismatch) {
    detail = `held: the override confirmed ${expected} deactivations, but this run would deactivate ${candidates.length} (over ${limit}); nobody was deactivated. Review this report, then confirm with ${confirm}`;
  } else {
    detail = `held: ${candidates.length} deactivations exceed ${limit}; nobody was deactivated. Check HR_SNAPSHOT, then confirm with ${confirm}`;
  }
  result.brake = {
    held,
    wouldDeactivate: candidates.length,
    activeInTarget: result.activeInTarget,
    maxPercent,
    overridden: wouldHold && overriding,
    detail,
  };
  if (maxCount !== undefined) result.brake.maxCount = maxCount;
  if (override && expected !== undefined) result.brake.expectedDeactivations = expected;
}

/** Active target users nobody in HR matched: orphans (they carry an externalId) or unmatched (they do not). */
function collectOrphans(
  result: DirectoryComparison,
  input: CompareDirectoryInput,
  matchedIds: Set<string>,
): void {
  for (const user of input.targetUsers) {
    if (!user.id || matchedIds.has(user.id) || user.active === false) continue;
    if (user.externalId) {
      result.orphans.push({
        externalId: user.externalId,
        scimId: user.id,
        protected: isProtected(user, input.protectedUsers),
      });
    } else {
      result.unmatched.push({ scimId: user.id });
    }
  }
}
