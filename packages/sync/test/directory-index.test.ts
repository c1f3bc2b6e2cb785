import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { type EngineHarness, hr, startEngineHarness } from './engine-harness.js';

const HOUR_MS = 3_600_000;

/** Target requests the simulator saw after `since` (token requests excluded), as "METHOD path". */
async function requestsSince(h: EngineHarness, since: number): Promise<string[]> {
  const log = await h.sim.admin.requests({ since });
  return log.filter((r) => r.path.includes('/scim/')).map((r) => r.method);
}

async function lastSeq(h: EngineHarness): Promise<number> {
  return (await h.sim.admin.requests()).at(-1)?.seq ?? 0;
}

/** Someone else deletes a user through the public SCIM API. */
async function deleteAsSomeoneElse(h: EngineHarness, scimId: string): Promise<void> {
  const login = await fetch(`${h.sim.url}/oauth/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from('dirsync-local:dirsync-local-secret').toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  const { access_token: token } = (await login.json()) as { access_token: string };
  const deleted = await fetch(`${h.sim.url}/api/v2/scim/v2/Users/${scimId}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(deleted.status).toBe(204);
}

const created = (ids: string[]) => ids.map((id) => ({ event: 'user.created' as const, data: hr(id) }));

describe('directory index', () => {
  redisTest(
    'an initial load into an empty target with a fresh index costs one request per person',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const built = await h.engine.indexBuilder.build({ runId: 'test' });
        expect(built.users).toBe(0);
        const before = await lastSeq(h);
        const ids = Array.from({ length: 10 }, (_, i) => `HR-${i}`);
        const result = await h.sync(await h.send(created(ids)));
        expect(result.report.counts.created).toBe(10);
        expect(await requestsSince(h, before)).toEqual(Array(10).fill('POST'));
        // The index follows the writes: an update is one PATCH with the version the create answered.
        const seq = await lastSeq(h);
        await h.sync(await h.send({ event: 'user.updated', data: hr('HR-3', { title: 'Lead' }) }));
        expect(await requestsSince(h, seq)).toEqual(['PATCH']);
        expect((await h.engine.directoryIndex.stats()).users).toBe(10);
      } finally {
        await h.engine.directoryIndex.clear();
        await h.close();
      }
    },
  );

  redisTest(
    'people already in the target by userName (made by hand) are adopted with one PATCH, never duplicated',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        await h.sim.admin.seedUsers([
          { userName: 'hr-1@example.com', displayName: 'By hand', active: true },
          { userName: 'hr-2@example.com', displayName: 'Inactive by hand', active: false },
        ]);
        const built = await h.engine.indexBuilder.build({ runId: 'test' });
        expect(built.users).toBe(2);
        const pages = (await h.sim.admin.requests()).filter((r) => r.method === 'GET');
        expect(
          pages.every((r) => /count=25\b/.test(r.query ?? '') && /attributes=/.test(r.query ?? '')),
        ).toBe(true);
        const before = await lastSeq(h);
        const result = await h.sync(await h.send(created(['HR-1', 'HR-2', 'HR-3'])));
        expect(result.report.counts).toMatchObject({ updated: 1, reactivated: 1, created: 1 });
        expect((await requestsSince(h, before)).sort()).toEqual(['PATCH', 'PATCH', 'POST']);
        const users = await h.sim.admin.listUsers();
        expect(users).toHaveLength(3);
        expect(users.map((u) => u.externalId).sort()).toEqual(['HR-1', 'HR-2', 'HR-3']);
      } finally {
        await h.engine.directoryIndex.clear();
        await h.close();
      }
    },
  );

  redisTest('an index older than its maximum age falls back to lookups', async ({ redisUrl, prefix }) => {
    const h = await startEngineHarness({ redisUrl, prefix, settings: { directoryIndexMaxAgeMs: HOUR_MS } });
    try {
      await h.engine.indexBuilder.build({ runId: 'test' });
      // The build is two hours old: it no longer says who is missing.
      await h.engine.directoryIndex.completeBuild(Date.now() - 2 * HOUR_MS);
      const before = await lastSeq(h);
      await h.sync(await h.send(created(['HR-1'])));
      expect(await requestsSince(h, before)).toEqual(['GET', 'POST']);
    } finally {
      await h.engine.directoryIndex.clear();
      await h.close();
    }
  });

  redisTest(
    'a user made by someone else after the build is adopted through the 409, not duplicated',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        await h.engine.indexBuilder.build({ runId: 'test' });
        await h.sim.admin.seedUser({
          userName: 'hr-1@example.com',
          displayName: 'Late by hand',
          active: true,
        });
        const before = await lastSeq(h);
        const result = await h.sync(await h.send(created(['HR-1'])));
        expect(result.report.counts.updated).toBe(1);
        expect(await requestsSince(h, before)).toEqual(['POST', 'GET', 'PATCH']);
        expect(await h.sim.admin.listUsers()).toHaveLength(1);
      } finally {
        await h.engine.directoryIndex.clear();
        await h.close();
      }
    },
  );

  redisTest(
    'a user deleted by someone else after the build is recreated (the 404 path)',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const [seeded] = await h.sim.admin.seedUsers([
          { userName: 'hr-1@example.com', externalId: 'HR-1', displayName: 'Synced', active: true },
        ]);
        await h.engine.indexBuilder.build({ runId: 'test' });
        await deleteAsSomeoneElse(h, seeded?.id ?? '');
        const result = await h.sync(
          await h.send({ event: 'user.updated', data: hr('HR-1', { title: 'Lead' }) }),
        );
        expect(result.report.counts.created).toBe(1);
        const now = await h.sim.admin.getUserByExternalId('HR-1');
        expect(now?.user?.id).not.toBe(seeded?.id);
        expect(now?.user?.title).toBe('Lead');
      } finally {
        await h.engine.directoryIndex.clear();
        await h.close();
      }
    },
  );

  redisTest('a reconcile run refreshes the index from the pages it reads', async ({ redisUrl, prefix }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirindex-'));
    const snapshotSource = path.join(dir, 'hr.json');
    fs.writeFileSync(snapshotSource, JSON.stringify([hr('HR-1'), hr('HR-2')]));
    const h = await startEngineHarness({
      redisUrl,
      prefix,
      settings: { reconcile: { snapshotSource, maxDeactivatePercent: 10 } },
    });
    try {
      await h.sim.admin.seedUsers([
        { userName: 'hr-1@example.com', externalId: 'HR-1', displayName: 'Synced', active: true },
      ]);
      expect((await h.engine.directoryIndex.stats()).builtAt).toBeUndefined();
      await h.engine.reconcile?.run({ runId: 'dry', apply: false, overrideBrake: false });
      expect(await h.engine.directoryIndex.stats()).toMatchObject({ users: 1, builtAt: expect.any(Number) });
      // HR-2 is known to be missing: created with one POST; HR-1 is known: no lookup before its PATCH.
      const before = await lastSeq(h);
      await h.sync(await h.send(created(['HR-1', 'HR-2'])));
      expect((await requestsSince(h, before)).sort()).toEqual(['PATCH', 'POST']);
    } finally {
      await h.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
