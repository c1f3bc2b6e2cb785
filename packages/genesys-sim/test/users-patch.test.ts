import { describe, expect, it } from 'vitest';
import { PATCH_OP_URN, type ScimUser } from '../src/index.js';
import { ENTERPRISE, type Harness, scimError, startHarness } from './harness.js';

async function setup(options: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness(options);
  const boss = await h.create({ userName: 'boss@example.com', displayName: 'Boss' });
  const user = await h.create({
    userName: 'ana@example.com',
    displayName: 'Ana',
    title: 'Agent',
    externalId: 'HR-1',
    emails: [{ type: 'work', value: 'ana.work@example.com' }],
    phoneNumbers: [{ type: 'work', value: '+15550001' }],
    roles: [{ value: 'agent' }],
    [ENTERPRISE]: { department: 'Sales', employeeNumber: '7' },
  });
  return { h, boss, user };
}

async function patchOk(h: Harness, id: string, operations: unknown[]): Promise<ScimUser> {
  const answer = await h.patch(id, operations);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as unknown as ScimUser;
}

describe('PATCH /Users/:id on simple attributes', () => {
  it('adds, replaces and removes, returning the full resource with a bumped ETag', async () => {
    const { h, user } = await setup();
    const answer = await h.patch(user.id, [
      { op: 'replace', path: 'title', value: 'Senior Agent' },
      { op: 'add', path: 'displayName', value: 'Ana Lima' },
      { op: 'replace', path: 'active', value: false },
      { op: 'remove', path: 'externalId' },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBe('"2"');
    expect(answer.body).toMatchObject({ title: 'Senior Agent', displayName: 'Ana Lima', active: false });
    expect(answer.body.externalId).toBeUndefined();
    expect(answer.body.meta).toMatchObject({ version: '"2"' });
    const again = await patchOk(h, user.id, [{ op: 'Replace', path: 'TITLE', value: 'Lead' }]);
    expect(again.title).toBe('Lead');
    expect(again.meta.version).toBe('"3"');
  });

  it('moves the read-only `other` e-mail along with userName', async () => {
    const { h, user } = await setup();
    const patched = await patchOk(h, user.id, [
      { op: 'replace', path: 'userName', value: 'ana.lima@example.com' },
    ]);
    expect(patched.emails).toEqual([
      { type: 'work', value: 'ana.work@example.com' },
      // Genesys keeps the `other` e-mail (userName) as the primary one.
      { type: 'other', value: 'ana.lima@example.com', primary: true },
    ]);
  });

  it('refuses to take another user’s userName with 409 uniqueness', async () => {
    const { h, user } = await setup();
    const answer = await h.patch(user.id, [{ op: 'replace', path: 'userName', value: 'BOSS@example.com' }]);
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual(scimError(409, 'uniqueness', 'userName is already in use by another user'));
  });
});

describe('PATCH on filtered multi-valued paths', () => {
  it('replaces emails[type eq "work"].value and removes it', async () => {
    const { h, user } = await setup();
    const replaced = await patchOk(h, user.id, [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'ana.new@example.com' },
    ]);
    expect(replaced.emails).toEqual([
      { type: 'work', value: 'ana.new@example.com' },
      { type: 'other', value: 'ana@example.com', primary: true },
    ]);
    const removed = await patchOk(h, user.id, [{ op: 'remove', path: 'emails[type eq "work"].value' }]);
    expect(removed.emails).toEqual([{ type: 'other', value: 'ana@example.com', primary: true }]);
    const added = await patchOk(h, user.id, [
      { op: 'add', path: 'emails[type eq "work"].value', value: 'ana.back@example.com' },
    ]);
    expect(added.emails?.find((e) => e.type === 'work')?.value).toBe('ana.back@example.com');
  });

  it('adds phoneNumbers[type eq "mobile"] with a value object, next to other numbers and on a user without any', async () => {
    const { h, user, boss } = await setup();
    const added = await patchOk(h, user.id, [
      { op: 'add', path: 'phoneNumbers[type eq "mobile"]', value: { type: 'mobile', value: '+15550002' } },
    ]);
    expect(added.phoneNumbers).toEqual([
      { type: 'work', value: '+15550001' },
      { type: 'mobile', value: '+15550002' },
    ]);
    const replaced = await patchOk(h, user.id, [
      { op: 'replace', path: 'phoneNumbers[type eq "mobile"]', value: { value: '+15550003' } },
    ]);
    expect(replaced.phoneNumbers?.[1]).toEqual({ type: 'mobile', value: '+15550003' });
    const fresh = await patchOk(h, boss.id, [
      {
        op: 'replace',
        path: 'phoneNumbers[type eq "mobile"]',
        value: { type: 'mobile', value: '+15550009' },
      },
    ]);
    expect(fresh.phoneNumbers).toEqual([{ type: 'mobile', value: '+15550009' }]);
    const removed = await patchOk(h, user.id, [{ op: 'remove', path: 'phoneNumbers[type eq "mobile"]' }]);
    expect(removed.phoneNumbers).toEqual([{ type: 'work', value: '+15550001' }]);
  });

  it('removes roles[value eq "agent"] and keeps the others; removing an absent role is a no-op', async () => {
    const { h, user } = await setup();
    const granted = await patchOk(h, user.id, [
      { op: 'add', path: 'roles', value: [{ value: 'supervisor' }] },
    ]);
    expect(granted.roles).toEqual([{ value: 'employee' }, { value: 'agent' }, { value: 'supervisor' }]);
    const removed = await patchOk(h, user.id, [{ op: 'remove', path: 'roles[value eq "agent"]' }]);
    expect(removed.roles).toEqual([{ value: 'employee' }, { value: 'supervisor' }]);
    const noop = await patchOk(h, user.id, [{ op: 'remove', path: 'roles[value eq "agent"]' }]);
    expect(noop.roles).toEqual([{ value: 'employee' }, { value: 'supervisor' }]);
    const unknown = await h.patch(user.id, [{ op: 'add', path: 'roles', value: [{ value: 'wizard' }] }]);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual(scimError(400, 'invalidValue', "Unknown role 'wizard'"));
  });

  it('handles a role name containing ":" in a filter (scim-patch splits paths at the last colon)', async () => {
    const h = await startHarness({ roles: ['employee', 'Queue:Billing'] });
    const user = await h.create({
      userName: 'c@example.com',
      displayName: 'C',
      roles: [{ value: 'Queue:Billing' }],
    });
    const removed = await patchOk(h, user.id, [{ op: 'remove', path: 'roles[value eq "Queue:Billing"]' }]);
    expect(removed.roles).toEqual([{ value: 'employee' }]);
  });
});

describe('PATCH on the enterprise extension', () => {
  it('sets, replaces and removes department, division and dateHire by URN path', async () => {
    const { h, user } = await setup();
    const patched = await patchOk(h, user.id, [
      { op: 'replace', path: `${ENTERPRISE}:department`, value: 'Support' },
      { op: 'add', path: `${ENTERPRISE}:division`, value: 'Home' },
      { op: 'add', path: `${ENTERPRISE}:dateHire`, value: '2023-04-01' },
      { op: 'remove', path: `${ENTERPRISE}:employeeNumber` },
    ]);
    expect(patched[ENTERPRISE]).toEqual({ department: 'Support', division: 'Home', dateHire: '2023-04-01' });
  });

  it('sets the manager by id (filling its display name), changes it, and removes it', async () => {
    const { h, user, boss } = await setup();
    const other = await h.create({ userName: 'other.boss@example.com', displayName: 'Other Boss' });
    const set = await patchOk(h, user.id, [
      { op: 'add', path: `${ENTERPRISE}:manager`, value: { value: boss.id } },
    ]);
    expect(set[ENTERPRISE]?.manager).toEqual({
      value: boss.id,
      $ref: boss.meta.location,
      displayName: 'Boss',
    });
    const changed = await patchOk(h, user.id, [
      { op: 'replace', path: `${ENTERPRISE}:manager.value`, value: other.id },
    ]);
    expect(changed[ENTERPRISE]?.manager).toEqual({
      value: other.id,
      $ref: other.meta.location,
      displayName: 'Other Boss',
    });
    const removed = await patchOk(h, user.id, [{ op: 'remove', path: `${ENTERPRISE}:manager` }]);
    // The division is the home division every new user lands in.
    expect(removed[ENTERPRISE]).toEqual({ department: 'Sales', division: 'Home', employeeNumber: '7' });
  });

  it('refuses an unknown manager id, and the user as its own manager, with 400 invalidValue', async () => {
    const { h, user } = await setup();
    for (const value of ['no-such-user', user.id]) {
      const answer = await h.patch(user.id, [
        { op: 'replace', path: `${ENTERPRISE}:manager`, value: { value } },
      ]);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(scimError(400, 'invalidValue'));
    }
  });
});

describe('PATCH without a path', () => {
  it('applies a value object with core attributes, a flat URN key and a nested extension object', async () => {
    const { h, user, boss } = await setup();
    const patched = await patchOk(h, user.id, [
      {
        op: 'replace',
        value: {
          title: 'Team Lead',
          active: false,
          [`${ENTERPRISE}:division`]: 'Home',
          [ENTERPRISE]: { department: 'Support', manager: { value: boss.id } },
        },
      },
    ]);
    expect(patched.title).toBe('Team Lead');
    expect(patched.active).toBe(false);
    // Sub-attributes not named keep their values (employeeNumber), as RFC 7644 §3.5.2.3 requires.
    expect(patched[ENTERPRISE]).toMatchObject({
      department: 'Support',
      division: 'Home',
      employeeNumber: '7',
      manager: { value: boss.id },
    });
  });
});

describe('PATCH refusals', () => {
  it.each([
    ['name.givenName', 'name.givenName'],
    ['customFields', 'customFields'],
    ['customFields["level"]', 'customFields["level"]'],
    ['costCenter', 'costCenter'],
    ['enterprise costCenter', `${ENTERPRISE}:costCenter`],
    ['an unknown extension', 'urn:example:ext:1.0:User:thing'],
    ['an unknown sub-attribute', 'emails[type eq "work"].label'],
  ])('refuses %s with 400 invalidPath', async (_what, path) => {
    const { h, user } = await setup();
    const answer = await h.patch(user.id, [{ op: 'replace', path, value: 'x' }]);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(scimError(400, 'invalidPath'));
  });

  it('refuses unknown attributes inside a path-less value object with 400 invalidPath', async () => {
    const { h, user } = await setup();
    const answer = await h.patch(user.id, [{ op: 'replace', value: { name: { givenName: 'A' } } }]);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(scimError(400, 'invalidPath'));
  });

  it.each([
    ['id', { op: 'replace', path: 'id', value: 'x' }],
    ['meta', { op: 'replace', path: 'meta.version', value: '"9"' }],
    ['groups', { op: 'add', path: 'groups', value: [{ value: 'g1' }] }],
    ['the other e-mail', { op: 'replace', path: 'emails[type eq "other"].value', value: 'x@example.com' }],
    ['userName removal', { op: 'remove', path: 'userName' }],
    ['manager.displayName', { op: 'replace', path: `${ENTERPRISE}:manager.displayName`, value: 'X' }],
  ])('refuses writing %s with 400 mutability', async (_what, operation) => {
    const { h, user } = await setup();
    const answer = await h.patch(user.id, [operation]);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(scimError(400, 'mutability'));
  });

  it('refuses application/json-patch+json with 400 invalidSyntax saying why', async () => {
    const { h, user } = await setup();
    const answer = await h.scim('PATCH', `/Users/${user.id}`, {
      rawBody: JSON.stringify([{ op: 'replace', path: '/title', value: 'x' }]),
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(
      scimError(400, 'invalidSyntax', expect.stringContaining('application/json-patch+json')),
    );
    expect((answer.body as { detail: string }).detail).toContain('PatchOp');
  });

  it('accepts application/json as well as application/scim+json', async () => {
    const { h, user } = await setup();
    const answer = await h.scim('PATCH', `/Users/${user.id}`, {
      rawBody: JSON.stringify({
        schemas: [PATCH_OP_URN],
        Operations: [{ op: 'replace', path: 'title', value: 'J' }],
      }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(answer.status).toBe(200);
  });

  it.each([
    ['a body without the PatchOp schema', { Operations: [{ op: 'replace', path: 'title', value: 'x' }] }],
    [
      'schemas as a string',
      { schemas: PATCH_OP_URN, Operations: [{ op: 'replace', path: 'title', value: 'x' }] },
    ],
    ['no Operations', { schemas: [PATCH_OP_URN] }],
    ['an unknown op', { schemas: [PATCH_OP_URN], Operations: [{ op: 'move', path: 'title', value: 'x' }] }],
    ['a JSON array', [{ op: 'replace', path: 'title', value: 'x' }]],
  ])('refuses %s with 400 invalidSyntax', async (_what, body) => {
    const { h, user } = await setup();
    const answer = await h.scim('PATCH', `/Users/${user.id}`, { body });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(scimError(400, 'invalidSyntax'));
  });

  it('answers a remove without path with 400 noTarget and a patch of an unknown user with 404', async () => {
    const { h, user } = await setup();
    const noPath = await h.patch(user.id, [{ op: 'remove' }]);
    expect(noPath.status).toBe(400);
    expect(noPath.body).toEqual(scimError(400, 'noTarget'));
    const missing = await h.patch('00000000-0000-0000-0000-000000000000', [
      { op: 'replace', path: 'title', value: 'x' },
    ]);
    expect(missing.status).toBe(404);
  });
});

describe('PATCH with If-Match', () => {
  it('applies on a matching version and answers a stale one with 400 invalidVers (not 412)', async () => {
    const { h, user } = await setup();
    const ok = await h.patch(user.id, [{ op: 'replace', path: 'title', value: 'One' }], {
      'if-match': '"1"',
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"2"');
    const stale = await h.patch(user.id, [{ op: 'replace', path: 'title', value: 'Two' }], {
      'if-match': '"1"',
    });
    expect(stale.status).toBe(400);
    expect(stale.body).toEqual(
      scimError(400, 'invalidVers', 'If-Match "1" does not match the current version "2"'),
    );
    expect((await h.scim<ScimUser>('GET', `/Users/${user.id}`)).body.title).toBe('One');
    const weak = await h.patch(user.id, [{ op: 'replace', path: 'title', value: 'Three' }], {
      'if-match': 'W/"2"',
    });
    expect(weak.status).toBe(200);
    const without = await h.patch(user.id, [{ op: 'replace', path: 'title', value: 'Four' }]);
    expect(without.status).toBe(200);
    expect(without.headers.get('etag')).toBe('"4"');
  });

  it('detects an edit made behind the client’s back', async () => {
    const { h, user } = await setup();
    await h.sim.admin.editUser(user.id, [{ op: 'replace', path: 'title', value: 'Set by an admin' }]);
    const stale = await h.patch(user.id, [{ op: 'replace', path: 'title', value: 'Mine' }], {
      'if-match': user.meta.version,
    });
    expect(stale.status).toBe(400);
    expect(stale.body).toMatchObject({ scimType: 'invalidVers' });
  });
});
