import type { Discrepancy } from '@dirsync/reports';
import { ScimError, type ScimMultiValue } from '@dirsync/scim';
import type { GroupDirectory, GroupTarget } from './group-directory.js';
import type { TargetCaller } from './target-caller.js';

/** One person's membership change, as {@link writeMemberships} takes it. */
export interface MembershipChange {
  externalId: string;
  scimId: string;
  /** The managed group names the person should be in (HR's spelling). */
  wanted: readonly string[];
  /** The user's read-only `groups` as last seen (`{ value: groupId, display: name }`). */
  current: readonly ScimMultiValue[];
  isManaged: (name: string) => boolean;
}

/** What writing one person's memberships did. */
export interface MembershipResult {
  /** Whether any PATCH was sent. */
  changed: boolean;
  /** The membership after the writes, in the user's `groups` shape. */
  groups: ScimMultiValue[];
  discrepancies: Discrepancy[];
}

const fold = (name: string) => name.toLowerCase();

/**
 * Joins the managed groups HR asks for and leaves the managed groups it no longer asks for: one `PATCH
 * /Groups/{id}` per changed group, through the person's caller (budget, 429 pauses, backoff). Groups that are not
 * managed are never left. A managed name Genesys does not know is reported, and nothing is created.
 */
export async function writeMemberships(
  change: MembershipChange,
  ports: { directory: GroupDirectory; target: GroupTarget; caller: TargetCaller; correlationId: string },
): Promise<MembershipResult> {
  const { directory, target, caller } = ports;
  const wantedFolds = new Set(change.wanted.map(fold));
  const currentFolds = new Set(change.current.map((g) => fold(String(g.display ?? ''))));
  const groups = change.current.filter(
    (g) =>
      !(typeof g.display === 'string' && change.isManaged(g.display) && !wantedFolds.has(fold(g.display))),
  );
  const leaving = change.current.filter((g) => !groups.includes(g));
  const discrepancies: Discrepancy[] = [];
  let changed = false;
  for (const group of leaving) {
    if (typeof group.value !== 'string') continue;
    const groupId = group.value;
    changed = true;
    await ignoreGone(() =>
      caller.call(() => target.patchGroupMembers(groupId, { remove: [change.scimId] }, caller.context)),
    );
  }
  for (const name of change.wanted) {
    if (currentFolds.has(fold(name))) continue;
    currentFolds.add(fold(name));
    const group = await directory.resolve(name, target, caller);
    const joined =
      group &&
      (await ignoreGone(() =>
        caller.call(() => target.patchGroupMembers(group.id, { add: [change.scimId] }, caller.context)),
      ));
    if (group) changed = true;
    if (group && joined) {
      groups.push({ value: group.id, display: group.displayName });
      continue;
    }
    if (group) await directory.forget(name);
    discrepancies.push({
      externalId: change.externalId,
      scimId: change.scimId,
      correlationId: ports.correlationId,
      type: 'attribute_refused',
      field: 'groups',
      hrField: 'groups',
      expected: name,
      detail: `group "${name}" is managed but Genesys has no group of that name; nothing was created`,
    });
  }
  return { changed, groups, discrepancies };
}

/** Runs a group write; false when the group is gone (404), which the caller reports. */
async function ignoreGone(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ScimError && error.kind === 'not_found') return false;
    throw error;
  }
}
