import { redisTest } from '@dirsync/testing';
import { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import { createKeys } from '../src/keys.js';
import { RequestBudget } from '../src/request-budget.js';

async function redisNow(redis: Redis): Promise<number> {
  const [s, us] = await redis.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}

/** Largest number of timestamps inside any half-open window of `windowMs`. */
function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('RequestBudget', () => {
  redisTest(
    'three processes together never exceed the limit in any window',
    async ({ redisUrl, redis, prefix }) => {
      const keys = createKeys(prefix);
      const clients = [0, 1, 2].map(() => new Redis(redisUrl));
      const budgets = clients.map((c) => new RequestBudget({ redis: c, keys, limit: 5, windowMs: 300 }));
      const grants: number[] = [];
      await Promise.all(
        budgets.map(async (budget) => {
          for (let i = 0; i < 5; i++) {
            await budget.acquire();
            grants.push(await redisNow(redis));
          }
        }),
      );
      await Promise.all(clients.map((c) => c.quit()));
      expect(grants).toHaveLength(15);
      // Stamps are taken just after each grant (a few ms late), so check a slightly shorter window.
      expect(maxInAnyWindow(grants, 250)).toBeLessThanOrEqual(5);
      // And the budget was actually used: 15 grants at 5 per 300 ms need at least two full windows.
      expect(Math.max(...grants) - Math.min(...grants)).toBeGreaterThanOrEqual(600);
    },
  );

  redisTest('a 429 pause holds every caller until it ends', async ({ redis, prefix }) => {
    const budget = new RequestBudget({ redis, keys: createKeys(prefix), limit: 100 });
    const until = await budget.pauseFor(250);
    expect(await budget.pausedForMs()).toBeGreaterThan(0);
    await budget.acquire();
    expect(await redisNow(redis)).toBeGreaterThanOrEqual(until);
    // A shorter pause never shortens a longer one.
    const longer = await budget.pauseFor(1000);
    expect(await budget.pauseFor(10)).toBe(longer);
  });

  redisTest(
    'background work may use only its share; live requests still get through',
    async ({ redis, prefix }) => {
      const budget = new RequestBudget({
        redis,
        keys: createKeys(prefix),
        limit: 4,
        backgroundShare: 0.5,
        windowMs: 60_000,
      });
      await budget.acquire({ priority: 'background' });
      await budget.acquire({ priority: 'background' });
      const controller = new AbortController();
      let backgroundGranted = false;
      const background = budget.acquire({ priority: 'background', signal: controller.signal }).then(
        () => {
          backgroundGranted = true;
        },
        (error: unknown) => error,
      );
      await budget.acquire({ priority: 'live' });
      await budget.acquire({ priority: 'live' });
      expect(backgroundGranted).toBe(false);
      expect(await budget.used()).toBe(4);
      controller.abort(new Error('stop waiting'));
      expect(await background).toBeInstanceOf(Error);
    },
  );

  redisTest(
    'a slot taken ahead is spent by the first request inside it, and given back when nothing was sent',
    async ({ redis, prefix }) => {
      const budget = new RequestBudget({ redis, keys: createKeys(prefix), limit: 10 });
      await budget.withSlot(async () => {
        expect(await budget.used()).toBe(1);
        await budget.acquire();
        expect(await budget.used()).toBe(1);
        await budget.acquire();
      });
      expect(await budget.used()).toBe(2);
      await budget.withSlot(async () => undefined);
      expect(await budget.used()).toBe(2);
    },
  );
});
