import { describe, expect, it } from 'vitest';
import type { ScimGroup, ScimUser } from '../src/index.js';
import { PATCH_OP_URN } from '../src/index.js';
import { scimError, startHarness } from './harness.js';

interface GroupList {
  totalResults: number;
  itemsPerPage: number;
  Resources: ScimGroup[];
}

const membersPatch = (operations: unknown[]) => ({
  body: { schemas: [PATCH_OP_URN], Operations: operations },
});

describe('/Groups', () => {
  it('lists the seeded groups, finds one by displayName (quoted or bare) and reads it by id', async () => {
    const h = await startHarness({ groups: ['Support', 'Tier 2 Queue'] });
    const all = await h.scim<GroupList>('GET', '/Groups');
    expect(all.body.Resources.map((g) => g.displayName)).toEqual(['Support', 'Tier 2 Queue']);

    const quoted = await h.scim<GroupList>(
      'GET',
      `/Groups?filter=${encodeURIComponent('displayName eq "Tier 2 Queue"')}`,
    );
    expect(quoted.body.totalResults).toBe(1);
    const group = quoted.body.Resources[0] as ScimGroup;
    expect(group).toMatchObject({
      displayName: 'Tier 2 Queue',
      members: [],
      meta: { resourceType: 'Group' },
    });
    const bare = await h.scim<GroupList>(
      'GET',
      `/Groups?filter=${encodeURIComponent('displayName eq support')}`,
    );
    expect(bare.body.Resources.map((g) => g.displayName)).toEqual(['Support']);
    const none = await h.scim<GroupList>(
      'GET',
      `/Groups?filter=${encodeURIComponent('displayName eq "Nope"')}`,
    );
    expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });

    const byId = await h.scim<ScimGroup>('GET', `/Groups/${group.id}`);
    expect(byId.status).toBe(200);
    expect(byId.headers.get('etag')).toBe(group.meta.version);
    expect((await h.scim('GET', '/Groups/unknown')).status).toBe(404);
    const badFilter = await h.scim('GET', `/Groups?filter=${encodeURIComponent('id eq "x"')}`);
    expect(badFilter.body).toEqual(scimError(400, 'invalidFilter'));
  });

  it('pages by at most 25', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `Queue ${String(i + 1).padStart(2, '0')}`);
    const h = await startHarness({ groups: names });
    const first = await h.scim<GroupList>('GET', '/Groups');
    expect(first.body).toMatchObject({ totalResults: 30, itemsPerPage: 25 });
    const second = await h.scim<GroupList>('GET', '/Groups?startIndex=26&count=10');
    expect(second.body.Resources.map((g) => g.displayName)).toEqual(names.slice(25));
    expect((await h.scim('GET', '/Groups?count=26')).status).toBe(429);
  });

  it('adds and removes members by user id, shows them on the user as read-only groups', async () => {
    const h = await startHarness();
    const [support, tier2] = await h.sim.admin.seedGroups(['Support', 'Tier 2 Queue']);
    if (!support || !tier2) throw new Error('not seeded');
    const ana = await h.create({ userName: 'ana@example.com', displayName: 'Ana' });
    const bo = await h.create({ userName: 'bo@example.com', displayName: 'Bo' });

    const added = await h.scim<ScimGroup>(
      'PATCH',
      `/Groups/${support.id}`,
      membersPatch([{ op: 'add', path: 'members', value: [{ value: ana.id }, { value: bo.id }] }]),
    );
    expect(added.status).toBe(200);
    expect(added.body.members).toEqual([
      { value: ana.id, display: 'Ana', $ref: ana.meta.location },
      { value: bo.id, display: 'Bo', $ref: bo.meta.location },
    ]);
    // Adding again changes nothing (idempotent), and needs no If-Match.
    const again = await h.scim<ScimGroup>(
      'PATCH',
      `/Groups/${support.id}`,
      membersPatch([{ op: 'add', value: { members: [{ value: ana.id }] } }]),
    );
    expect(again.body.meta.version).toBe(added.body.meta.version);
    await h.scim(
      'PATCH',
      `/Groups/${tier2.id}`,
      membersPatch([{ op: 'add', path: 'members', value: [{ value: ana.id }] }]),
    );

    const read = await h.scim<ScimUser>('GET', `/Users/${ana.id}`);
    expect(read.body.groups).toEqual([
      { value: support.id, display: 'Support', $ref: support.meta.location },
      { value: tier2.id, display: 'Tier 2 Queue', $ref: tier2.meta.location },
    ]);

    const removed = await h.scim<ScimGroup>(
      'PATCH',
      `/Groups/${support.id}`,
      membersPatch([{ op: 'remove', path: `members[value eq "${ana.id}"]` }]),
    );
    expect(removed.body.members.map((m) => m.value)).toEqual([bo.id]);
    await h.scim(
      'PATCH',
      `/Groups/${support.id}`,
      membersPatch([{ op: 'remove', path: 'members', value: [{ value: bo.id }] }]),
    );
    expect((await h.scim<ScimUser>('GET', `/Users/${bo.id}`)).body.groups).toBeUndefined();
    expect((await h.sim.admin.getUser(ana.id))?.user?.groups?.map((g) => g.display)).toEqual([
      'Tier 2 Queue',
    ]);
    expect(await h.sim.admin.counters()).toMatchObject({ groupPatches: 5 });
  });

  it('refuses an unknown user id, a stale If-Match and a change to anything but members; honours a good If-Match', async () => {
    const h = await startHarness({ groups: ['Support'] });
    const [group] = await h.sim.admin.listGroups();
    if (!group) throw new Error('no group');
    const ana = await h.create({ userName: 'ana@example.com', displayName: 'Ana' });
    const unknown = await h.scim(
      'PATCH',
      `/Groups/${group.id}`,
      membersPatch([{ op: 'add', path: 'members', value: [{ value: ana.id }, { value: 'no-such-user' }] }]),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual(scimError(400, 'invalidValue', expect.stringContaining('no-such-user')));
    expect((await h.sim.admin.listGroups())[0]?.members).toEqual([]);

    const stale = await h.scim('PATCH', `/Groups/${group.id}`, {
      ...membersPatch([{ op: 'add', path: 'members', value: [{ value: ana.id }] }]),
      headers: { 'if-match': '"7"' },
    });
    expect(stale.body).toEqual(scimError(400, 'invalidVers'));
    const fresh = await h.scim('PATCH', `/Groups/${group.id}`, {
      ...membersPatch([{ op: 'add', path: 'members', value: [{ value: ana.id }] }]),
      headers: { 'if-match': group.meta.version },
    });
    expect(fresh.status).toBe(200);

    const rename = await h.scim(
      'PATCH',
      `/Groups/${group.id}`,
      membersPatch([{ op: 'replace', path: 'displayName', value: 'X' }]),
    );
    expect(rename.body).toEqual(scimError(400, 'mutability'));
    expect(
      (await h.scim('PATCH', '/Groups/nope', membersPatch([{ op: 'remove', path: 'members' }]))).status,
    ).toBe(404);
  });

  it('cannot create, replace or delete a group (405 with a SCIM error)', async () => {
    const h = await startHarness({ groups: ['Support'] });
    const [group] = await h.sim.admin.listGroups();
    const created = await h.scim('POST', '/Groups', {
      body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'New' },
    });
    expect(created.status).toBe(405);
    expect(created.body).toEqual(scimError(405, undefined));
    expect((await h.scim('DELETE', `/Groups/${group?.id}`)).status).toBe(405);
    expect((await h.scim('PUT', `/Groups/${group?.id}`, { body: {} })).status).toBe(405);
    expect((await h.sim.admin.listGroups()).map((g) => g.displayName)).toEqual(['Support']);
  });

  it('refuses a write to groups on the user with 400 mutability; a deleted user leaves its groups', async () => {
    const h = await startHarness({ groups: ['Support'] });
    const [group] = await h.sim.admin.listGroups();
    if (!group) throw new Error('no group');
    const ana = await h.create({ userName: 'ana@example.com', displayName: 'Ana' });
    const patched = await h.patch(ana.id, [{ op: 'add', path: 'groups', value: [{ value: group.id }] }]);
    expect(patched.body).toEqual(scimError(400, 'mutability'));
    const posted = await h.scim('POST', '/Users', {
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'bo@example.com',
        displayName: 'Bo',
        groups: [{ value: group.id }],
      },
    });
    expect(posted.body).toEqual(scimError(400, 'mutability'));

    await h.scim(
      'PATCH',
      `/Groups/${group.id}`,
      membersPatch([{ op: 'add', path: 'members', value: [{ value: ana.id }] }]),
    );
    // A PUT that sends back the membership it read is accepted.
    const current = (await h.scim<ScimUser>('GET', `/Users/${ana.id}`)).body;
    const { meta: _m, id: _i, ...body } = current;
    expect((await h.scim('PUT', `/Users/${ana.id}`, { body })).status).toBe(200);

    expect((await h.scim('DELETE', `/Users/${ana.id}`)).status).toBe(204);
    expect((await h.sim.admin.listGroups())[0]?.members).toEqual([]);
  });

  it('seeds groups at run time by name (existing names kept) and reset restores the start groups', async () => {
    const h = await startHarness({ groups: ['Support'] });
    const seeded = await h.sim.admin.seedGroups(['support', 'Sales']);
    expect(seeded.map((g) => g.displayName)).toEqual(['Support', 'Sales']);
    await expect(h.sim.admin.seedGroups([''])).rejects.toMatchObject({ status: 400 });
    await h.sim.admin.reset();
    expect((await h.sim.admin.listGroups()).map((g) => g.displayName)).toEqual(['Support']);
  });
});
