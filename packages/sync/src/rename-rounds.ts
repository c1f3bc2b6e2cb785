import type { PersonRunResult } from './person-run.js';
import { RenameBlockedError } from './rename-errors.js';

/** Whom a person's run waits for (their new userName's holder), or undefined when it is not waiting. */
export function blockedBy(ran: PersonRunResult): string | undefined {
  if (ran.kind !== 'retry') return undefined;
  const error = ran.failure.error;
  return error instanceof RenameBlockedError ? (error.holderExternalId ?? '') : undefined;
}

function addRequests(ran: PersonRunResult, requests: number): void {
  if (ran.kind === 'retry') ran.failure.requests += requests;
  else if ((ran.kind === 'handled' || ran.kind === 'contended') && ran.entry.result) {
    ran.entry.result.requests = (ran.entry.result.requests ?? 0) + requests;
  }
}

export interface RenameRoundsInput {
  /** People whose rename waits, with the holder each waits for, in batch order. */
  blocked: ReadonlyArray<{ externalId: string; holder: string; ran: PersonRunResult }>;
  /** Whether this run has handled that person already (they are in the batch). */
  handled: (externalId: string) => boolean;
  /** Runs one person (`park`: step aside to a temporary userName only). */
  run: (externalId: string, park: boolean) => Promise<PersonRunResult>;
}

/**
 * Runs again, in an order that lets each go through, the people whose new userName was held by someone dirsync is
 * renaming too: a chain resolves holder first; a cycle (a swap) has one person step aside to a temporary userName,
 * then goes round. A holder outside the batch whose rename is pending is run here. Bounded: each person runs at
 * most a few times. Returns the last run of everyone it ran (someone still waiting stays a `retry`).
 */
export async function settleRenames(input: RenameRoundsInput): Promise<Map<string, PersonRunResult>> {
  const waiting = new Map(input.blocked.map((b) => [b.externalId, b.holder]));
  const last = new Map(input.blocked.map((b) => [b.externalId, b.ran]));
  const parked = new Set<string>();
  const runs = new Map<string, number>();
  // A quarantine stops everyone: the caller files it and returns.
  let stopped = false;
  const run = async (externalId: string, park: boolean) => {
    runs.set(externalId, (runs.get(externalId) ?? 0) + 1);
    const ran = await input.run(externalId, park);
    // The report counts every request spent on the person, the waiting runs' too.
    const before = last.get(externalId);
    if (before?.kind === 'retry') addRequests(ran, before.failure.requests);
    last.set(externalId, ran);
    if (ran.kind === 'quarantined') stopped = true;
    return ran;
  };
  const settled = (externalId: string) =>
    input.handled(externalId) || (last.has(externalId) && !waiting.has(externalId));
  while (waiting.size > 0 && !stopped) {
    let progress = false;
    for (const [externalId, holder] of [...waiting]) {
      if (stopped) break;
      if (waiting.has(holder) && !parked.has(holder)) continue;
      if (!settled(holder) && !runs.has(holder)) {
        // The holder's own rename is pending outside this batch: apply it here.
        const theirs = blockedBy(await run(holder, false));
        if (theirs) waiting.set(holder, theirs);
        progress = true;
        if (theirs) continue;
      }
      if ((runs.get(externalId) ?? 0) >= 3) {
        waiting.delete(externalId);
        continue;
      }
      const again = blockedBy(await run(externalId, false));
      // Still held by the same settled holder: their rename did not free it; a later attempt decides.
      if (again === undefined || (again === holder && !waiting.has(holder))) waiting.delete(externalId);
      else if (again) waiting.set(externalId, again);
      progress = true;
    }
    if (progress || stopped) continue;
    // Everyone waits for someone else who waits: a cycle. One steps aside.
    const next = [...waiting.keys()].find((id) => !parked.has(id));
    if (next === undefined) break;
    parked.add(next);
    if (blockedBy(await run(next, true)) === undefined) waiting.delete(next);
  }
  return last;
}
