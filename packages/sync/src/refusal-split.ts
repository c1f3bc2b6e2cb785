/** What sending a set of units answered: taken, or refused (with the units the refusal names, if any). */
export type SplitAnswer<R> = { ok: true } | { ok: false; refusal: R; named: readonly number[] };

/** A unit the target refused, with the refusal that isolated it. */
export interface RefusedUnit<U, R> {
  unit: U;
  refusal: R;
}

/**
 * Writes as many `units` as the target takes, and finds the ones it refuses. `send` writes a subset in one
 * request and says whether it was taken; a refusal may name the refused units (indexes into the subset sent),
 * which are then dropped at the cost of one re-send. A refusal that names nothing is bisected: one half is sent;
 * taken, the refused unit is in the other half (known refused, not re-sent); refused, the other half waits for
 * one final re-send. One refused unit among n costs at most ⌈log₂ n⌉ + 1 requests after the first; each further
 * refused unit costs the same again. Errors other than refusals propagate from `send`.
 */
export async function writeSplitting<U, R>(
  units: readonly U[],
  send: (subset: readonly U[]) => Promise<SplitAnswer<R>>,
): Promise<Array<RefusedUnit<U, R>>> {
  const refused: Array<RefusedUnit<U, R>> = [];
  let attempt = [...units];
  while (attempt.length > 0) {
    const answer = await send(attempt);
    if (answer.ok) break;
    const named = new Set(answer.named.filter((i) => i >= 0 && i < attempt.length));
    if (named.size > 0) {
      for (const i of named) refused.push({ unit: attempt[i] as U, refusal: answer.refusal });
      attempt = attempt.filter((_, i) => !named.has(i));
      continue;
    }
    const isolated = await isolateOne(attempt, answer.refusal, send);
    refused.push(...isolated.refused);
    attempt = isolated.unsent;
  }
  return refused;
}

/**
 * Bisects a refused set down to one refused unit. Returns it (or the units a refusal named on the way) and the
 * units whose fate is still unknown (never sent alone yet).
 */
async function isolateOne<U, R>(
  refusedSet: readonly U[],
  firstRefusal: R,
  send: (subset: readonly U[]) => Promise<SplitAnswer<R>>,
): Promise<{ refused: Array<RefusedUnit<U, R>>; unsent: U[] }> {
  let candidates = [...refusedSet];
  let refusal = firstRefusal;
  const unsent: U[] = [];
  while (candidates.length > 1) {
    const half = candidates.slice(0, Math.ceil(candidates.length / 2));
    const rest = candidates.slice(half.length);
    const answer = await send(half);
    if (answer.ok) {
      candidates = rest;
      continue;
    }
    refusal = answer.refusal;
    unsent.push(...rest);
    const named = new Set(answer.named.filter((i) => i >= 0 && i < half.length));
    if (named.size > 0) {
      const refused = [...named].map((i) => ({ unit: half[i] as U, refusal }));
      return { refused, unsent: [...half.filter((_, i) => !named.has(i)), ...unsent] };
    }
    candidates = half;
  }
  const [only] = candidates;
  return { refused: only === undefined ? [] : [{ unit: only, refusal }], unsent };
}
