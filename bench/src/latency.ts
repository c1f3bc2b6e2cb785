import type { ProcessGroup } from '@dirsync/harness';
import { deliver, hrRecord, Signer } from './hr-events.js';
import type { RedisHandle } from './processes.js';
import type { Row } from './report.js';
import { startSyncStack, startWorkerProcess } from './stack.js';

export interface LatencySettings {
  /** People updated one at a time, `gapMs` apart (light load: the queue is empty between them). */
  people: number;
  gapMs: number;
  latencyMs: number;
  /** The worker's quiet period (`SYNC_SETTLE_MS` default), part of every latency by design. */
  settleMs: number;
  budgetPerMinute: number;
  /** Crash recovery: cold creates queued before a worker is SIGKILLed mid-batch. */
  crashPeople: number;
}

export interface LatencyResult {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  settleMs: number;
  /** Kill → last accepted event applied, ms. */
  crashRecoveryMs: number;
  crashLost: number;
  crashDuplicateCreates: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** End of each successful SCIM write to `/Users/<id>` (POST 201, PATCH 200) by user id, from the target's log. */
async function writesByUserId(stack: Awaited<ReturnType<typeof startSyncStack>>) {
  const writes = new Map<string, number>();
  const users = await stack.sim.admin.listUsers();
  const externalIdOf = new Map(users.map((u) => [String(u.id), String(u.externalId)]));
  for (const r of await stack.sim.admin.requests()) {
    if (r.method !== 'PATCH' || r.status !== 200) continue;
    const id = /\/Users\/([^/?]+)/.exec(r.path)?.[1];
    const externalId = id ? externalIdOf.get(id) : undefined;
    if (externalId) writes.set(externalId, Date.parse(r.at) + r.durationMs);
  }
  return writes;
}

/**
 * Webhook → applied-in-target latency under light load: people created and synced first, then one update a person,
 * `gapMs` apart; latency = end of the person's PATCH at the target − when the API answered 202.
 */
async function measureLatency(
  group: ProcessGroup,
  redis: RedisHandle,
  settings: LatencySettings,
  options: { prefix: string; secret: string },
): Promise<number[]> {
  const stack = await startSyncStack(
    group,
    redis,
    { ...settings, concurrency: 8 },
    {
      prefix: options.prefix,
      secret: options.secret,
      workers: 1,
      workerName: 'latency-worker',
    },
  );
  try {
    const signer = new Signer(options.secret, options.prefix);
    const ids = Array.from({ length: settings.people }, (_, i) => `LAT-${i}`);
    const created = ids.map((id) => ({ event: 'user.created', data: hrRecord(id, 'Agent') }));
    const statuses = await deliver(stack.api.url, signer, created, 8);
    if (statuses['202'] !== ids.length)
      throw new Error(`latency: creates not accepted: ${JSON.stringify(statuses)}`);
    await stack.probe.drained({ timeoutMs: 120_000, watch: stack.started });
    const acknowledgedAt = new Map<string, number>();
    for (const id of ids) {
      const body = { event: 'user.updated', data: hrRecord(id, 'Senior Agent') };
      const statuses = await deliver(stack.api.url, signer, [body], 1);
      if (statuses['202'] !== 1) throw new Error(`latency: update not accepted: ${JSON.stringify(statuses)}`);
      acknowledgedAt.set(id, Date.now());
      await new Promise((resolve) => setTimeout(resolve, settings.gapMs));
    }
    await stack.probe.drained({ timeoutMs: 120_000, watch: stack.started });
    const writes = await writesByUserId(stack);
    return ids.map((id) => (writes.get(id) ?? Number.NaN) - (acknowledgedAt.get(id) ?? Number.NaN));
  } finally {
    await stack.stop();
  }
}

/**
 * Two workers at the default concurrency, a slow target, a backlog of cold creates; one worker SIGKILLed once some
 * are done, another started.
 */
async function measureCrashRecovery(
  group: ProcessGroup,
  redis: RedisHandle,
  settings: LatencySettings,
  options: { prefix: string; secret: string },
) {
  const stack = await startSyncStack(
    group,
    redis,
    { budgetPerMinute: settings.budgetPerMinute, latencyMs: 60, concurrency: 8 },
    { prefix: options.prefix, secret: options.secret, workers: 2, workerName: 'crash-worker' },
  );
  try {
    const ids = Array.from({ length: settings.crashPeople }, (_, i) => `CRASH-${i}`);
    const events = ids.map((id) => ({ event: 'user.created', data: hrRecord(id, 'Agent') }));
    const statuses = await deliver(stack.api.url, new Signer(options.secret, options.prefix), events, 8);
    if (statuses['202'] !== ids.length) {
      throw new Error(`crash recovery: expected every create answered 202, got ${JSON.stringify(statuses)}`);
    }
    while ((await stack.sim.admin.listUsers()).length < 10) await new Promise((r) => setTimeout(r, 50));
    const victim = stack.started.find((c) => c.name === 'crash-worker-1');
    const killedAt = Date.now();
    victim?.child.kill('SIGKILL');
    await victim?.exited;
    stack.started.push(
      await startWorkerProcess(group, 'crash-worker-3', {
        redis,
        prefix: options.prefix,
        sim: stack.sim,
        budgetPerMinute: settings.budgetPerMinute,
        concurrency: 8,
      }),
    );
    await stack.probe.drained({ timeoutMs: 120_000 });
    const creates = (await stack.sim.admin.requests()).filter((r) => r.method === 'POST' && r.status === 201);
    const present = new Set((await stack.sim.admin.listUsers()).map((u) => String(u.externalId)));
    return {
      recoveryMs: Math.max(...creates.map((r) => Date.parse(r.at) + r.durationMs)) - killedAt,
      lost: ids.filter((id) => !present.has(id)).length,
      duplicateCreates: creates.length - present.size,
    };
  } finally {
    await stack.stop();
  }
}

/** Webhook → applied latency under light load, and crash-recovery time. */
export async function runLatency(
  group: ProcessGroup,
  redis: RedisHandle,
  settings: LatencySettings,
  options: { prefix: string; secret: string; log: (line: string) => void },
): Promise<LatencyResult> {
  const latencies = (await measureLatency(group, redis, settings, options)).sort((a, b) => a - b);
  if (latencies.some(Number.isNaN)) throw new Error('latency: an update never reached the target');
  await redis.client.flushall();
  const crash = await measureCrashRecovery(group, redis, settings, {
    ...options,
    prefix: `${options.prefix}-crash`,
  });
  const result: LatencyResult = {
    samples: latencies.length,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    settleMs: settings.settleMs,
    crashRecoveryMs: crash.recoveryMs,
    crashLost: crash.lost,
    crashDuplicateCreates: crash.duplicateCreates,
  };
  const beyond = (ms: number) =>
    `${Math.round(ms)} ms (settle ${settings.settleMs} + ${Math.round(ms - settings.settleMs)})`;
  options.log(
    `  webhook → applied p50 ${beyond(result.p50Ms)}, p95 ${beyond(result.p95Ms)}, p99 ${beyond(result.p99Ms)}`,
  );
  options.log(
    `  crash recovery ${(crash.recoveryMs / 1000).toFixed(1)} s (lost ${crash.lost}, duplicate creates ${crash.duplicateCreates})`,
  );
  return result;
}

/** The bench table's rows for `result`, with the targets. */
export function latencyRows(result: LatencyResult | undefined): Row[] {
  if (!result) return [];
  const { settleMs } = result;
  const ms = (v: number) => `${Math.round(v)} ms`;
  return [
    {
      area: 'Latency',
      measurement: `webhook → applied p50 / p95 / p99 (light load, 40 ms target, settle window ${settleMs} ms)`,
      dirsync: `${ms(result.p50Ms)} / ${ms(result.p95Ms)} / ${ms(result.p99Ms)}`,
      baseline: `settle window: ${ms(settleMs)} of each`,
      ratio: `beyond the window: ${ms(result.p50Ms - settleMs)} / ${ms(result.p95Ms - settleMs)} / ${ms(result.p99Ms - settleMs)}`,
      target: 'p50 ≤ settle + 150 ms, p99 ≤ settle + 1 s',
      met: result.p50Ms <= settleMs + 150 && result.p99Ms <= settleMs + 1000,
    },
    {
      area: 'Crash recovery',
      measurement: 'worker SIGKILLed mid-batch: kill → last accepted event applied',
      dirsync: `${(result.crashRecoveryMs / 1000).toFixed(1)} s`,
      baseline: '65 s before (stalled check + 30 s person locks)',
      ratio: `lost ${result.crashLost}, duplicate creates ${result.crashDuplicateCreates}`,
      target: '≤ 15 s, nothing lost, no duplicate create',
      met: result.crashRecoveryMs <= 15_000 && result.crashLost === 0 && result.crashDuplicateCreates === 0,
    },
  ];
}
