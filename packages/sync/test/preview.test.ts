import { hrEventSchema } from '@dirsync/contracts';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { toIncomingEvent } from '../src/incoming-event.js';
import { hr, startEngineHarness } from './engine-harness.js';

describe('preview', () => {
  redisTest(
    'shows the requests an event would cause and applies nothing',
    async ({ redisUrl, redis, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        await h.sync(await h.send({ event: 'user.created', data: hr('HR-200', { title: 'Agent' }) }));
        const before = await h.sim.admin.getUserByExternalId('HR-200');
        const keysBefore = (await redis.keys(`${prefix}:*`)).sort();
        const preview = await h.engine.preview({
          event: 'user.updated',
          data: hr('HR-200', { title: 'Team Lead', role: 'supervisor' }),
        });
        expect(preview.outcome).toBe('updated');
        const writes = preview.requests.filter((r) => !r.sent);
        expect(writes).toHaveLength(1);
        expect(writes[0]).toMatchObject({ method: 'PATCH', ifMatch: before?.user?.meta?.version });
        expect(JSON.stringify(writes[0]?.body)).toContain('Team Lead');
        expect(JSON.stringify(writes[0]?.body)).toContain('supervisor');
        const after = await h.sim.admin.getUserByExternalId('HR-200');
        expect(after?.user?.title).toBe('Agent');
        expect(after?.history).toHaveLength(before?.history.length ?? -1);
        expect((await redis.keys(`${prefix}:*`)).sort()).toEqual(keysBefore);

        const denied = await h.engine.preview({
          event: 'user.created',
          data: hr('HR-201', { departmentCode: 'Sales', role: 'admin' }),
        });
        expect(denied.outcome).toBe('failed');
        expect(denied.detail).toContain('not allowed for department "Sales"');
        expect(denied.requests).toEqual([]);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'shows the adoption a real run would make of a hand-made user, without writing',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const existing = await h.sim.admin.seedUser({
          userName: 'hr-202@example.com',
          displayName: 'By Hand',
        });
        const preview = await h.engine.preview({ event: 'user.created', data: hr('HR-202') });
        expect(preview.outcome).toBe('updated');
        expect(preview.requests.map((r) => `${r.method} ${r.sent ? 'sent' : 'planned'}`)).toEqual([
          'GET sent',
          'GET sent',
          'PATCH planned',
        ]);
        expect(preview.requests[2]?.path).toBe(`/Users/${existing.id}`);
        expect((await h.sim.admin.listUsers()).map((u) => u.externalId)).toEqual([undefined]);
      } finally {
        await h.close();
      }
    },
  );

  redisTest('an event older by less than a millisecond previews as stale', async ({ redisUrl, prefix }) => {
    const h = await startEngineHarness({ redisUrl, prefix });
    try {
      const at = (fraction: string) => `2026-11-28T09:30:00.${fraction}Z`;
      const newer = hrEventSchema.parse({
        event: 'user.updated',
        occurredAt: at('123789'),
        data: hr('HR-203', { title: 'New' }),
      });
      await h.engine.people.ingest([toIncomingEvent(newer, 'n', Date.now())]);
      const older = hrEventSchema.parse({
        event: 'user.updated',
        occurredAt: at('123456'),
        data: hr('HR-203', { title: 'Old' }),
      });
      expect(await h.engine.preview(older)).toMatchObject({ stale: true, requests: [] });
      const later = hrEventSchema.parse({ ...older, occurredAt: at('1237891') });
      expect(await h.engine.preview(later)).toMatchObject({ stale: false });
    } finally {
      await h.close();
    }
  });
});
