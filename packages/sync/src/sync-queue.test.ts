import { MAX_USERS_PER_JOB } from '@dirsync/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packTriggers, TRIGGER_SPREAD } from './sync-queue.js';

const singles = (n: number) => Array.from({ length: n }, (_, i) => [`HR-${i}`]);

describe('packTriggers', () => {
  it('spreads single-person deliveries over several jobs so every worker process can take a share', () => {
    expect(packTriggers(singles(16)).map((j) => j.length)).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(packTriggers(singles(3)).map((j) => j.length)).toEqual([1, 1, 1]);
    expect(packTriggers([['HR-0']])).toEqual([['HR-0']]);
    expect(packTriggers([])).toEqual([]);
  });

  it("keeps a delivery's people in one job: two people who trade addresses in one webhook are synced together", () => {
    const jobs = packTriggers([['A'], ['SWAP-1', 'SWAP-2'], ['B'], ['C']]);
    expect(jobs.some((j) => j.includes('SWAP-1') && j.includes('SWAP-2'))).toBe(true);
  });

  it('fills jobs of 25 for a batch delivery, as before', () => {
    const batch = Array.from({ length: 100 }, (_, i) => `HR-${i}`);
    expect(packTriggers([batch]).map((j) => j.length)).toEqual([25, 25, 25, 25]);
  });

  it('keeps every person once, in order, never more than 25 to a job, each small delivery whole', () => {
    const delivery = fc.integer({ min: 0, max: 40 });
    fc.assert(
      fc.property(fc.array(delivery, { maxLength: 30 }), (sizes) => {
        let n = 0;
        const deliveries = sizes.map((size) => Array.from({ length: size }, () => `P-${n++}`));
        const jobs = packTriggers(deliveries);
        expect(jobs.flat()).toEqual(deliveries.flat());
        expect(jobs.every((j) => j.length >= 1 && j.length <= MAX_USERS_PER_JOB)).toBe(true);
        for (const d of deliveries.filter((d) => d.length > 0 && d.length <= MAX_USERS_PER_JOB)) {
          expect(jobs.some((j) => d.every((id) => j.includes(id)))).toBe(true);
        }
      }),
    );
  });

  it('single-person deliveries make at least as many jobs as the spread asks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), (n) => {
        expect(packTriggers(singles(n)).length).toBeGreaterThanOrEqual(Math.min(n, TRIGGER_SPREAD));
      }),
    );
  });
});
