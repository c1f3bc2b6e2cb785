import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter, WindowPeak } from './sliding-window.js';

describe('SlidingWindowLimiter', () => {
  it('admits `limit` per window per key and says when the next slot frees', () => {
    const limiter = new SlidingWindowLimiter(2, 60_000);
    expect(limiter.admit('a', 0)).toEqual({ allowed: true });
    expect(limiter.admit('a', 1_000)).toEqual({ allowed: true });
    expect(limiter.admit('a', 2_000)).toEqual({ allowed: false, retryAfterSeconds: 58 });
    expect(limiter.admit('b', 2_000)).toEqual({ allowed: true });
    expect(limiter.admit('a', 59_999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.admit('a', 60_000)).toEqual({ allowed: true });
  });

  it('never admits more than `limit` in any window, and a client honouring Retry-After is admitted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 1, maxLength: 200 }),
        (limit, gaps) => {
          const limiter = new SlidingWindowLimiter(limit, 60_000);
          const admitted: number[] = [];
          let now = 0;
          for (const gap of gaps) {
            now += gap;
            const answer = limiter.admit('k', now);
            if (answer.allowed) admitted.push(now);
            else {
              expect(answer.retryAfterSeconds).toBeGreaterThanOrEqual(1);
              expect(limiter.admit('k', now + answer.retryAfterSeconds * 1000)).toEqual({ allowed: true });
              admitted.push(now + answer.retryAfterSeconds * 1000);
              now += answer.retryAfterSeconds * 1000;
            }
          }
          for (const t of admitted) {
            expect(admitted.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(limit);
          }
        },
      ),
    );
  });
});

describe('WindowPeak', () => {
  it('reports the largest count of events in any sliding window', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40_000 }), { maxLength: 300 }), (gaps) => {
        const peak = new WindowPeak(60_000);
        const times: number[] = [];
        let now = 0;
        for (const gap of gaps) {
          now += gap;
          times.push(now);
          peak.record(now);
        }
        const expected = Math.max(
          0,
          ...times.map((t) => times.filter((u) => u > t - 60_000 && u <= t).length),
        );
        expect(peak.max).toBe(expected);
      }),
    );
  });
});
