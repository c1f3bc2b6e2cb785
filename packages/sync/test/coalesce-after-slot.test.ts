import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { createKeys } from '../src/keys.js';
import { hr, startEngineHarness } from './engine-harness.js';

describe('coalescing under a binding budget', () => {
  redisTest(
    'a change that arrives while the person waits for their request slot is in the one write they get',
    async ({ redis, redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        await h.sync(await h.send({ event: 'user.created', data: hr('HR-1') }));
        const before = (await h.sim.admin.requests()).at(-1)?.seq ?? 0;
        await h.send({ event: 'user.updated', data: hr('HR-1', { title: 'First' }) });
        // No slot for anyone while paused: the person is claimed and waits for their slot. The pause is lifted
        // only after the second change is in, so the order does not depend on how fast this machine is.
        const keys = createKeys(prefix);
        await h.engine.budget.pauseFor(60_000);
        const running = h.run(['HR-1']);
        while ((await redis.exists(keys.lock('HR-1'))) === 0) await new Promise((r) => setImmediate(r));
        await h.send({ event: 'user.updated', data: hr('HR-1', { title: 'Second' }) });
        await redis.del(keys.blockedUntil);
        const result = await running;
        expect(result.kind).toBe('completed');
        const sent = (await h.sim.admin.requests({ since: before })).filter((r) => r.path.includes('/scim/'));
        expect(sent.map((r) => r.method)).toEqual(['PATCH']);
        expect((await h.sim.admin.getUserByExternalId('HR-1'))?.user?.title).toBe('Second');
      } finally {
        await h.close();
      }
    },
  );
});
