import { type RunningSimulator, startSimulator } from '@dirsync/genesys-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENTERPRISE_USER_SCHEMA, ScimClient, ScimError, type ScimUser } from '../src/index.js';

/** The client against the Genesys simulator over real sockets: the same behaviours the unit tests script. */
describe('ScimClient against the Genesys simulator', () => {
  let sim: RunningSimulator;
  let client: ScimClient;

  beforeAll(async () => {
    sim = await startSimulator({ admin: true, rateLimitPerMinute: 1000 });
    client = new ScimClient({
      baseUrl: sim.url,
      loginUrl: sim.url,
      clientId: 'dirsync-local',
      clientSecret: 'dirsync-local-secret',
    });
  });
  afterAll(async () => {
    client?.close();
    await sim?.close();
  });
  beforeEach(async () => {
    await sim.admin.reset();
  });

  async function failure(promise: Promise<unknown>): Promise<ScimError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ScimError);
    return error as ScimError;
  }

  it('creates, finds by externalId and userName, reads with its version, and patches with If-Match', async () => {
    const created = await client.createUser({
      userName: 'ada@example.com',
      displayName: 'Ada Lovelace',
      externalId: 'HR-1',
      title: 'Analyst',
      roles: [{ value: 'agent' }],
      [ENTERPRISE_USER_SCHEMA]: { department: 'Engineering' },
    });
    expect(created.version).toBe('"1"');
    const id = created.user.id as string;
    expect((await client.findByExternalId('HR-1'))?.id).toBe(id);
    expect((await client.findByUserName('ADA@example.com'))?.id).toBe(id);
    expect(await client.findByExternalId('HR-404')).toBeUndefined();

    const patched = await client.patchUser(id, [{ op: 'replace', path: 'title', value: 'Lead' }], {
      version: created.version,
    });
    expect(patched.user?.title).toBe('Lead');
    expect(patched.version).toBe('"2"');
    const read = await client.getUser(id);
    expect(read.version).toBe('"2"');
    expect(read.user.title).toBe('Lead');
  });

  it("maps the simulator's failure answers onto typed errors", async () => {
    const { user, version } = await client.createUser({
      userName: 'bo@example.com',
      displayName: 'Bo',
      externalId: 'HR-2',
    });
    const id = user.id as string;
    await client.patchUser(id, [{ op: 'replace', path: 'title', value: 'x' }], { version });

    const stale = await failure(
      client.patchUser(id, [{ op: 'replace', path: 'title', value: 'y' }], { version }),
    );
    expect(stale).toMatchObject({ kind: 'version_conflict', status: 400, scimType: 'invalidVers' });

    const taken = await failure(client.createUser({ userName: 'BO@example.com', displayName: 'Other' }));
    expect(taken).toMatchObject({ kind: 'uniqueness', status: 409 });

    const missing = await failure(client.getUser('00000000-0000-0000-0000-000000000000'));
    expect(missing.kind).toBe('not_found');

    const badPath = await failure(
      client.patchUser(id, [{ op: 'replace', path: 'name.givenName', value: 'B' }]),
    );
    expect(badPath).toMatchObject({ kind: 'bad_request', scimType: 'invalidPath' });

    await sim.admin.setFaults({ throttleBurst: { count: 1, retryAfterSeconds: 4 } });
    const limited = await failure(client.getUser(id));
    expect(limited).toMatchObject({ kind: 'rate_limited', retryAfterMs: 4000 });

    await sim.admin.setFaults({ failNext: [{ status: 503, count: 1 }] });
    expect((await failure(client.getUser(id))).kind).toBe('server_error');
  });

  it('refreshes a revoked token once and carries on', async () => {
    await client.createUser({ userName: 'cy@example.com', displayName: 'Cy', externalId: 'HR-3' });
    await sim.admin.revokeTokens();
    expect((await client.findByExternalId('HR-3'))?.userName).toBe('cy@example.com');
  });

  it('lists every user, inactive ones included, 25 a page', async () => {
    const users: ScimUser[] = Array.from({ length: 60 }, (_, i) => ({
      userName: `p${i}@example.com`,
      displayName: `P ${i}`,
      externalId: `P-${i}`,
      active: i % 10 !== 0,
    }));
    await sim.admin.seedUsers(users as Array<ScimUser & { userName: string; displayName: string }>);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of client.listAllUsers({ includeInactive: true })) {
      pages += 1;
      expect(page.users.length).toBeLessThanOrEqual(25);
      seen.push(...page.users.map((u) => String(u.externalId)));
    }
    expect(new Set(seen).size).toBe(60);
    expect(pages).toBeGreaterThanOrEqual(4);
  });
});
