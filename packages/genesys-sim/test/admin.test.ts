import { describe, expect, it } from 'vitest';
import { SimAdminError } from '../src/index.js';
import { ENTERPRISE, startHarness } from './harness.js';

describe('/__sim availability', () => {
  it('answers 404 when the admin option is off', async () => {
    const h = await startHarness({ admin: false });
    const response = await fetch(`${h.sim.url}/__sim/counters`);
    expect(response.status).toBe(404);
    await expect(h.sim.admin.counters()).rejects.toBeInstanceOf(SimAdminError);
  });
});

describe('seeding and reading users', () => {
  it('seeds one or many users (bypassing auth and rate limits), honouring given ids', async () => {
    const h = await startHarness({ rateLimitPerMinute: 1 });
    const one = await h.sim.admin.seedUser({
      userName: 'one@example.com',
      displayName: 'One',
      externalId: 'E1',
    });
    expect(one.id).toEqual(expect.any(String));
    expect(one.roles).toEqual([{ value: 'employee' }]);
    const many = await h.sim.admin.seedUsers([
      { id: 'boss-id', userName: 'boss@example.com', displayName: 'Boss' },
      {
        userName: 'two@example.com',
        displayName: 'Two',
        active: false,
        [ENTERPRISE]: { manager: { value: 'boss-id' } },
      },
    ]);
    expect(many.map((u) => u.id)[0]).toBe('boss-id');
    expect(many[1]?.[ENTERPRISE]?.manager?.displayName).toBe('Boss');
    const all = await h.sim.admin.listUsers();
    expect(all.map((u) => u.userName)).toEqual(['one@example.com', 'boss@example.com', 'two@example.com']);
    expect((await h.sim.admin.counters()).requests).toBe(0);
  });

  it('validates seeds like POST /Users and creates all of a batch or none', async () => {
    const h = await startHarness();
    const error = await h.sim.admin
      .seedUsers([
        { userName: 'ok@example.com', displayName: 'Ok' },
        { userName: 'OK@example.com', displayName: 'Duplicate' },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimAdminError);
    expect((error as SimAdminError).status).toBe(409);
    expect((error as SimAdminError).body).toMatchObject({ error: { scimType: 'uniqueness' } });
    expect(await h.sim.admin.listUsers()).toEqual([]);
    const bad = await h.sim.admin
      .seedUser({ userName: 'x@example.com', displayName: 'X', roles: [{ value: 'nope' }] })
      .catch((e: unknown) => e);
    expect((bad as SimAdminError).status).toBe(400);
  });

  it('shows a user with its history (actor, method, version; passwords redacted), also after DELETE', async () => {
    const h = await startHarness();
    const user = await h.create({
      userName: 'h@example.com',
      displayName: 'H',
      externalId: 'HR-H',
      password: 'Pa55word!',
    });
    await h.patch(user.id, [{ op: 'replace', path: 'password', value: 'N3wPass!' }]);
    await h.sim.admin.editUser(user.id, [{ op: 'replace', path: 'title', value: 'Changed in Genesys' }]);
    await h.scim('DELETE', `/Users/${user.id}`);

    const state = await h.sim.admin.getUser(user.id);
    expect(state?.user).toBeNull();
    expect(state?.deleted).toBe(true);
    expect(state?.history.map((e) => [e.method, e.actor, e.version])).toEqual([
      ['POST', 'api', '"1"'],
      ['PATCH', 'api', '"2"'],
      ['PATCH', 'admin', '"3"'],
      ['DELETE', 'api', '"3"'],
    ]);
    expect(state?.history[2]?.ops).toEqual([{ op: 'replace', path: 'title', value: 'Changed in Genesys' }]);
    expect(JSON.stringify(state)).not.toMatch(/Pa55word|N3wPass/);
    expect(await h.sim.admin.getUser('never-existed')).toBeUndefined();
  });

  it('finds a user by externalId', async () => {
    const h = await startHarness();
    const user = await h.sim.admin.seedUser({
      userName: 'x@example.com',
      displayName: 'X',
      externalId: 'HR/42',
    });
    const state = await h.sim.admin.getUserByExternalId('HR/42');
    expect(state?.user?.id).toBe(user.id);
    expect(state?.history).toHaveLength(1);
    expect(await h.sim.admin.getUserByExternalId('HR-none')).toBeUndefined();
  });

  it('edits a user behind the client’s back: the version moves', async () => {
    const h = await startHarness();
    const user = await h.sim.admin.seedUser({ userName: 'e@example.com', displayName: 'E' });
    const edited = await h.sim.admin.editUser(user.id, [
      { op: 'add', path: 'roles', value: [{ value: 'admin' }] },
    ]);
    expect(edited.meta.version).toBe('"2"');
    expect(edited.roles).toEqual([{ value: 'employee' }, { value: 'admin' }]);
    const invalid = await h.sim.admin
      .editUser(user.id, [{ op: 'replace', path: 'name.givenName', value: 'E' }])
      .catch((e: unknown) => e);
    expect((invalid as SimAdminError).body).toMatchObject({
      error: { status: '400', scimType: 'invalidPath' },
    });
  });
});

describe('request log and counters', () => {
  it('logs method, path, query, status, correlation id and token id, never the token', async () => {
    const h = await startHarness();
    const token = await h.token();
    const user = await h.create({ userName: 'l@example.com', displayName: 'L' });
    await h.scim('GET', `/Users?filter=${encodeURIComponent('externalId eq "X"')}`, {
      token,
      headers: { 'x-correlation-id': 'corr-123' },
    });
    const log = await h.sim.admin.requests();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      seq: 1,
      method: 'POST',
      path: '/api/v2/scim/v2/Users',
      status: 201,
      tokenId: expect.stringMatching(/^tok-\d+$/),
    });
    expect(log[1]).toMatchObject({
      seq: 2,
      method: 'GET',
      query: 'filter=externalId%20eq%20%22X%22',
      status: 200,
      correlationId: 'corr-123',
    });
    expect(log[0]?.tokenId).not.toBe(log[1]?.tokenId);
    expect(JSON.stringify(log)).not.toContain(token);
    expect(await h.sim.admin.requests({ since: 1 })).toEqual([log[1]]);
    expect(user.id).toBeTruthy();
  });

  it('keeps only the last requestLogLimit entries', async () => {
    const h = await startHarness({ requestLogLimit: 3 });
    for (let i = 0; i < 5; i++) await h.scim('GET', '/Users');
    expect((await h.sim.admin.requests()).map((e) => e.seq)).toEqual([3, 4, 5]);
  });

  it('counts reads, writes by kind, statuses and the busiest window', async () => {
    const h = await startHarness();
    const user = await h.create({ userName: 'k@example.com', displayName: 'K' });
    await h.scim('GET', `/Users/${user.id}`);
    await h.scim('GET', '/Users');
    await h.patch(user.id, [{ op: 'replace', path: 'title', value: 't' }]);
    await h.scim('PUT', `/Users/${user.id}`, { body: user });
    await h.scim('DELETE', `/Users/${user.id}`);
    await h.scim('GET', `/Users/${user.id}`);
    await h.scim('GET', '/ServiceProviderConfig');
    expect(await h.sim.admin.counters()).toEqual({
      requests: 8,
      reads: 3,
      writes: 4,
      creates: 1,
      patches: 1,
      puts: 1,
      deletes: 1,
      groupReads: 0,
      groupPatches: 0,
      status: { '200': 5, '201': 1, '204': 1, '404': 1 },
      throttled429: 0,
      conflicts: 0,
      resets: 0,
      serverErrors: 0,
      tokensIssued: 1,
      maxRequestsInAnyWindow: 8,
    });
  });
});

describe('faults, tokens and reset', () => {
  it('updates faults partially, refuses bad settings, and resets to the start options', async () => {
    const h = await startHarness({ faults: { seed: 7, conflictRate: 0.25 } });
    expect(await h.sim.admin.faults()).toMatchObject({ seed: 7, conflictRate: 0.25, serverErrorRate: 0 });
    const updated = await h.sim.admin.setFaults({ serverErrorRate: 0.1 });
    expect(updated).toMatchObject({ seed: 7, conflictRate: 0.25, serverErrorRate: 0.1 });
    const bad = await h.sim.admin.setFaults({ serverErrorRate: 2 }).catch((e: unknown) => e);
    expect((bad as SimAdminError).status).toBe(400);
    const unknown = await fetch(`${h.sim.url}/__sim/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ explode: true }),
    });
    expect(unknown.status).toBe(400);
    expect(await h.sim.admin.clearFaults()).toMatchObject({
      seed: 7,
      conflictRate: 0.25,
      serverErrorRate: 0,
    });
  });

  it('POST /__sim/reset clears users, tokens, counters, the log and faults', async () => {
    const h = await startHarness();
    const token = await h.token();
    await h.create({ userName: 'r@example.com', displayName: 'R' });
    await h.sim.admin.setFaults({ throttleBurst: { count: 5 } });
    await h.sim.admin.reset();
    expect(await h.sim.admin.listUsers()).toEqual([]);
    expect(await h.sim.admin.requests()).toEqual([]);
    expect((await h.sim.admin.faults()).throttleBurst.count).toBe(0);
    expect((await h.scim('GET', '/Users', { token })).status).toBe(401);
    const counters = await h.sim.admin.counters();
    expect(counters).toMatchObject({ requests: 1, maxRequestsInAnyWindow: 1, tokensIssued: 0 });
  });
});
