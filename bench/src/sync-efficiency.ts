import type { ProcessGroup } from '@dirsync/harness';
import { deliver, type HrEvent, Signer } from './hr-events.js';
import { NaiveSync } from './naive-sync.js';
import type { RedisHandle } from './processes.js';
import { fullMinuteCounts, maxInWindow, type TargetActivity, TargetRecorder } from './request-log.js';
import { CLIENT, type SimProcess, startSim, startSyncStack } from './stack.js';
import { userIds, WORKLOAD_ORDER, type Workload, WorkloadBuilder, type WorkloadKey } from './workloads.js';

export interface SyncSettings {
  users: number;
  budgetPerMinute: number;
  latencyMs: number;
  workers: number;
  concurrency: number;
  deliveryConcurrency: number;
}

/** One workload's figures, for dirsync or for the naive baseline. */
export interface WorkloadRun {
  key: WorkloadKey;
  title: string;
  users: number;
  events: number;
  per: 'event' | 'user';
  minRequests: number;
  target: TargetActivity;
  requestsPerUnit: number;
  /** From the first event sent to the moment every person was synced. */
  wallMs: number;
  /** Fewest possible requests ÷ budget (the issue's floor). */
  floorMs: number;
  /** Sending every webhook (dirsync only). */
  ingestMs?: number;
  /** Users whose target state is the wanted one afterwards. */
  converged: number;
  failedJobs?: number;
  deliveries?: Record<string, number>;
  /** The naive burst ran on a sample; its figures were scaled by this factor. */
  scaledFrom?: { users: number; factor: number };
}

async function convergedUsers(sim: SimProcess, expected: Map<string, string>): Promise<number> {
  const users = await sim.admin.listUsers();
  const titles = new Map(users.map((u) => [u.externalId as string, u.title]));
  let ok = 0;
  for (const [id, title] of expected) if (titles.get(id) === title) ok++;
  return ok;
}

function summarise(
  workload: Workload,
  target: TargetActivity,
  wallMs: number,
  budgetPerMinute: number,
  converged: number,
): WorkloadRun {
  return {
    key: workload.key,
    title: workload.title,
    users: workload.users,
    events: workload.events.length,
    per: workload.per,
    minRequests: workload.minRequests,
    target,
    requestsPerUnit: target.requests / (workload.per === 'user' ? workload.users : workload.events.length),
    wallMs,
    floorMs: (workload.minRequests / budgetPerMinute) * 60_000,
    converged,
  };
}

export interface DirsyncSyncResult {
  settings: SyncSettings;
  runs: WorkloadRun[];
  /** All workloads together, back to back. */
  session: {
    /** Requests in each complete minute from the first request of the session. */
    fullMinutes: number[];
    maxInAnyMinute: number;
    /** The simulator's own figure over the session (all tokens). */
    simMaxInAnyWindow: number;
  };
}

/**
 * dirsync on the four workloads, in one directory that evolves from cold to replay: the built ingest API and
 * worker(s) as processes, a private Redis, the simulator with `limit = budget` and the given latency. Each event is
 * a separately signed webhook, `deliveryConcurrency` in flight, as an HR system delivers them.
 */
export async function runDirsyncWorkloads(
  group: ProcessGroup,
  redis: RedisHandle,
  settings: SyncSettings,
  options: { prefix: string; secret: string; workloads?: readonly WorkloadKey[]; log?: (m: string) => void },
): Promise<DirsyncSyncResult> {
  const log = options.log ?? (() => {});
  const { sim, api, probe, started, stop } = await startSyncStack(group, redis, settings, {
    prefix: options.prefix,
    secret: options.secret,
    workers: settings.workers,
    workerName: 'worker',
  });
  try {
    const recorder = new TargetRecorder(sim.admin);
    const builder = new WorkloadBuilder(options.prefix, userIds('HR', settings.users));
    const signer = new Signer(options.secret, options.prefix);
    const runs: WorkloadRun[] = [];
    for (const key of options.workloads ?? WORKLOAD_ORDER) {
      const workload = builder.build(key);
      await recorder.mark();
      const failedBefore = await probe.failedJobs();
      const t0 = Date.now();
      const deliveries = await deliver(api.url, signer, workload.events, settings.deliveryConcurrency);
      const sentAt = Date.now();
      const syncedAt = await probe.drained({ timeoutMs: 15 * 60_000, watch: started });
      const target = await recorder.collect();
      builder.applied(workload);
      const run = summarise(
        workload,
        target,
        syncedAt - t0,
        settings.budgetPerMinute,
        await convergedUsers(sim, workload.expectedTitles),
      );
      run.ingestMs = sentAt - t0;
      run.deliveries = deliveries;
      run.failedJobs = (await probe.failedJobs()) - failedBefore;
      runs.push(run);
      log(
        `  dirsync ${workload.title}: ${target.requests} requests, ${(run.wallMs / 1000).toFixed(1)} s, ` +
          `${target.throttled429} × 429, converged ${run.converged}/${workload.expectedTitles.size}`,
      );
    }
    const session = {
      fullMinutes: fullMinuteCounts(recorder.allTimes),
      maxInAnyMinute: maxInWindow(recorder.allTimes),
      simMaxInAnyWindow: (await sim.admin.counters()).maxRequestsInAnyWindow,
    };
    return { settings, runs, session };
  } finally {
    await stop();
  }
}

export interface NaiveSyncResult {
  runs: WorkloadRun[];
}

/**
 * The naive baseline on the same workloads and the same simulator settings, one event at a time. Its burst runs on
 * a sample of `burstSampleUsers` (ten events each); the requests and the time it would take for every user are
 * the sample's times users ÷ sample: the baseline is sequential and handles each event alike, so both scale
 * linearly while it is latency-bound (it is at these settings: check its request rate against the budget).
 */
export async function runNaiveWorkloads(
  group: ProcessGroup,
  settings: SyncSettings,
  options: { tag: string; burstSampleUsers: number; log?: (m: string) => void },
): Promise<NaiveSyncResult> {
  const log = options.log ?? (() => {});
  const sim = await startSim(group, {
    limitPerMinute: settings.budgetPerMinute,
    latencyMs: settings.latencyMs,
  });
  const naive = new NaiveSync(sim.url, CLIENT);
  try {
    const recorder = new TargetRecorder(sim.admin);
    const ids = userIds('HR', settings.users);
    const builder = new WorkloadBuilder(options.tag, ids);
    const runs: WorkloadRun[] = [];
    for (const key of WORKLOAD_ORDER) {
      const sample = key === 'burst' ? ids.slice(0, options.burstSampleUsers) : undefined;
      const workload = builder.build(key, sample ? { burstUsers: sample } : {});
      await recorder.mark();
      const t0 = Date.now();
      for (const event of workload.events as HrEvent[]) await naive.apply(event);
      const wallMs = Date.now() - t0;
      const target = await recorder.collect();
      builder.applied(workload);
      let run = summarise(
        workload,
        target,
        wallMs,
        settings.budgetPerMinute,
        await convergedUsers(sim, workload.expectedTitles),
      );
      if (sample) run = scale(run, settings.users / sample.length, settings.budgetPerMinute);
      runs.push(run);
      log(
        `  naive ${workload.title}${sample ? ` (sample of ${sample.length} users)` : ''}: ` +
          `${target.requests} requests, ${(wallMs / 1000).toFixed(1)} s, ${target.throttled429} × 429`,
      );
    }
    return { runs };
  } finally {
    naive.close();
    await group.stop(sim.child);
  }
}

/** A sample's figures as if every user had been in it. */
function scale(run: WorkloadRun, factor: number, budgetPerMinute: number): WorkloadRun {
  const n = (v: number) => Math.round(v * factor);
  const minRequests = n(run.minRequests);
  return {
    ...run,
    users: n(run.users),
    events: n(run.events),
    minRequests,
    wallMs: run.wallMs * factor,
    floorMs: (minRequests / budgetPerMinute) * 60_000,
    converged: n(run.converged),
    target: {
      ...run.target,
      requests: n(run.target.requests),
      reads: n(run.target.reads),
      creates: n(run.target.creates),
      patches: n(run.target.patches),
      throttled429: n(run.target.throttled429),
      status: Object.fromEntries(Object.entries(run.target.status).map(([k, v]) => [k, n(v)])),
    },
    scaledFrom: { users: run.users, factor },
  };
}
