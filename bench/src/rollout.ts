import { QUEUES } from '@dirsync/contracts';
import type { ProcessGroup } from '@dirsync/harness';
import { Queue } from 'bullmq';
import { batches, deliver, type HrEvent, hrRecord, Signer } from './hr-events.js';
import { type RedisHandle, sleep } from './processes.js';
import { type TargetActivity, TargetRecorder } from './request-log.js';
import { type SyncStack, startSyncStack } from './stack.js';
import { userIds } from './workloads.js';

export interface RolloutSettings {
  users: number;
  budgetPerMinute: number;
  latencyMs: number;
  workers: number;
  concurrency: number;
  deliveryConcurrency: number;
  /** The spread burst: this many rounds (one update per person each), evenly over `burstSpreadSeconds`. */
  burstRounds: number;
  burstSpreadSeconds: number;
}

/** One initial load: every person created from HR, into an empty target. */
export interface LoadRun {
  path: 'directory-index' | 'lookup-first';
  users: number;
  target: TargetActivity;
  requestsPerPerson: number;
  /** From the first request (the index build's, or the first event) until every person was synced. */
  wallMs: number;
  converged: number;
}

export interface SpreadBurstRun {
  users: number;
  rounds: number;
  spreadMs: number;
  target: TargetActivity;
  requestsPerPerson: number;
  wallMs: number;
  converged: number;
}

export interface RolloutResult {
  settings: RolloutSettings;
  indexed: LoadRun;
  lookupFirst: LoadRun;
  /** Lookup-first wall time ÷ indexed wall time. */
  speedup: number;
  spreadBurst: SpreadBurstRun;
}

const event = (tag: string, n: number, type: HrEvent['event'], id: string, title: string, at: number) => ({
  id: `${tag}-e${n}`,
  event: type,
  occurredAt: new Date(at).toISOString(),
  data: hrRecord(id, title),
});

async function convergedUsers(stack: SyncStack, ids: readonly string[], title: string): Promise<number> {
  const titles = new Map((await stack.sim.admin.listUsers()).map((u) => [u.externalId as string, u.title]));
  return ids.filter((id) => titles.get(id) === title).length;
}

/** What an operator does: `POST /admin/index`, then waits for the build job to finish. */
async function buildIndex(stack: SyncStack, redis: RedisHandle, prefix: string): Promise<void> {
  const answer = await fetch(`${stack.api.url}/admin/index`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (answer.status !== 202) throw new Error(`POST /admin/index answered ${answer.status}`);
  const { jobId } = (await answer.json()) as { jobId: string };
  const connection = redis.client.duplicate();
  const queue = new Queue(QUEUES.directoryIndex, { connection, prefix });
  try {
    for (;;) {
      for (const child of stack.started) child.assertRunning();
      const job = await queue.getJob(jobId);
      if (job?.failedReason) throw new Error(`the index build failed: ${job.failedReason}`);
      if (job?.finishedOn !== undefined) return;
      await sleep(100);
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** An initial load of everyone into an empty target, with or without a directory index built first. */
async function initialLoad(
  stack: SyncStack,
  redis: RedisHandle,
  settings: RolloutSettings,
  options: { prefix: string; secret: string; withIndex: boolean },
): Promise<LoadRun> {
  const ids = userIds('HR', settings.users);
  const recorder = new TargetRecorder(stack.sim.admin);
  await recorder.mark();
  const t0 = Date.now();
  if (options.withIndex) await buildIndex(stack, redis, options.prefix);
  const now = Date.now();
  const events = ids.map((id, i) => event(options.prefix, i, 'user.created', id, 'Agent', now));
  const signer = new Signer(options.secret, options.prefix);
  await deliver(stack.api.url, signer, batches(events, 25), settings.deliveryConcurrency);
  const syncedAt = await stack.probe.drained({ timeoutMs: 60 * 60_000, watch: stack.started });
  const target = await recorder.collect();
  return {
    path: options.withIndex ? 'directory-index' : 'lookup-first',
    users: ids.length,
    target,
    requestsPerPerson: target.requests / ids.length,
    wallMs: syncedAt - t0,
    converged: await convergedUsers(stack, ids, 'Agent'),
  };
}

/**
 * Everyone changes `burstRounds` times, one round after another spread over `burstSpreadSeconds` (several settle
 * windows apart, so the settle window cannot fold them), at a budget the burst exceeds.
 */
async function spreadBurst(stack: SyncStack, settings: RolloutSettings, prefix: string, secret: string) {
  const ids = userIds('HR', settings.users);
  const recorder = new TargetRecorder(stack.sim.admin);
  const signer = new Signer(secret, `${prefix}-burst`);
  await recorder.mark();
  const t0 = Date.now();
  const gapMs = (settings.burstSpreadSeconds * 1000) / Math.max(1, settings.burstRounds - 1);
  let n = 0;
  for (let round = 1; round <= settings.burstRounds; round++) {
    const due = t0 + (round - 1) * gapMs;
    if (due > Date.now()) await sleep(due - Date.now());
    const at = Date.now();
    const events = ids.map((id) => event(`${prefix}-burst`, ++n, 'user.updated', id, `Agent r${round}`, at));
    await deliver(stack.api.url, signer, batches(events, 25), settings.deliveryConcurrency);
  }
  const spreadMs = Date.now() - t0;
  const syncedAt = await stack.probe.drained({ timeoutMs: 60 * 60_000, watch: stack.started });
  const target = await recorder.collect();
  return {
    users: ids.length,
    rounds: settings.burstRounds,
    spreadMs,
    target,
    requestsPerPerson: target.requests / ids.length,
    wallMs: syncedAt - t0,
    converged: await convergedUsers(stack, ids, `Agent r${settings.burstRounds}`),
  };
}

/**
 * The rollout at the budget floor: an initial load with the directory index (one paged read, then one POST per
 * person) against today's lookup-first path (a lookup and a POST per person), each into its own empty target in the
 * same run; then, on the indexed directory, a burst spread over time at a binding budget.
 */
export async function runRollout(
  group: ProcessGroup,
  redis: RedisHandle,
  settings: RolloutSettings,
  options: { prefix: string; secret: string; log?: (m: string) => void },
): Promise<RolloutResult> {
  const log = options.log ?? (() => {});
  const describe = (run: LoadRun) =>
    `  initial load, ${run.path}: ${run.target.requests} requests (${run.requestsPerPerson.toFixed(3)}/person), ` +
    `${(run.wallMs / 1000).toFixed(1)} s, ${run.target.throttled429} × 429, converged ${run.converged}/${run.users}`;
  const start = (prefix: string) =>
    startSyncStack(group, redis, settings, {
      ...options,
      prefix,
      workers: settings.workers,
      workerName: prefix,
    });

  const lookupStack = await start(`${options.prefix}-lookup`);
  let lookupFirst: LoadRun;
  try {
    lookupFirst = await initialLoad(lookupStack, redis, settings, {
      ...options,
      prefix: `${options.prefix}-lookup`,
      withIndex: false,
    });
  } finally {
    await lookupStack.stop();
  }
  log(describe(lookupFirst));

  const indexedStack = await start(`${options.prefix}-index`);
  try {
    const indexed = await initialLoad(indexedStack, redis, settings, {
      ...options,
      prefix: `${options.prefix}-index`,
      withIndex: true,
    });
    log(describe(indexed));
    const burst = await spreadBurst(indexedStack, settings, `${options.prefix}-index`, options.secret);
    log(
      `  spread burst (${burst.rounds} rounds over ${(burst.spreadMs / 1000).toFixed(0)} s): ${burst.target.requests} requests ` +
        `(${burst.requestsPerPerson.toFixed(3)}/person), ${(burst.wallMs / 1000).toFixed(1)} s, converged ${burst.converged}/${burst.users}`,
    );
    return {
      settings,
      indexed,
      lookupFirst,
      speedup: lookupFirst.wallMs / indexed.wallMs,
      spreadBurst: burst,
    };
  } finally {
    await indexedStack.stop();
  }
}
