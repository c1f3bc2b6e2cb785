import type { HrRecord } from '@dirsync/contracts';
import { describe, expect, it, onTestFinished } from 'vitest';
import { compileMapping, TransformError } from './index.js';
import { hardLimitMs } from './mapping.js';

// Long enough that JSONata's own per-evaluation check cannot fire before the regex starts on a loaded machine
// (the suite runs beside others on two cores): the hard limit is what must stop it.
const TIMEOUT_MS = 1000;
/** Generous slack over the hard limit for a loaded machine; the unbounded probe below runs for seconds. */
const MARGIN_MS = 1500;
/** 31 characters that make `/^(a+)+$/` backtrack catastrophically (2^30 paths: far past any bound here). */
const EVIL_TITLE = `${'a'.repeat(30)}!`;

function compile(body: string) {
  const mapping = compileMapping(
    `/* dirsync:owns userName, title */ { "userName": workEmail, "title": ${body} }`,
    {
      timeoutMs: TIMEOUT_MS,
    },
  );
  onTestFinished(() => mapping.close());
  return mapping;
}

const record = (externalId: string, title = 'Engineer'): HrRecord => ({
  externalId,
  workEmail: `${externalId.toLowerCase()}@example.com`,
  title,
});

/**
 * Runs `work` while a 10 ms interval records when it got to run: the longest gap is how long the event loop was
 * blocked during the work.
 */
async function withLoopWatch<T>(
  work: () => Promise<T>,
): Promise<{ settled: PromiseSettledResult<T>; elapsed: number; longestGap: number }> {
  let last = performance.now();
  let longestGap = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 10);
  const started = performance.now();
  const [settled] = await Promise.allSettled([work()]);
  const elapsed = performance.now() - started;
  clearInterval(tick);
  longestGap = Math.max(longestGap, performance.now() - last);
  return { settled: settled as PromiseSettledResult<T>, elapsed, longestGap };
}

describe('the mapping sandbox bounds what JSONata cannot interrupt', () => {
  it.each([
    ['$match', '$match(title, /^(a+)+$/).match'],
    ['the ~> operator', '(title ~> /^(a+)+$/).match'],
    ['$contains', '$contains(title, /^(a+)+$/) ? "y" : "n"'],
    ['$replace', '$replace(title, /^(a+)+$/, "x")'],
    ['$split', '$join($split(title, /^(a+)+$/), "")'],
  ])(
    'stops a catastrophic regex in %s within the bound, without blocking the caller',
    async (_label, body) => {
      const mapping = compile(body);
      // Warm the worker so the measurement is of the evaluation alone.
      await expect(mapping.evaluate(record('HR-WARM'))).resolves.toMatchObject({
        userName: 'hr-warm@example.com',
      });

      const { settled, elapsed, longestGap } = await withLoopWatch(() =>
        mapping.evaluate(record('HR-REGEX', EVIL_TITLE)),
      );

      expect(settled.status).toBe('rejected');
      const error = (settled as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(TransformError);
      expect(error).toMatchObject({ code: 'transform_timeout', externalId: 'HR-REGEX', retryable: false });
      expect(error.message).toBe(
        `mapping failed for externalId "HR-REGEX": evaluation ran longer than ${TIMEOUT_MS} ms and was stopped`,
      );
      expect(error.message).not.toContain(EVIL_TITLE);
      expect(elapsed).toBeLessThan(hardLimitMs(TIMEOUT_MS) + MARGIN_MS);
      expect(longestGap).toBeLessThan(MARGIN_MS);
    },
  );

  it('stops a runaway built-in that never returns to JSONata ($distinct over 200 000 numbers)', async () => {
    const mapping = compile('$string($count($distinct([1..200000])))');
    const { settled, elapsed } = await withLoopWatch(() => mapping.evaluate(record('HR-DISTINCT')));
    expect(settled.status).toBe('rejected');
    expect((settled as PromiseRejectedResult).reason).toMatchObject({
      code: 'transform_timeout',
      externalId: 'HR-DISTINCT',
    });
    expect(elapsed).toBeLessThan(hardLimitMs(TIMEOUT_MS) + MARGIN_MS);
  });

  it('blames only the runaway among evaluations in flight with it, and keeps mapping after the stop', async () => {
    const mapping = compile('$match(title, /^(a+)+$/) ? "matched" : title');
    const outcome = (externalId: string, title?: string) =>
      mapping.evaluate(record(externalId, title)).then(
        (user) => user?.title,
        (e: TransformError) => `${e.code} ${e.externalId}`,
      );
    const before = [outcome('HR-1'), outcome('HR-2')];
    const runaway = outcome('HR-REGEX', EVIL_TITLE);
    const after = [outcome('HR-3'), outcome('HR-4', 'aaaa')];
    expect(await Promise.all([...before, runaway, ...after])).toEqual([
      'Engineer',
      'Engineer',
      'transform_timeout HR-REGEX',
      'Engineer',
      'matched',
    ]);
    await expect(outcome('HR-NEXT', 'aaaa')).resolves.toBe('matched');
  });

  it('refuses to evaluate once closed, naming the record', async () => {
    const mapping = compile('title');
    await mapping.evaluate(record('HR-OPEN'));
    await mapping.close();
    await expect(mapping.evaluate(record('HR-CLOSED'))).rejects.toMatchObject({
      code: 'transform_failed',
      externalId: 'HR-CLOSED',
      message: 'mapping failed for externalId "HR-CLOSED": the mapping was closed',
    });
  });
});
