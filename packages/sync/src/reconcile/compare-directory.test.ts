import type { HrRecord } from '@dirsync/contracts';
import { ENTERPRISE_USER_SCHEMA, type ScimUser } from '@dirsync/scim';
import { describe, expect, it } from 'vitest';
import { type CompareDirectoryInput, compareDirectory } from './compare-directory.js';

const owned = ['userName', 'displayName', 'title', 'roles', `${ENTERPRISE_USER_SCHEMA}:manager`];

function desiredFor(record: HrRecord): ScimUser {
  const user: ScimUser = {
    userName: `${record.externalId.toLowerCase()}@example.com`,
    displayName: `Person ${record.externalId}`,
    title: (record.title as string | undefined) ?? undefined,
    roles: [{ value: 'agent' }],
  };
  if (record.managerExternalId)
    user[ENTERPRISE_USER_SCHEMA] = { manager: { externalId: String(record.managerExternalId) } };
  return user;
}

function target(id: string, externalId: string | undefined, extra: Partial<ScimUser> = {}): ScimUser {
  const user: ScimUser = {
    id,
    userName: `${(externalId ?? id).toLowerCase()}@example.com`,
    displayName: `Person ${externalId ?? id}`,
    active: true,
    roles: [{ value: 'agent' }, { value: 'employee' }],
    ...extra,
  };
  if (externalId) user.externalId = externalId;
  return user;
}

function input(
  records: HrRecord[],
  targetUsers: ScimUser[],
  extra: Partial<CompareDirectoryInput> = {},
): CompareDirectoryInput {
  return {
    records,
    desired: new Map(records.map((r) => [r.externalId, r.workEmail === null ? null : desiredFor(r)])),
    targetUsers,
    owned,
    managedRoles: new Set(['agent', 'supervisor', 'admin']),
    protectedUsers: new Set(),
    brake: { maxPercent: 10, override: false },
    ...extra,
  };
}

describe('compareDirectory', () => {
  it('finds people missing, drifted, in sync and out of scope; resolves managers without requests', () => {
    const records: HrRecord[] = [
      { externalId: 'A' },
      { externalId: 'B', title: 'Lead' },
      { externalId: 'C' },
      { externalId: 'D', workEmail: null },
      { externalId: 'E', managerExternalId: 'A' },
    ];
    const result = compareDirectory(
      input(records, [
        target('t-a', 'A'),
        target('t-b', 'B', { title: 'Edited by hand' }),
        target('t-e', 'E', { [ENTERPRISE_USER_SCHEMA]: { manager: { value: 't-a' } } }),
        target('t-d', 'D'),
      ]),
    );
    expect(result.missing).toEqual(['C']);
    expect(result.inSync.sort()).toEqual(['A', 'E']);
    expect(result.outOfScope).toEqual(['D']);
    expect(result.drifted).toEqual([
      expect.objectContaining({
        externalId: 'B',
        scimId: 't-b',
        mismatches: [{ field: 'title', expected: 'Lead', actual: 'Edited by hand' }],
      }),
    ]);
    // D is out of scope but still in HR: never an orphan.
    expect(result.orphans).toEqual([]);
  });

  it('matches by userName when the target user has no externalId yet, never one that belongs to someone else', () => {
    const result = compareDirectory(
      input(
        [{ externalId: 'A' }, { externalId: 'B' }],
        [
          target('t-1', undefined, { userName: 'a@example.com', displayName: 'Person A' }),
          target('t-2', 'OTHER', { userName: 'b@example.com' }),
        ],
      ),
    );
    expect(result.drifted).toEqual([
      expect.objectContaining({
        externalId: 'A',
        scimId: 't-1',
        byUserName: true,
        mismatches: [expect.objectContaining({ field: 'externalId' })],
      }),
    ]);
    expect(result.missing).toEqual(['B']);
    expect(result.orphans).toEqual([expect.objectContaining({ externalId: 'OTHER' })]);
  });

  it('an inactive target user of a person in HR is drift on active', () => {
    const result = compareDirectory(input([{ externalId: 'A' }], [target('t-a', 'A', { active: false })]));
    expect(result.drifted[0]).toMatchObject({
      inactive: true,
      mismatches: [{ field: 'active', expected: true, actual: false }],
    });
  });

  it('orphans (gone from HR) versus unmatched users (never from HR); inactive ones are ignored', () => {
    const people = Array.from({ length: 20 }, (_, i) => ({ externalId: `P${i}` }));
    const result = compareDirectory(
      input(people, [
        ...people.map((p) => target(`t-${p.externalId}`, p.externalId)),
        target('t-gone', 'GONE'),
        target('t-admin', undefined, { userName: 'admin@example.com' }),
        target('t-old', 'OLD', { active: false }),
      ]),
    );
    expect(result.orphans).toEqual([{ externalId: 'GONE', scimId: 't-gone', protected: false }]);
    expect(result.unmatched).toEqual([{ scimId: 't-admin' }]);
    expect(result.activeInTarget).toBe(22);
    expect(result.toDeactivate).toEqual(['GONE']);
    expect(result.brake.held).toBe(false);
  });

  it('the brake holds above the percentage or the count, and an override releases it', () => {
    const people = Array.from({ length: 10 }, (_, i) => ({ externalId: `P${i}` }));
    const users = people.map((p) => target(`t-${p.externalId}`, p.externalId));
    // Half the org vanished from the snapshot.
    const half = people.slice(0, 5);
    const held = compareDirectory(input(half, users));
    expect(held.brake).toMatchObject({ held: true, wouldDeactivate: 5, activeInTarget: 10, maxPercent: 10 });
    expect(held.brake.detail).toContain('overrideBrake');
    expect(held.toDeactivate).toEqual([]);

    const overridden = compareDirectory(input(half, users, { brake: { maxPercent: 10, override: true } }));
    expect(overridden.brake).toMatchObject({ held: false, overridden: true });
    expect(overridden.toDeactivate).toHaveLength(5);

    const byCount = compareDirectory(
      input(people.slice(0, 8), users, { brake: { maxPercent: 100, maxCount: 1, override: false } }),
    );
    expect(byCount.brake).toMatchObject({ held: true, wouldDeactivate: 2, maxCount: 1 });
  });

  it('an override confirms one number: any other keeps the brake, and says what it confirmed', () => {
    const people = Array.from({ length: 10 }, (_, i) => ({ externalId: `P${i}` }));
    const users = people.map((p) => target(`t-${p.externalId}`, p.externalId));
    const half = people.slice(0, 5);
    const brake = (expected: number) => ({ brake: { maxPercent: 10, override: true, expected } });

    const confirmed = compareDirectory(input(half, users, brake(5)));
    expect(confirmed.brake).toMatchObject({ held: false, overridden: true, expectedDeactivations: 5 });
    expect(confirmed.toDeactivate).toHaveLength(5);

    // The dry run said 3; the snapshot lost two more people since.
    const stale = compareDirectory(input(half, users, brake(3)));
    expect(stale.brake).toMatchObject({
      held: true,
      overridden: false,
      wouldDeactivate: 5,
      expectedDeactivations: 3,
    });
    expect(stale.brake.detail).toContain(
      'the override confirmed 3 deactivations, but this run would deactivate 5',
    );
    expect(stale.brake.detail).toContain('"expectedDeactivations": 5');
    expect(stale.toDeactivate).toEqual([]);

    // Within the limits the brake does not hold, whatever the override said; a plain apply does the same.
    const fixed = compareDirectory(input(people.slice(0, 9), users, brake(5)));
    expect(fixed.brake).toMatchObject({ held: false, overridden: false, wouldDeactivate: 1 });
    expect(fixed.brake.detail).toBe(
      '1 deactivation(s) within the limits (the override confirmed 5 and was not needed)',
    );
    expect(fixed.toDeactivate).toEqual(['P9']);
  });

  it('protected users are reported but never deactivated, and do not count toward the brake', () => {
    const result = compareDirectory(
      input(
        [{ externalId: 'A' }],
        [target('t-a', 'A'), target('t-root', 'ROOT', { userName: 'root@example.com' })],
        {
          protectedUsers: new Set(['root@example.com']),
          brake: { maxPercent: 0, override: false },
        },
      ),
    );
    expect(result.orphans).toEqual([{ externalId: 'ROOT', scimId: 't-root', protected: true }]);
    expect(result.toDeactivate).toEqual([]);
    expect(result.brake.held).toBe(false);
  });
  it('with OUT_OF_SCOPE=deactivate, an active user whose HR record no longer maps is a deactivation under the brake', () => {
    const records: HrRecord[] = [
      { externalId: 'D', workEmail: null },
      { externalId: 'P', workEmail: null },
    ];
    const users = [
      target('1', 'D'),
      target('2', 'P'),
      ...Array.from({ length: 18 }, (_, i) => target(`x${i}`, `X${i}`)),
    ];
    const records20 = [...records, ...users.slice(2).map((u) => ({ externalId: String(u.externalId) }))];
    const base = { protectedUsers: new Set(['p']) };
    const result = compareDirectory(input(records20, users, { ...base, deactivateOutOfScope: true }));
    expect(result.outOfScope).toEqual(['D', 'P']);
    expect(result.orphans).toEqual([
      { externalId: 'D', scimId: '1', protected: false, outOfScope: true },
      { externalId: 'P', scimId: '2', protected: true, outOfScope: true },
    ]);
    expect(result.toDeactivate).toEqual(['D']);
    // The brake counts them like leavers; with `leave` they are only out of scope.
    const braked = compareDirectory(
      input(records20, users, {
        ...base,
        deactivateOutOfScope: true,
        brake: { maxPercent: 1, override: false },
      }),
    );
    expect(braked.brake.held).toBe(true);
    expect(braked.toDeactivate).toEqual([]);
    const left = compareDirectory(input(records20, users, base));
    expect(left.orphans).toEqual([]);
  });
});
