import { setTimeout as delay } from 'node:timers/promises';
import type { HrRecord } from '@dirsync/contracts';
import { describe, expect, it, onTestFinished } from 'vitest';
import { compileMapping as compileMappingOnly, loadMapping, TransformError } from './index.js';

/** Compiles a mapping whose evaluation worker is stopped when the test ends. */
const compileMapping: typeof compileMappingOnly = (source, options) => {
  const mapping = compileMappingOnly(source, options);
  onTestFinished(() => mapping.close());
  return mapping;
};

const record = (externalId: string, extra: Partial<HrRecord> = {}): HrRecord => ({
  externalId,
  workEmail: `${externalId.toLowerCase()}@example.com`,
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<TransformError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransformError);
  return error as TransformError;
}

/** Tail recursion: JSONata runs it as a loop at constant depth, so only the time bound stops it. */
const ENDLESS = '($f := function($x) { $f($x) }; $f(1))';
/** Recursion that is not a tail call: the depth bound stops it. */
const BOTTOMLESS = '($f := function($x) { 1 + $f($x) }; $f(1))';

/**
 * A mapping that runs `runaway` for every record but one titled "warm": the warm-up evaluation starts the sandbox
 * worker, so a measurement that follows is of the evaluation, not of starting a thread.
 */
async function warmMapping(runaway: string, limits: { timeoutMs?: number; maxDepth?: number }) {
  const mapping = compileMapping(
    `/* dirsync:owns userName */ title = "warm" ? { "userName": workEmail } : ${runaway}`,
    limits,
  );
  await mapping.evaluate(record('HR-WARM', { title: 'warm' }));
  return mapping;
}

describe('the time and depth bound', () => {
  it('stops infinite (tail) recursion after timeoutMs with transform_timeout', async () => {
    const mapping = await warmMapping(ENDLESS, { timeoutMs: 50 });
    const started = performance.now();
    const error = await rejection(mapping.evaluate(record('HR-7')));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('transform_timeout');
    expect(error.retryable).toBe(false);
    expect(error.externalId).toBe('HR-7');
    expect(error.jsonataCode).toBe('D1012');
    expect(error.message).toBe('mapping failed for externalId "HR-7": evaluation ran longer than 50 ms');
    expect(elapsed).toBeGreaterThanOrEqual(49);
    expect(elapsed).toBeLessThan(1000);
  });

  it('stops a long loop', async () => {
    const mapping = compileMapping(
      '/* dirsync:owns userName, title */ { "userName": workEmail, "title": $string($reduce([1..1000000], function($a, $b) { $a + $b })) }',
      { timeoutMs: 50 },
    );
    const error = await rejection(mapping.evaluate(record('HR-8')));
    expect(error.code).toBe('transform_timeout');
  });

  it('stops runaway recursion deeper than maxDepth, well before the time bound', async () => {
    const mapping = await warmMapping(BOTTOMLESS, { maxDepth: 500, timeoutMs: 10_000 });
    const started = performance.now();
    const error = await rejection(mapping.evaluate(record('HR-9')));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.code).toBe('transform_timeout');
    expect(error.jsonataCode).toBe('D1011');
    expect(error.message).toBe(
      'mapping failed for externalId "HR-9": evaluation nested deeper than 500 (runaway recursion?)',
    );
  });

  it('bounds the default mapping too', async () => {
    const mapping = await loadMapping({ timeoutMs: 1000, maxDepth: 100 });
    onTestFinished(() => mapping.close());
    expect(mapping.timeoutMs).toBe(1000);
    expect(mapping.maxDepth).toBe(100);
    await expect(mapping.evaluate(record('HR-10'))).resolves.toMatchObject({ userName: 'hr-10@example.com' });
  });

  it('times one evaluation from its own start, not from compile time', async () => {
    const mapping = compileMapping('{ "userName": workEmail }', { timeoutMs: 20 });
    await delay(40);
    await expect(mapping.evaluate(record('HR-11'))).resolves.toEqual({ userName: 'hr-11@example.com' });
  });
});

describe('the bound under concurrency (one compiled expression, evaluations in flight together)', () => {
  const SLOW_OR_FAST = `/* dirsync:owns userName */
    title = "slow" ? ${ENDLESS} : { "userName": workEmail }`;

  it('times out the slow evaluation while a fast one started alongside succeeds', async () => {
    const mapping = compileMapping(SLOW_OR_FAST, { timeoutMs: 100 });
    const settled: string[] = [];
    const slow = mapping.evaluate(record('HR-SLOW', { title: 'slow' })).finally(() => settled.push('slow'));
    const fast = mapping.evaluate(record('HR-FAST')).finally(() => settled.push('fast'));
    const [slowResult, fastResult] = await Promise.allSettled([slow, fast]);

    expect(fastResult).toEqual({ status: 'fulfilled', value: { userName: 'hr-fast@example.com' } });
    expect(slowResult.status).toBe('rejected');
    const error = (slowResult as PromiseRejectedResult).reason as TransformError;
    expect(error.code).toBe('transform_timeout');
    expect(error.externalId).toBe('HR-SLOW');
    expect(settled).toEqual(['fast', 'slow']);
  });

  it('does not charge eight concurrent fast evaluations for a slow one', async () => {
    const mapping = compileMapping(SLOW_OR_FAST, { timeoutMs: 100 });
    const slow = mapping.evaluate(record('HR-SLOW', { title: 'slow' }));
    const fast = Array.from({ length: 8 }, (_, i) => mapping.evaluate(record(`HR-${i}`)));
    await expect(Promise.all(fast)).resolves.toHaveLength(8);
    await expect(slow).rejects.toMatchObject({ code: 'transform_timeout' });
    // And the expression is not left poisoned: the next evaluation runs normally.
    await expect(mapping.evaluate(record('HR-AFTER'))).resolves.toEqual({ userName: 'hr-after@example.com' });
  });

  it('gives each evaluation its own depth counter', async () => {
    // Recursion to depth n: deep enough that one fits under maxDepth and two added together would not.
    const source = `/* dirsync:owns userName, title */ (
      $down := function($k) { $k <= 0 ? 0 : 1 + $down($k - 1) };
      { "userName": workEmail, "title": $string($down(level)) }
    )`;
    const mapping = compileMapping(source, { maxDepth: 150, timeoutMs: 5000 });
    const depthOf = async (level: number) =>
      mapping.evaluate(record(`HR-D${level}`, { level })).then(
        () => 'ok',
        (e: TransformError) => e.code,
      );
    // Calibrate: 30 levels fit alone, 60 do not.
    expect(await depthOf(30)).toBe('ok');
    expect(await depthOf(60)).toBe('transform_timeout');
    // Eight evaluations of 30 levels interleave; each needs about 100, so a shared counter would pass 150 and stop them.
    const results = await Promise.all(Array.from({ length: 8 }, () => depthOf(30)));
    expect(results).toEqual(Array(8).fill('ok'));
  });
});
