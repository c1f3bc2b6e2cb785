import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { hr, startEngineHarness } from './engine-harness.js';

describe('reconcile: out of scope after being in scope', () => {
  redisTest(
    'a user whose snapshot record no longer maps is deactivated through the brake, HR state kept',
    async ({ redisUrl, prefix }) => {
      const dir = await mkdtemp(join(tmpdir(), 'dirsync-oos-'));
      const snapshot = join(dir, 'hr.json');
      const h = await startEngineHarness({
        redisUrl,
        prefix,
        settings: { reconcile: { snapshotSource: snapshot, maxDeactivatePercent: 50 } },
      });
      try {
        await h.sync(
          await h.send([
            { event: 'user.created', data: hr('HR-20') },
            { event: 'user.created', data: hr('HR-21') },
          ]),
        );
        await writeFile(snapshot, JSON.stringify([hr('HR-20', { workEmail: null }), hr('HR-21')]));
        const reconcile = h.engine.reconcile;
        if (!reconcile) throw new Error('the harness should have a reconcile runner');
        const run = await reconcile.run({ runId: 'oos-1', apply: true, overrideBrake: false });
        expect(run.report.discrepancies).toEqual([
          expect.objectContaining({ externalId: 'HR-20', type: 'out_of_scope' }),
        ]);
        expect(run.comparison.toDeactivate).toEqual(['HR-20']);
        expect(run.enqueued).toEqual(['HR-20']);
        const synced = await h.sync(run.enqueued);
        expect(synced.report.people[0]).toMatchObject({ externalId: 'HR-20', outcome: 'deactivated' });
        expect((await h.sim.admin.getUserByExternalId('HR-20'))?.user?.active).toBe(false);
        expect((await h.sim.admin.getUserByExternalId('HR-21'))?.user?.active).toBe(true);
        // HR still holds the person active: back in scope, they are reactivated by an ordinary update.
        expect((await h.engine.people.get('HR-20'))?.active).toBe(true);
      } finally {
        await h.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
