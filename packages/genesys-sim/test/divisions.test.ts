import { describe, expect, it } from 'vitest';
import { ENTERPRISE, scimError, startHarness } from './harness.js';

const DIVISION = `${ENTERPRISE}:division`;

describe('divisions', () => {
  it('puts a user created without a division in Home and keeps the org spelling of a known one', async () => {
    const h = await startHarness({ behavior: { homeDivision: 'Home' } });
    const plain = await h.create({ userName: 'a@example.com', displayName: 'A' });
    expect(plain[ENTERPRISE]).toEqual({ division: 'Home' });
    const sales = await h.create({
      userName: 'b@example.com',
      displayName: 'B',
      [ENTERPRISE]: { division: 'sales' },
    });
    expect(sales[ENTERPRISE]).toEqual({ division: 'Sales' });
    const found = await h.scim<{ Resources: Array<{ id: string }> }>(
      'GET',
      `/Users?filter=${encodeURIComponent('division eq Sales')}`,
    );
    expect(found.body.Resources.map((u) => u.id)).toEqual([sales.id]);
  });

  it('refuses an unknown division on create and on PATCH with 400 invalidValue naming the attribute', async () => {
    const h = await startHarness();
    const created = await h.scim('POST', '/Users', {
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'c@example.com',
        displayName: 'C',
        [ENTERPRISE]: { division: 'Narnia' },
      },
    });
    expect(created.status).toBe(400);
    expect(created.body).toEqual(scimError(400, 'invalidValue', expect.stringContaining(DIVISION)));
    expect(await h.sim.admin.listUsers()).toEqual([]);

    const user = await h.create({ userName: 'd@example.com', displayName: 'D' });
    // A user created without a division lands in the home division ("Home" by default, as in Genesys).
    expect(user[ENTERPRISE]).toEqual({ division: 'Home' });
    const patched = await h.patch(user.id, [
      { op: 'replace', path: 'title', value: 'Agent' },
      { op: 'replace', path: DIVISION, value: 'Narnia' },
    ]);
    expect(patched.status).toBe(400);
    expect(patched.body).toEqual(scimError(400, 'invalidValue', expect.stringContaining(DIVISION)));
    // The whole request is refused: the title did not change either (the client has to split it).
    expect((await h.sim.admin.getUser(user.id))?.user?.title).toBeUndefined();
  });

  it('refuses removing the division with 400 mutability, and a PUT without one keeps it', async () => {
    const h = await startHarness();
    const user = await h.create({
      userName: 'e@example.com',
      displayName: 'E',
      [ENTERPRISE]: { division: 'Support' },
    });
    const removed = await h.patch(user.id, [{ op: 'remove', path: DIVISION }]);
    expect(removed.status).toBe(400);
    expect(removed.body).toEqual(scimError(400, 'mutability', expect.stringContaining(DIVISION)));
    const nulled = await h.patch(user.id, [{ op: 'replace', path: ENTERPRISE, value: { division: null } }]);
    expect(nulled.status).toBe(400);

    const { meta: _meta, id: _id, [ENTERPRISE]: _ext, ...rest } = user;
    const put = await h.scim<Record<string, Record<string, unknown>>>('PUT', `/Users/${user.id}`, {
      body: { ...rest, title: 'Lead' },
    });
    expect(put.status).toBe(200);
    expect(put.body[ENTERPRISE]).toEqual({ division: 'Support' });
  });

  it('follows the divisions, home division and removal switches set at run time', async () => {
    const h = await startHarness();
    const settings = await h.sim.admin.setBehavior({
      divisions: ['Main', 'Europe'],
      homeDivision: 'Main',
      refuseDivisionRemoval: false,
    });
    expect(settings).toMatchObject({ divisions: ['Main', 'Europe'], homeDivision: 'Main' });
    const user = await h.create({ userName: 'f@example.com', displayName: 'F' });
    expect(user[ENTERPRISE]).toEqual({ division: 'Main' });
    expect((await h.patch(user.id, [{ op: 'replace', path: DIVISION, value: 'Sales' }])).status).toBe(400);
    const removed = await h.patch(user.id, [{ op: 'remove', path: DIVISION }]);
    expect(removed.status).toBe(200);
    expect(removed.body[ENTERPRISE]).toBeUndefined();

    await h.sim.admin.setBehavior({ refuseUnknownDivisions: false });
    const anything = await h.patch(user.id, [{ op: 'add', path: DIVISION, value: 'Atlantis' }]);
    expect(anything.body[ENTERPRISE]).toEqual({ division: 'Atlantis' });

    await expect(h.sim.admin.setBehavior({ homeDivision: 'Nowhere' })).rejects.toMatchObject({ status: 400 });
    await h.sim.admin.resetBehavior();
    expect((await h.sim.admin.behavior()).homeDivision).toBe('Home');
  });

  it('takes its start divisions from the options and refuses a home division outside them', async () => {
    const h = await startHarness({ behavior: { divisions: ['Root'], homeDivision: 'Root' } });
    expect((await h.create({ userName: 'g@example.com', displayName: 'G' }))[ENTERPRISE]).toEqual({
      division: 'Root',
    });
    await expect(startHarness({ behavior: { divisions: ['Root'], homeDivision: 'Home' } })).rejects.toThrow(
      /homeDivision/,
    );
  });
});

describe('divisions the OAuth client may not write', () => {
  it('answers 403 with a SCIM error to every write to such a user, and to a create or move into it', async () => {
    const h = await startHarness({ behavior: { forbiddenDivisions: ['Finance'] } });
    const [locked] = await h.sim.admin.seedUsers([
      { userName: 'cfo@example.com', displayName: 'CFO', [ENTERPRISE]: { division: 'Finance' } },
    ]);
    if (!locked) throw new Error('not seeded');
    const other = await h.create({ userName: 'ok@example.com', displayName: 'OK' });

    const patched = await h.patch(locked.id, [{ op: 'replace', path: 'title', value: 'x' }]);
    expect(patched.status).toBe(403);
    expect(patched.body).toEqual(scimError(403, undefined, expect.stringContaining('Finance')));
    const { meta: _m, id: _i, ...body } = locked;
    expect((await h.scim('PUT', `/Users/${locked.id}`, { body })).status).toBe(403);
    expect((await h.scim('DELETE', `/Users/${locked.id}`)).status).toBe(403);
    const created = await h.scim('POST', '/Users', {
      body: { ...body, userName: 'new@example.com', externalId: 'X' },
    });
    expect(created.status).toBe(403);
    const moved = await h.patch(other.id, [{ op: 'replace', path: DIVISION, value: 'finance' }]);
    expect(moved.status).toBe(403);

    // Reads are allowed, and the user is unchanged.
    const read = await h.scim('GET', `/Users/${locked.id}`);
    expect(read.status).toBe(200);
    expect(read.body.meta).toEqual(locked.meta);

    await h.sim.admin.setBehavior({ hideForbiddenDivisions: true });
    expect((await h.scim('GET', `/Users/${locked.id}`)).status).toBe(404);
    const lookup = await h.scim<{ totalResults: number }>(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "cfo@example.com"')}`,
    );
    expect(lookup.body.totalResults).toBe(0);
    // The hidden user still holds its userName: a create with it is a conflict, as in Genesys.
    const again = await h.scim('POST', '/Users', {
      body: { schemas: body.schemas, userName: 'cfo@example.com', displayName: 'CFO' },
    });
    expect(again.body).toEqual(scimError(409, 'uniqueness'));

    await h.sim.admin.setBehavior({ forbiddenDivisions: [], hideForbiddenDivisions: false });
    expect((await h.patch(locked.id, [{ op: 'replace', path: 'title', value: 'x' }])).status).toBe(200);
  });
});
