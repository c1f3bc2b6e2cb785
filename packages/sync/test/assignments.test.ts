import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScimClient } from '@dirsync/scim';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { type EngineHarness, hr, startEngineHarness } from './engine-harness.js';

const GENESYS = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
/** The org's groups; "Tier 1 Queue" is managed by the shipped policy but does not exist in this org. */
const ORG_GROUPS = ['Support', 'Tier 2 Queue', 'Sales', 'Hand Made'];

type User = Record<string, unknown> & {
  id?: string;
  groups?: Array<{ display?: string }>;
  phoneNumbers?: Array<{ type?: string; value?: string }>;
};

async function targetUser(h: EngineHarness, externalId: string): Promise<User> {
  return ((await h.sim.admin.getUserByExternalId(externalId))?.user ?? {}) as User;
}
const groupsOf = (user: User) => (user.groups ?? []).map((g) => g.display).sort();
const routing = (user: User, kind: 'routingSkills' | 'routingLanguages') =>
  ((user[GENESYS] as Record<string, Array<{ name: string; proficiency: number }>> | undefined)?.[kind] ?? [])
    .map((s) => `${s.name}:${s.proficiency}`)
    .sort();
const phones = (user: User) => (user.phoneNumbers ?? []).map((p) => `${p.type}=${p.value}`).sort();

async function sendAndSync(h: EngineHarness, events: Parameters<EngineHarness['send']>[0]) {
  return h.sync(await h.send(events));
}

async function harness(redisUrl: string, prefix: string): Promise<EngineHarness> {
  return startEngineHarness({ redisUrl, prefix, sim: { groups: ORG_GROUPS } });
}

/** A Genesys admin working by hand, through the SCIM API. */
function adminClient(h: EngineHarness): ScimClient {
  return new ScimClient({
    baseUrl: h.sim.url,
    loginUrl: h.sim.url,
    clientId: 'dirsync-local',
    clientSecret: 'dirsync-local-secret',
  });
}

const agent = hr('HR-7', {
  departmentCode: 'Support',
  phone: '+14155550100',
  mobilePhone: '+14155550177',
  groups: ['Support', 'Tier 2 Queue'],
  skills: [
    { name: 'Technical Support', proficiency: 4 },
    { name: 'Tier 2', proficiency: 3 },
  ],
  languages: [{ name: 'English', proficiency: 5 }],
});

describe('groups, routing skills and languages, every phone type', () => {
  redisTest(
    'a hire gets exactly its managed groups, skills and phones; a replay costs nothing',
    async ({ redisUrl, prefix }) => {
      const h = await harness(redisUrl, prefix);
      try {
        const hired = await sendAndSync(h, { event: 'user.created', data: agent });
        expect(hired.report.people[0]).toMatchObject({ outcome: 'created' });
        expect(hired.report.discrepancies).toEqual([]);
        const user = await targetUser(h, 'HR-7');
        expect(groupsOf(user)).toEqual(['Support', 'Tier 2 Queue']);
        expect(routing(user, 'routingSkills')).toEqual(['Technical Support:4', 'Tier 2:3']);
        expect(routing(user, 'routingLanguages')).toEqual(['English:5']);
        expect(phones(user)).toEqual(['mobile=+14155550177', 'work=+14155550100']);
        const counters = await h.sim.admin.counters();
        // Lookup + create, one /Groups lookup and one PATCH per group.
        expect(counters).toMatchObject({ groupReads: 2, groupPatches: 2, creates: 1, patches: 0 });

        const replay = await sendAndSync(h, { event: 'user.updated', data: agent });
        expect(replay.report.people[0]).toMatchObject({ outcome: 'unchanged', requests: 0 });
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a transfer leaves the old managed group and joins the new one; hand-made groups, skills and phones stay',
    async ({ redisUrl, prefix }) => {
      const h = await harness(redisUrl, prefix);
      const admin = adminClient(h);
      try {
        await sendAndSync(h, { event: 'user.created', data: agent });
        const hired = await targetUser(h, 'HR-7');
        const handMade = await admin.findGroupByDisplayName('Hand Made');
        await admin.patchGroupMembers(handMade?.id ?? '', { add: [hired.id ?? ''] });
        await h.sim.admin.editUser(hired.id ?? '', [
          {
            op: 'replace',
            path: `${GENESYS}:routingSkills`,
            value: [
              { name: 'Technical Support', proficiency: 4 },
              { name: 'Tier 2', proficiency: 3 },
              { name: 'Retention', proficiency: 1 },
            ],
          },
          { op: 'add', path: 'phoneNumbers', value: [{ type: 'home', value: '+14155550999' }] },
        ]);
        const before = await h.sim.admin.counters();

        const transfer = hr('HR-7', {
          departmentCode: 'Sales',
          phone: '+14155550100',
          mobilePhone: '+14155550178',
          groups: ['Sales'],
          skills: [{ name: 'Billing', proficiency: 2 }],
          languages: [{ name: 'English', proficiency: 5 }],
        });
        const moved = await sendAndSync(h, { event: 'user.updated', data: transfer });
        expect(moved.report.people[0]).toMatchObject({ outcome: 'updated' });
        const user = await targetUser(h, 'HR-7');
        expect(groupsOf(user)).toEqual(['Hand Made', 'Sales']);
        expect(routing(user, 'routingSkills')).toEqual(['Billing:2', 'Retention:1']);
        expect(phones(user)).toEqual(['home=+14155550999', 'mobile=+14155550178', 'work=+14155550100']);
        const after = await h.sim.admin.counters();
        // Leave Tier 2 Queue and Support, join Sales: one PATCH per changed group, one lookup for the new one.
        expect(after.groupPatches - before.groupPatches).toBe(3);
        expect(after.groupReads - before.groupReads).toBe(1);

        // A deactivation keeps the memberships (Genesys keeps them for a rehire).
        await sendAndSync(h, { event: 'user.deactivated', data: { externalId: 'HR-7' } });
        expect(groupsOf(await targetUser(h, 'HR-7'))).toEqual(['Hand Made', 'Sales']);
      } finally {
        admin.close();
        await h.close();
      }
    },
  );

  redisTest(
    'an unknown group, an unmanaged group and an unknown skill are reported; everything else is written',
    async ({ redisUrl, prefix }) => {
      const h = await harness(redisUrl, prefix);
      try {
        // "Tier 1" is a managed skill this org does not have.
        const catalogue = (await h.sim.admin.behavior()).routingSkills.filter((s) => s !== 'Tier 1');
        await h.sim.admin.setBehavior({ routingSkills: catalogue });
        const record = hr('HR-8', {
          mobilePhone: '+14155550188',
          groups: ['Support', 'Tier 1 Queue', 'Book Club'],
          skills: [
            { name: 'Technical Support', proficiency: 4 },
            { name: 'Tier 1', proficiency: 2 },
          ],
        });
        const first = await sendAndSync(h, { event: 'user.created', data: record });
        expect(first.report.people[0], JSON.stringify(first.report.discrepancies)).toMatchObject({
          outcome: 'created',
        });
        const refused = first.report.discrepancies.map((d) => [d.type, d.field, d.expected]);
        expect(refused).toEqual(
          expect.arrayContaining([
            ['attribute_refused', 'groups', 'Book Club'],
            ['attribute_refused', 'groups', 'Tier 1 Queue'],
            ['attribute_refused', `${GENESYS}:routingSkills`, 'Tier 1'],
          ]),
        );
        expect(refused).toHaveLength(3);
        const notManaged = first.report.discrepancies.find((d) => d.expected === 'Book Club');
        expect(notManaged?.detail).toContain('not managed');
        const user = await targetUser(h, 'HR-8');
        expect(groupsOf(user)).toEqual(['Support']);
        expect(routing(user, 'routingSkills')).toEqual(['Technical Support:4']);
        expect(phones(user)).toEqual(['mobile=+14155550188']);
        expect(user.title).toBe('Agent');

        const replay = await sendAndSync(h, { event: 'user.updated', data: record });
        expect(replay.report.people[0]).toMatchObject({ outcome: 'unchanged', requests: 0 });
        expect(replay.report.discrepancies).toHaveLength(3);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a group or skill the department may not hold blocks the person, and nothing is written',
    async ({ redisUrl, prefix }) => {
      const h = await harness(redisUrl, prefix);
      try {
        const record = hr('HR-9', {
          departmentCode: 'Sales',
          groups: ['Sales', 'Tier 2 Queue'],
          skills: [{ name: 'Tier 2', proficiency: 1 }],
        });
        const result = await sendAndSync(h, { event: 'user.created', data: record });
        expect(result.report.people[0]).toMatchObject({ outcome: 'failed' });
        expect(result.report.discrepancies.map((d) => [d.type, d.field, d.actual])).toEqual([
          ['policy_violation', 'groups', 'Tier 2 Queue'],
          ['policy_violation', 'skills', 'Tier 2'],
        ]);
        expect((await h.sim.admin.counters()).writes).toBe(0);
      } finally {
        await h.close();
      }
    },
  );

  redisTest('preview shows the group PATCHes besides the user write', async ({ redisUrl, prefix }) => {
    const h = await harness(redisUrl, prefix);
    try {
      await sendAndSync(h, { event: 'user.created', data: hr('HR-10', { groups: ['Support'] }) });
      const preview = await h.engine.preview({
        event: 'user.updated',
        data: hr('HR-10', { title: 'Lead', groups: ['Sales'] }),
      });
      const writes = preview.requests
        .filter((r) => !r.sent)
        .map((r) => `${r.method} ${r.path.split('/')[1]}`);
      expect(writes).toEqual(['PATCH Users', 'PATCH Groups', 'PATCH Groups']);
      expect(groupsOf(await targetUser(h, 'HR-10'))).toEqual(['Support']);
    } finally {
      await h.close();
    }
  });

  redisTest('a policy may make a deactivation leave the managed groups', async ({ redisUrl, prefix }) => {
    const dir = await mkdtemp(join(tmpdir(), 'dirsync-groups-policy-'));
    const policyFile = join(dir, 'policy.yaml');
    await writeFile(
      policyFile,
      'departments:\n  Support: [agent]\nmanagedGroups: [Support]\nleaveGroupsOnDeactivation: true\n',
    );
    const h = await startEngineHarness({
      redisUrl,
      prefix,
      sim: { groups: ORG_GROUPS },
      settings: { policyFile },
    });
    const admin = adminClient(h);
    try {
      await sendAndSync(h, { event: 'user.created', data: hr('HR-11', { groups: ['Support'] }) });
      const id = (await targetUser(h, 'HR-11')).id ?? '';
      const handMade = await admin.findGroupByDisplayName('Hand Made');
      await admin.patchGroupMembers(handMade?.id ?? '', { add: [id] });
      await sendAndSync(h, { event: 'user.deactivated', data: { externalId: 'HR-11' } });
      const user = await targetUser(h, 'HR-11');
      expect(user.active).toBe(false);
      expect(groupsOf(user)).toEqual(['Hand Made']);
    } finally {
      admin.close();
      await h.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
