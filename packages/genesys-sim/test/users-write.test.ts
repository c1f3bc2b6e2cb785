import { describe, expect, it } from 'vitest';
import { CORE_USER_URN, type ScimUser } from '../src/index.js';
import { ENTERPRISE, GENESYS, scimError, startHarness } from './harness.js';

const base = { schemas: [CORE_USER_URN], userName: 'new.hire@example.com', displayName: 'New Hire' };

describe('POST /Users', () => {
  it('creates a user with id, meta, version "1", ETag, Location and the default employee role', async () => {
    const h = await startHarness();
    const answer = await h.scim<ScimUser>('POST', '/Users', {
      body: { ...base, externalId: 'HR-9', roles: [{ value: 'Agent' }], password: 'S3cret!pass' },
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    const user = answer.body;
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(user).toMatchObject({
      userName: 'new.hire@example.com',
      displayName: 'New Hire',
      externalId: 'HR-9',
      active: true,
      roles: [{ value: 'employee' }, { value: 'agent' }],
      emails: [{ type: 'other', value: 'new.hire@example.com' }],
      meta: {
        resourceType: 'User',
        version: '"1"',
        location: `${h.sim.scimUrl}/Users/${user.id}`,
        created: expect.any(String),
        lastModified: expect.any(String),
      },
    });
    expect(user.schemas).toContain(CORE_USER_URN);
    expect(answer.headers.get('etag')).toBe('"1"');
    expect(answer.headers.get('location')).toBe(user.meta.location);
    expect(JSON.stringify(user)).not.toContain('S3cret');
  });

  it.each([
    ['userName', { schemas: [CORE_USER_URN], displayName: 'No Name' }],
    ['displayName', { schemas: [CORE_USER_URN], userName: 'x@example.com' }],
  ])('refuses a user without %s with 400 invalidValue', async (missing, body) => {
    const h = await startHarness();
    const answer = await h.scim('POST', '/Users', { body });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(scimError(400, 'invalidValue', `'${missing}' is required`));
  });

  it('refuses a taken userName, case-insensitively and including inactive users, with 409 uniqueness', async () => {
    const h = await startHarness();
    await h.sim.admin.seedUser({ userName: 'taken@example.com', displayName: 'Old', active: false });
    const answer = await h.scim('POST', '/Users', {
      body: { ...base, userName: 'TAKEN@example.com' },
    });
    expect(answer.status).toBe(409);
    expect(answer.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(answer.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
      detail: 'userName is already in use by another user',
    });
  });

  it.each([
    ['an unknown role', { roles: [{ value: 'wizard' }] }, 'invalidValue'],
    ['a manager that does not exist', { [ENTERPRISE]: { manager: { value: 'nope' } } }, 'invalidValue'],
    ['a `name` attribute (Genesys has none)', { name: { givenName: 'A' } }, 'invalidValue'],
    ['customFields', { customFields: { level: 'L3' } }, 'invalidValue'],
    ['enterprise costCenter', { [ENTERPRISE]: { costCenter: 'CC-1' } }, 'invalidValue'],
    ['a bad dateHire', { [ENTERPRISE]: { dateHire: '2024-02-30' } }, 'invalidValue'],
    ['a userName that is not an e-mail', { userName: 'not-an-email' }, 'invalidValue'],
    ['an unknown phone type', { phoneNumbers: [{ type: 'pager', value: '+1555' }] }, 'invalidValue'],
    [
      'two work e-mails',
      {
        emails: [
          { type: 'work', value: 'a@x.io' },
          { type: 'work', value: 'b@x.io' },
        ],
      },
      'invalidValue',
    ],
    ['a string for active', { active: 'false' }, 'invalidValue'],
    [
      'routing skills over 50',
      { [GENESYS]: { routingSkills: Array.from({ length: 51 }, (_, i) => ({ name: `s${i}` })) } },
      'invalidValue',
    ],
  ])('refuses %s with 400', async (_what, extra, scimType) => {
    const h = await startHarness();
    const answer = await h.scim('POST', '/Users', { body: { ...base, ...extra } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(scimError(400, scimType));
  });

  it('refuses a body without the core schema with 400 invalidSyntax, and malformed JSON likewise', async () => {
    const h = await startHarness();
    const noSchemas = await h.scim('POST', '/Users', {
      body: { userName: 'a@example.com', displayName: 'A' },
    });
    expect(noSchemas.status).toBe(400);
    expect(noSchemas.body).toEqual(scimError(400, 'invalidSyntax'));
    const broken = await h.scim('POST', '/Users', {
      rawBody: '{"userName":',
      headers: { 'content-type': 'application/scim+json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual(scimError(400, 'invalidSyntax', 'The body is not valid JSON'));
  });

  it('stores a manager with its display name and URI, and the extensions', async () => {
    const h = await startHarness();
    const boss = await h.create({ userName: 'boss@example.com', displayName: 'The Boss' });
    const user = await h.create({
      userName: 'e@example.com',
      displayName: 'E',
      phoneNumbers: [{ type: 'MOBILE', value: '+15550100' }],
      [ENTERPRISE]: { manager: { value: boss.id }, dateHire: '2024-02-29', division: 'Home' },
      [GENESYS]: { routingSkills: [{ name: 'Billing', proficiency: 3 }] },
    });
    expect(user[ENTERPRISE]).toEqual({
      division: 'Home',
      manager: { value: boss.id, $ref: boss.meta.location, displayName: 'The Boss' },
      dateHire: '2024-02-29',
    });
    expect(user.phoneNumbers).toEqual([{ type: 'mobile', value: '+15550100' }]);
    expect(user[GENESYS]).toEqual({ routingSkills: [{ name: 'Billing', proficiency: 3 }] });
  });
});

describe('PUT /Users/:id', () => {
  it('replaces the writable attributes, clears absent ones and bumps the version', async () => {
    const h = await startHarness();
    const user = await h.create({
      userName: 'p@example.com',
      displayName: 'P',
      title: 'Old title',
      externalId: 'HR-P',
    });
    const answer = await h.scim<ScimUser>('PUT', `/Users/${user.id}`, {
      body: { ...user, title: undefined, displayName: 'P Two', roles: [{ value: 'supervisor' }] },
      headers: { 'if-match': '"1"' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBe('"2"');
    expect(answer.body.title).toBeUndefined();
    expect(answer.body.displayName).toBe('P Two');
    expect(answer.body.roles).toEqual([{ value: 'supervisor' }]);
    expect(answer.body.meta.created).toBe(user.meta.created);
    expect(answer.body.id).toBe(user.id);
  });

  it('refuses a stale If-Match with 400 invalidVers and a taken userName with 409', async () => {
    const h = await startHarness();
    await h.create({ userName: 'other@example.com', displayName: 'O' });
    const user = await h.create({ userName: 'q@example.com', displayName: 'Q' });
    const stale = await h.scim('PUT', `/Users/${user.id}`, { body: user, headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(400);
    expect(stale.body).toEqual(scimError(400, 'invalidVers'));
    const taken = await h.scim('PUT', `/Users/${user.id}`, {
      body: { ...user, userName: 'other@example.com' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual(scimError(409, 'uniqueness'));
    expect((await h.scim('PUT', '/Users/unknown', { body: user })).status).toBe(404);
  });
});

describe('DELETE /Users/:id', () => {
  it('deletes (204), then the user is 404 and the userName is free again', async () => {
    const h = await startHarness();
    const user = await h.create({ userName: 'd@example.com', displayName: 'D' });
    const stale = await h.scim('DELETE', `/Users/${user.id}`, { headers: { 'if-match': '"9"' } });
    expect(stale.status).toBe(400);
    expect(stale.body).toEqual(scimError(400, 'invalidVers'));
    const deleted = await h.scim('DELETE', `/Users/${user.id}`);
    expect(deleted.status).toBe(204);
    expect((await h.scim('GET', `/Users/${user.id}`)).status).toBe(404);
    expect((await h.scim('DELETE', `/Users/${user.id}`)).status).toBe(404);
    await h.create({ userName: 'd@example.com', displayName: 'D again' });
  });
});
