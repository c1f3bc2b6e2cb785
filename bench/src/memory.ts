import type { ProcessGroup } from '@dirsync/harness';
import { type ConsoleLatency, measureConsole } from './console-latency.js';
import { deliver, Signer } from './hr-events.js';
import type { Child, RedisHandle } from './processes.js';
import { peakRssMb, rssMb, SyncProbe, startApi, startSim, startWorkerProcess } from './stack.js';
import { userIds, WorkloadBuilder } from './workloads.js';

export interface MemorySettings {
  events: number;
  budgetPerMinute: number;
}

export interface MemoryResult {
  events: number;
  /** API peak RSS after taking the whole backlog in, and its RSS once ready, before any request. */
  apiPeakRssMb: number;
  apiStartRssMb: number;
  /** Worker peak RSS after draining it, and its RSS once started. */
  workerPeakRssMb: number;
  workerStartRssMb: number;
  redisBytesBefore: number;
  redisBytesQueued: number;
  redisBytesPerQueuedEvent: number;
  /** What stays per synced person once the backlog is drained (state, target cache, idempotency keys, reports). */
  redisBytesPerSyncedUser: number;
  ingestMs: number;
  drainMs: number;
  deliveries: Record<string, number>;
  converged: number;
  /** The console over the drained store: person page and people search, p50/p95. */
  console: ConsoleLatency;
}

async function usedMemory(redis: RedisHandle): Promise<number> {
  const info = await redis.client.info('memory');
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match?.[1]) throw new Error('INFO memory has no used_memory');
  return Number(match[1]);
}

/**
 * A backlog of `events` single signed events (one new person each, the API's heaviest case: one job per event)
 * taken in by a fresh API process with no worker running; then a fresh worker drains it against a simulator with
 * no latency and a budget that never binds, so the worker runs as hard as it can.
 */
export async function runMemory(
  group: ProcessGroup,
  redis: RedisHandle,
  settings: MemorySettings,
  options: { prefix: string; secret: string; log?: (m: string) => void },
): Promise<MemoryResult> {
  const log = options.log ?? (() => {});
  // Only this bench uses this redis-server (it started it): a clean slate makes used_memory mean one thing.
  await redis.client.flushall();
  const started: Child[] = [];
  const probe = new SyncProbe(redis, options.prefix);
  try {
    const api = await startApi(group, {
      redis,
      prefix: options.prefix,
      secret: options.secret,
      budgetPerMinute: settings.budgetPerMinute,
    });
    started.push(api.child);
    const apiStartRssMb = rssMb(api.child);
    const redisBytesBefore = await usedMemory(redis);
    const builder = new WorkloadBuilder(options.prefix, userIds('HR', settings.events));
    const workload = builder.build('cold');
    const t0 = Date.now();
    const deliveries = await deliver(
      api.url,
      new Signer(options.secret, options.prefix),
      workload.events,
      16,
    );
    const ingestMs = Date.now() - t0;
    const redisAfterIngest = await usedMemory(redis);
    const apiPeakRssMb = peakRssMb(api.child);
    log(`  backlog of ${settings.events} events taken in ${(ingestMs / 1000).toFixed(1)} s`);

    const sim = await startSim(group, { limitPerMinute: settings.budgetPerMinute, latencyMs: 0 });
    started.push(sim.child);
    const worker = await startWorkerProcess(group, 'memory-worker', {
      redis,
      prefix: options.prefix,
      sim,
      budgetPerMinute: settings.budgetPerMinute,
    });
    started.push(worker);
    const workerStartRssMb = rssMb(worker);
    const t1 = Date.now();
    const syncedAt = await probe.drained({ timeoutMs: 10 * 60_000, watch: started });
    const drainMs = syncedAt - t1;
    const workerPeakRssMb = peakRssMb(worker);
    const redisAfterDrain = await usedMemory(redis);
    const users = await sim.admin.listUsers();
    log(`  drained in ${(drainMs / 1000).toFixed(1)} s`);
    const consoleLatency = await measureConsole(api.url, builder.ids);
    log(
      `  console: person page p95 ${consoleLatency.personP95Ms.toFixed(1)} ms, search p95 ${consoleLatency.searchP95Ms.toFixed(1)} ms`,
    );
    return {
      events: settings.events,
      apiPeakRssMb,
      apiStartRssMb,
      workerPeakRssMb,
      workerStartRssMb,
      redisBytesBefore,
      redisBytesQueued: redisAfterIngest - redisBytesBefore,
      redisBytesPerQueuedEvent: (redisAfterIngest - redisBytesBefore) / settings.events,
      redisBytesPerSyncedUser: (redisAfterDrain - redisBytesBefore) / settings.events,
      ingestMs,
      drainMs,
      deliveries,
      converged: users.filter((u) => u.title === 'Agent').length,
      console: consoleLatency,
    };
  } finally {
    await probe.close();
    for (const child of started.reverse()) await group.stop(child);
  }
}
