import { describe, expect, it } from 'vitest';
import type { ScimUser } from '../src/index.js';
import { ENTERPRISE, type Harness, scimError, startHarness } from './harness.js';

interface ListBody {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: ScimUser[];
}

/** Three active users and one inactive, with the attributes every filter looks at. */
async function seedDirectory(h: Harness) {
  const [boss, ana, bo, gone] = await h.sim.admin.seedUsers([
    { userName: 'boss@example.com', displayName: 'Boss', externalId: 'HR-1' },
    {
      userName: 'Ana.Lima@example.com',
      displayName: 'Ana Lima',
      externalId: 'HR-2',
      emails: [{ type: 'work', value: 'ana.work@example.com' }],
      [ENTERPRISE]: { employeeNumber: '1002', division: 'Home', department: 'Sales' },
    },
    {
      userName: 'bo@example.com',
      displayName: 'Bo',
      externalId: 'HR-3',
      [ENTERPRISE]: { employeeNumber: '1003', division: 'Support' },
    },
    { userName: 'gone@example.com', displayName: 'Gone', externalId: 'HR-4', active: false },
  ]);
  if (!boss || !ana || !bo || !gone) throw new Error('seed failed');
  await h.sim.admin.editUser(ana.id, [
    { op: 'add', path: `${ENTERPRISE}:manager`, value: { value: boss.id } },
  ]);
  await h.sim.admin.editUser(gone.id, [
    { op: 'add', path: `${ENTERPRISE}:manager`, value: { value: boss.id } },
  ]);
  return { boss, ana, bo, gone };
}

async function list(h: Harness, query: string) {
  return h.scim<ListBody>('GET', `/Users?${query}`);
}

const ids = (body: ListBody) => body.Resources.map((u) => u.externalId);

describe('GET /Users filters', () => {
  it('finds by externalId, quoted or bare, and compares it case-sensitively', async () => {
    const h = await startHarness();
    await seedDirectory(h);
    for (const filter of ['externalId eq "HR-2"', 'externalId eq HR-2', 'EXTERNALID eq "HR-2"']) {
      const answer = await list(h, `filter=${encodeURIComponent(filter)}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 1,
        startIndex: 1,
        itemsPerPage: 1,
      });
      expect(ids(answer.body)).toEqual(['HR-2']);
    }
    expect((await list(h, `filter=${encodeURIComponent('externalId eq "hr-2"')}`)).body.totalResults).toBe(0);
  });

  it('finds by userName case-insensitively, quoted or bare', async () => {
    const h = await startHarness();
    await seedDirectory(h);
    for (const filter of ['userName eq "ana.lima@example.com"', 'userName eq ANA.LIMA@example.com']) {
      expect(ids((await list(h, `filter=${encodeURIComponent(filter)}`)).body)).toEqual(['HR-2']);
    }
  });

  it('finds by email among all addresses (work and the userName copy)', async () => {
    const h = await startHarness();
    await seedDirectory(h);
    expect(
      ids((await list(h, `filter=${encodeURIComponent('email eq "ana.work@example.com"')}`)).body),
    ).toEqual(['HR-2']);
    expect(ids((await list(h, `filter=${encodeURIComponent('email eq bo@example.com')}`)).body)).toEqual([
      'HR-3',
    ]);
  });

  it('finds by employeeNumber (a bare number compares as a string), manager and division', async () => {
    const h = await startHarness();
    const { boss } = await seedDirectory(h);
    expect(ids((await list(h, `filter=${encodeURIComponent('employeeNumber eq 1003')}`)).body)).toEqual([
      'HR-3',
    ]);
    expect(ids((await list(h, `filter=${encodeURIComponent('employeeNumber eq "1002"')}`)).body)).toEqual([
      'HR-2',
    ]);
    const managed = await list(h, `filter=${encodeURIComponent(`manager eq ${boss.id}`)}`);
    expect(ids(managed.body)).toEqual(['HR-2', 'HR-4']);
    // Users created without a division land in "Home".
    expect(ids((await list(h, `filter=${encodeURIComponent('division eq "home"')}`)).body)).toEqual([
      'HR-1',
      'HR-2',
      'HR-4',
    ]);
  });

  it('filters on active, and combines with and/or', async () => {
    const h = await startHarness();
    const { boss } = await seedDirectory(h);
    expect(ids((await list(h, `filter=${encodeURIComponent('active eq false')}`)).body)).toEqual(['HR-4']);
    expect(ids((await list(h, `filter=${encodeURIComponent('active eq true')}`)).body)).toEqual([
      'HR-1',
      'HR-2',
      'HR-3',
    ]);
    const and = `manager eq "${boss.id}" and active eq true`;
    expect(ids((await list(h, `filter=${encodeURIComponent(and)}`)).body)).toEqual(['HR-2']);
    const or = 'externalId eq "HR-1" or externalId eq "HR-3"';
    expect(ids((await list(h, `filter=${encodeURIComponent(or)}`)).body)).toEqual(['HR-1', 'HR-3']);
  });

  it('lists only active users without a filter', async () => {
    const h = await startHarness();
    await seedDirectory(h);
    const answer = await list(h, '');
    expect(answer.body.totalResults).toBe(3);
    expect(ids(answer.body)).toEqual(['HR-1', 'HR-2', 'HR-3']);
  });

  it('matches inactive users with externalId/userName filters by default, and hides them with the switch', async () => {
    const shown = await startHarness();
    await seedDirectory(shown);
    expect(ids((await list(shown, `filter=${encodeURIComponent('externalId eq "HR-4"')}`)).body)).toEqual([
      'HR-4',
    ]);
    expect(
      ids((await list(shown, `filter=${encodeURIComponent('userName eq "gone@example.com"')}`)).body),
    ).toEqual(['HR-4']);

    const hidden = await startHarness({ hideInactiveFromFilters: true });
    await seedDirectory(hidden);
    expect(
      (await list(hidden, `filter=${encodeURIComponent('externalId eq "HR-4"')}`)).body.totalResults,
    ).toBe(0);
    expect(
      (await list(hidden, `filter=${encodeURIComponent('userName eq gone@example.com')}`)).body.totalResults,
    ).toBe(0);
    // Asking for inactive users explicitly still works.
    expect(ids((await list(hidden, `filter=${encodeURIComponent('active eq false')}`)).body)).toEqual([
      'HR-4',
    ]);
  });

  it.each([
    ['an unsupported attribute', 'displayName eq "Bo"'],
    ['an unsupported operator', 'userName co "example"'],
    ['not', 'not (active eq true)'],
    ['a syntax error', 'externalId eq'],
    ['an unterminated string', 'externalId eq "HR-1'],
    ['a non-boolean active', 'active eq "maybe"'],
  ])('refuses %s with 400 invalidFilter', async (_what, filter) => {
    const h = await startHarness();
    const answer = await list(h, `filter=${encodeURIComponent(filter)}`);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(answer.body).toEqual(scimError(400, 'invalidFilter'));
  });
});

describe('GET /Users paging and attribute selection', () => {
  it('pages with a 1-based startIndex and count (default 25)', async () => {
    const h = await startHarness();
    await h.sim.admin.seedUsers(
      Array.from({ length: 30 }, (_, i) => ({
        userName: `u${i}@example.com`,
        displayName: `U ${i}`,
        externalId: `E-${String(i).padStart(2, '0')}`,
      })),
    );
    const first = await list(h, '');
    expect(first.body).toMatchObject({ totalResults: 30, startIndex: 1, itemsPerPage: 25 });
    const page = await list(h, 'startIndex=26&count=10');
    expect(page.body).toMatchObject({ totalResults: 30, startIndex: 26, itemsPerPage: 5 });
    expect(ids(page.body)).toEqual(['E-25', 'E-26', 'E-27', 'E-28', 'E-29']);
    const middle = await list(h, 'startIndex=3&count=2');
    expect(ids(middle.body)).toEqual(['E-02', 'E-03']);
    const none = await list(h, 'count=0');
    expect(none.body).toMatchObject({ totalResults: 30, itemsPerPage: 0, Resources: [] });
  });

  it('answers count over 25 with 429 and Retry-After, as Genesys does', async () => {
    const h = await startHarness();
    expect((await list(h, 'count=25')).status).toBe(200);
    const tooMany = await list(h, 'count=26');
    expect(tooMany.status).toBe(429);
    expect(Number(tooMany.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(tooMany.body).toEqual(scimError(429, undefined));
  });

  it('refuses a non-numeric count with 400 invalidValue', async () => {
    const h = await startHarness();
    const answer = await list(h, 'count=many');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(scimError(400, 'invalidValue'));
  });

  it('honours attributes and excludedAttributes, always returning id, userName, active and meta', async () => {
    const h = await startHarness();
    await seedDirectory(h);
    const filter = encodeURIComponent('externalId eq "HR-2"');
    const some = await list(
      h,
      `filter=${filter}&attributes=displayName,${ENTERPRISE}:department,emails.value`,
    );
    const [user] = some.body.Resources;
    expect(Object.keys(user ?? {}).sort()).toEqual(
      ['active', 'displayName', 'emails', 'id', 'meta', 'schemas', 'userName', ENTERPRISE].sort(),
    );
    expect(user?.[ENTERPRISE]).toEqual({ department: 'Sales' });
    expect(user?.emails).toEqual([{ value: 'ana.work@example.com' }, { value: 'Ana.Lima@example.com' }]);

    const fewer = await list(h, `filter=${filter}&excludedAttributes=emails,${ENTERPRISE},id,userName`);
    const [slim] = fewer.body.Resources;
    expect(slim?.emails).toBeUndefined();
    expect(slim?.[ENTERPRISE]).toBeUndefined();
    expect(slim?.id).toEqual(expect.any(String));
    expect(slim?.userName).toBe('Ana.Lima@example.com');
    expect(slim?.displayName).toBe('Ana Lima');
  });
});

describe('GET /Users/:id', () => {
  it('returns the user with its version as ETag, and 404 for an unknown id', async () => {
    const h = await startHarness();
    const { ana } = await seedDirectory(h);
    const answer = await h.scim<ScimUser>('GET', `/Users/${ana.id}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBe(answer.body.meta.version);
    expect(answer.body.meta.version).toBe('"2"');
    const missing = await h.scim('GET', '/Users/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(scimError(404, undefined));
  });

  it('answers If-None-Match with 304 while the version is current, 200 after a change', async () => {
    const h = await startHarness();
    const { bo } = await seedDirectory(h);
    const notModified = await h.scim('GET', `/Users/${bo.id}`, { headers: { 'if-none-match': '"1"' } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe('"1"');
    expect(notModified.body).toBeUndefined();
    await h.sim.admin.editUser(bo.id, [{ op: 'replace', path: 'title', value: 'Lead' }]);
    const changed = await h.scim<ScimUser>('GET', `/Users/${bo.id}`, { headers: { 'if-none-match': '"1"' } });
    expect(changed.status).toBe(200);
    expect(changed.body.title).toBe('Lead');
    expect(changed.headers.get('etag')).toBe('"2"');
  });
});
