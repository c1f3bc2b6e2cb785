import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SplitAnswer, writeSplitting } from './refusal-split.js';

/** A target that refuses any request containing one of `bad`, naming it or not; records what it took. */
function fakeTarget(bad: ReadonlySet<number>, namesAttribute: boolean) {
  const taken: number[] = [];
  let requests = 0;
  const send = async (subset: readonly number[]): Promise<SplitAnswer<string>> => {
    requests += 1;
    const refusedIndexes = subset.flatMap((unit, i) => (bad.has(unit) ? [i] : []));
    if (refusedIndexes.length === 0) {
      taken.push(...subset);
      return { ok: true };
    }
    return {
      ok: false,
      refusal: `refused ${subset[refusedIndexes[0] ?? 0]}`,
      named: namesAttribute ? refusedIndexes.slice(0, 1) : [],
    };
  };
  return { send, taken, requests: () => requests };
}

const units = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('writeSplitting', () => {
  it('a refusal naming the attribute costs one extra request', async () => {
    const target = fakeTarget(new Set([3]), true);
    const refused = await writeSplitting(units(6), target.send);
    expect(refused.map((r) => r.unit)).toEqual([3]);
    expect(target.taken.sort()).toEqual([0, 1, 2, 4, 5]);
    expect(target.requests() - 1).toBe(1);
  });

  it('finds one refused unit among n in at most ⌈log₂ n⌉ + 1 extra requests, writing all the others', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 40 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }))),
        async ([n, badUnit]) => {
          const target = fakeTarget(new Set([badUnit]), false);
          const refused = await writeSplitting(units(n), target.send);
          expect(refused.map((r) => r.unit)).toEqual([badUnit]);
          expect(target.taken.sort((a, b) => a - b)).toEqual(units(n).filter((u) => u !== badUnit));
          expect(target.requests() - 1).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 1);
        },
      ),
    );
  });

  it('six operations, one refused without a name: at most 4 extra requests', async () => {
    for (let bad = 0; bad < 6; bad++) {
      const target = fakeTarget(new Set([bad]), false);
      await writeSplitting(units(6), target.send);
      expect(target.requests() - 1).toBeLessThanOrEqual(4);
    }
  });

  it('finds every refused unit when several are refused, and writes the rest', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { maxLength: 12 }),
        async (badList) => {
          const bad = new Set(badList);
          const target = fakeTarget(bad, false);
          const refused = await writeSplitting(units(12), target.send);
          expect(refused.map((r) => r.unit).sort((a, b) => a - b)).toEqual([...bad].sort((a, b) => a - b));
          expect(target.taken.sort((a, b) => a - b)).toEqual(units(12).filter((u) => !bad.has(u)));
        },
      ),
    );
  });

  it('a taken write costs nothing extra; errors other than refusals propagate', async () => {
    const target = fakeTarget(new Set(), false);
    expect(await writeSplitting(units(5), target.send)).toEqual([]);
    expect(target.requests()).toBe(1);
    await expect(
      writeSplitting(units(3), async () => {
        throw new Error('403');
      }),
    ).rejects.toThrow('403');
  });
});
