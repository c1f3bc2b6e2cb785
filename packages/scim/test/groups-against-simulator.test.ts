import { type RunningSimulator, startSimulator } from '@dirsync/genesys-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ScimClient, ScimError } from '../src/index.js';

/** Group lookups and membership changes against the Genesys simulator over real sockets. */
describe('ScimClient /Groups against the Genesys simulator', () => {
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

  const membersOf = async (name: string) =>
    (await sim.admin.listGroups()).find((g) => g.displayName === name)?.members.map((m) => m.value) ?? [];

  it('finds a group by displayName, with its id, and nothing for an unknown name', async () => {
    const [support] = await sim.admin.seedGroups(['Support', 'Tier 2 Queue']);
    expect(await client.findGroupByDisplayName('Support')).toEqual({
      id: support?.id,
      displayName: 'Support',
    });
    expect((await client.findGroupByDisplayName('Tier 2 Queue'))?.displayName).toBe('Tier 2 Queue');
    expect(await client.findGroupByDisplayName('support')).toEqual({
      id: support?.id,
      displayName: 'Support',
    });
    expect(await client.findGroupByDisplayName('Nobody')).toBeUndefined();
  });

  it('adds and removes members without If-Match, idempotently, and sends nothing for no change', async () => {
    const [support] = await sim.admin.seedGroups(['Support']);
    const groupId = support?.id as string;
    const a = (await client.createUser({ userName: 'a@example.com', displayName: 'A' })).user.id as string;
    const b = (await client.createUser({ userName: 'b@example.com', displayName: 'B' })).user.id as string;
    await client.patchGroupMembers(groupId, { add: [a, b] });
    await client.patchGroupMembers(groupId, { add: [a] });
    expect((await membersOf('Support')).sort()).toEqual([a, b].sort());
    await client.patchGroupMembers(groupId, { remove: [b] });
    await client.patchGroupMembers(groupId, { remove: [b] });
    expect(await membersOf('Support')).toEqual([a]);
    expect((await client.getUser(a)).user.groups?.map((g) => g.display)).toEqual(['Support']);

    const before = (await sim.admin.counters()).groupPatches;
    await client.patchGroupMembers(groupId, {});
    expect((await sim.admin.counters()).groupPatches).toBe(before);
  });

  it('maps an unknown group id onto a typed not_found error', async () => {
    const error = await client.patchGroupMembers('no-such-group', { add: ['x'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).kind).toBe('not_found');
  });
});
