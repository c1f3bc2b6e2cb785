import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_DIVISIONS } from '@dirsync/genesys-sim';
import type { Discrepancy } from '@dirsync/reports';
import { ENTERPRISE_USER_SCHEMA } from '@dirsync/scim';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { type EngineHarness, hr, startEngineHarness } from './engine-harness.js';

const DIVISION = `${ENTERPRISE_USER_SCHEMA}:division`;
const WORK_PHONE = 'phoneNumbers[type eq "work"]';

/** A simulator playing a real org: divisions that must exist, one the OAuth client may not write, E.164 phones. */
const realisticSim = {
  behavior: { divisions: [...DEFAULT_DIVISIONS, 'Restricted'], forbiddenDivisions: ['Restricted'] },
};

async function targetUser(h: EngineHarness, externalId: string) {
  return (await h.sim.admin.getUserByExternalId(externalId))?.user ?? undefined;
}

async function lastSeq(h: EngineHarness): Promise<number> {
  return (await h.sim.admin.requests()).at(-1)?.seq ?? 0;
}

const ofType = (ds: Discrepancy[], externalId: string, type: string) =>
  ds.filter((d) => d.externalId === externalId && d.type === type);

describe('Genesys as it really is', () => {
  redisTest(
    'phones arrive as E.164; refused attributes cost only themselves; a forbidden division fails two people alone; a replay sends nothing',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix, sim: realisticSim });
      try {
        const records = [
          hr('HR-1', { phone: '+1 (415) 555-0132', division: 'Sales' }),
          hr('HR-2', { phone: '+44 20 7946 0958' }),
          hr('HR-3', { phone: 'n/a', title: 'Phone-less' }),
          hr('HR-4', { division: 'Narnia', title: 'Typo' }),
          hr('HR-5', { division: 'Restricted' }),
          hr('HR-6', { division: 'Restricted' }),
          hr('HR-7', { division: 'Support' }),
        ];
        const first = await h.sync(await h.send(records.map((data) => ({ event: 'user.created', data }))));
        const { report } = first;
        expect(report.counts).toMatchObject({ created: 5, failed: 2 });
        expect(await h.engine.health.current()).toBeUndefined();

        expect((await targetUser(h, 'HR-1'))?.phoneNumbers).toEqual([
          { type: 'work', value: '+14155550132' },
        ]);
        expect((await targetUser(h, 'HR-2'))?.phoneNumbers).toEqual([
          { type: 'work', value: '+442079460958' },
        ]);

        // An unusable phone: created with everything else, no request spent on the phone.
        const phoneLess = await targetUser(h, 'HR-3');
        expect(phoneLess?.title).toBe('Phone-less');
        expect(phoneLess?.phoneNumbers ?? []).toEqual([]);
        expect(ofType(report.discrepancies, 'HR-3', 'attribute_refused')).toEqual([
          expect.objectContaining({ field: WORK_PHONE, hrField: 'phone', expected: 'n/a' }),
        ]);
        expect(report.people.find((p) => p.externalId === 'HR-3')?.requests).toBe(2);

        // An unknown division: created with the title, in the home division; the report names the attribute.
        const typo = await targetUser(h, 'HR-4');
        expect(typo?.title).toBe('Typo');
        expect(typo?.[ENTERPRISE_USER_SCHEMA]?.division).toBe('Home');
        expect(ofType(report.discrepancies, 'HR-4', 'attribute_refused')).toEqual([
          expect.objectContaining({
            field: DIVISION,
            hrField: 'division',
            expected: 'Narnia',
            targetCorrelationId: expect.any(String),
            detail: expect.stringContaining('Narnia'),
          }),
        ]);

        // The forbidden division fails those two alone, with the target's correlation id.
        for (const id of ['HR-5', 'HR-6']) {
          expect(ofType(report.discrepancies, id, 'permission_denied')).toEqual([
            expect.objectContaining({ targetCorrelationId: expect.any(String) }),
          ]);
          expect(report.people.find((p) => p.externalId === id)).toMatchObject({
            outcome: 'failed',
            targetCorrelationId: expect.any(String),
          });
        }
        expect(first.failures.map((f) => f.externalId).sort()).toEqual(['HR-5', 'HR-6']);

        // Updates for everyone else keep flowing; a record without a division changes the title, keeps the division.
        const { division: _none, ...withoutDivision } = hr('HR-7', { title: 'Team lead' });
        const later = await h.sync(await h.send({ event: 'user.updated', data: withoutDivision }));
        expect(later.report.counts.updated).toBe(1);
        const lead = await targetUser(h, 'HR-7');
        expect(lead?.title).toBe('Team lead');
        expect(lead?.[ENTERPRISE_USER_SCHEMA]?.division).toBe('Support');

        // A replay of every converged person's unchanged record sends no request at all.
        const converged = [
          ...records.filter((r) => !['HR-5', 'HR-6', 'HR-7'].includes(r.externalId)),
          withoutDivision,
        ];
        const before = await lastSeq(h);
        const replay = await h.sync(await h.send(converged.map((data) => ({ event: 'user.updated', data }))));
        expect(await h.sim.admin.requests({ since: before })).toEqual([]);
        expect(replay.report.counts.unchanged).toBe(converged.length);
        // The refusals still in force are reported, without a request.
        expect(ofType(replay.report.discrepancies, 'HR-4', 'attribute_refused')).toHaveLength(1);

        // Preview shows them the same way: the requests it would make, and the refused attributes.
        const remembered = await h.engine.preview({
          event: 'user.updated',
          data: hr('HR-4', { division: 'Narnia', title: 'Typo' }),
        });
        expect(remembered.requests.filter((r) => !r.sent)).toEqual([]);
        expect(remembered.discrepancies).toEqual([
          expect.objectContaining({ type: 'attribute_refused', field: DIVISION }),
        ]);
        const fresh = await h.engine.preview({ event: 'user.created', data: hr('HR-9', { phone: 'n/a' }) });
        const post = fresh.requests.find((r) => r.method === 'POST');
        expect(post?.body).not.toHaveProperty('phoneNumbers');
        expect(fresh.discrepancies).toEqual([
          expect.objectContaining({ type: 'attribute_refused', field: WORK_PHONE }),
        ]);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a refusal that names nothing: the create goes through with the essentials, splitting finds the attribute; HR fixing it sends it',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({
        redisUrl,
        prefix,
        sim: { behavior: { ...realisticSim.behavior, errorDetailNamesAttribute: false } },
      });
      try {
        const created = await h.sync(
          await h.send({ event: 'user.created', data: hr('HR-10', { division: 'Narnia', title: 'Kept' }) }),
        );
        expect(created.report.counts.created).toBe(1);
        const user = await targetUser(h, 'HR-10');
        expect(user?.title).toBe('Kept');
        expect(user?.roles?.map((r) => r.value)).toContain('agent');
        expect(ofType(created.report.discrepancies, 'HR-10', 'attribute_refused')).toEqual([
          expect.objectContaining({ field: DIVISION, expected: 'Narnia' }),
        ]);

        // A PATCH of six attributes, one refused without a name: the five others are written.
        const six = hr('HR-10', {
          title: 'Six',
          departmentCode: 'Sales',
          phone: '+1 415 555 0100',
          hireDate: '2024-01-02',
          role: 'supervisor',
          division: 'Atlantis',
        });
        const patched = await h.sync(await h.send({ event: 'user.updated', data: six }));
        const person = patched.report.people[0];
        expect(person?.outcome).toBe('updated');
        // One refused attribute among six costs at most ⌈log₂ 6⌉ + 1 = 4 extra requests.
        expect((person?.requests ?? 0) - 1).toBeLessThanOrEqual(4);
        const after = await targetUser(h, 'HR-10');
        expect(after?.title).toBe('Six');
        expect(after?.phoneNumbers).toEqual([{ type: 'work', value: '+14155550100' }]);
        expect(after?.[ENTERPRISE_USER_SCHEMA]).toMatchObject({
          department: 'Sales',
          dateHire: '2024-01-02',
        });

        // The refused value is remembered: a replay sends nothing; a valid division from HR is sent at once.
        const before = await lastSeq(h);
        await h.sync(await h.send({ event: 'user.updated', data: six }));
        expect(await h.sim.admin.requests({ since: before })).toEqual([]);
        await h.sync(await h.send({ event: 'user.updated', data: { ...six, division: 'Finance' } }));
        expect((await targetUser(h, 'HR-10'))?.[ENTERPRISE_USER_SCHEMA]?.division).toBe('Finance');
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    '403s on writes for several people in a row quarantine; the probe re-sends the oldest refused write',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({
        redisUrl,
        prefix,
        sim: realisticSim,
        settings: { authQuarantineAfterPeople: 2 },
      });
      try {
        const one = await h.sync(
          await h.send({ event: 'user.created', data: hr('HR-20', { division: 'Restricted' }) }),
        );
        expect(one.report.counts.failed).toBe(1);
        expect(await h.engine.health.current()).toBeUndefined();
        const run = await h.run(
          await h.send({ event: 'user.created', data: hr('HR-21', { division: 'Restricted' }) }),
        );
        expect(run.kind).toBe('quarantined');
        expect(await h.engine.health.current()).toMatchObject({
          reason: 'auth',
          cause: 'writes_forbidden',
          probeExternalId: 'HR-20',
        });
        await expect(h.engine.probeTarget()).rejects.toMatchObject({ status: 403 });
        // The administrator grants the division: the probe's write goes through.
        await h.sim.admin.setBehavior({ forbiddenDivisions: [] });
        await h.engine.probeTarget();
        expect((await targetUser(h, 'HR-20'))?.[ENTERPRISE_USER_SCHEMA]?.division).toBe('Restricted');
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'reconcile reports a refused value as attribute_refused, not as drift to fix; typed phones and the missing division are no drift',
    async ({ redisUrl, prefix }) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'dirsync-refused-'));
      const snapshot = path.join(dir, 'hr.json');
      const records = [
        hr('HR-30', { division: 'Narnia', phone: '+1 (415) 555-0132' }),
        hr('HR-31', { phone: 'n/a' }),
      ];
      writeFileSync(snapshot, JSON.stringify(records));
      const h = await startEngineHarness({
        redisUrl,
        prefix,
        sim: realisticSim,
        settings: { reconcile: { snapshotSource: snapshot, maxDeactivatePercent: 100 } },
      });
      try {
        await h.sync(await h.send(records.map((data) => ({ event: 'user.created' as const, data }))));
        const run = await h.engine.reconcile?.run({ runId: 'r-1', apply: true, overrideBrake: false });
        expect(run?.comparison.drifted).toEqual([]);
        expect(run?.enqueued).toEqual([]);
        expect(run?.report.discrepancies).toEqual([
          expect.objectContaining({
            externalId: 'HR-30',
            type: 'attribute_refused',
            field: DIVISION,
            expected: 'Narnia',
            actual: 'Home',
            targetCorrelationId: expect.any(String),
          }),
        ]);
      } finally {
        await h.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
