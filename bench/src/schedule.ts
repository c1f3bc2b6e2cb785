import type { ProcessGroup } from '@dirsync/harness';
import { createKeys } from '@dirsync/sync';
import { batches, deliver, type HrEvent, hrRecord, Signer } from './hr-events.js';
import { type Child, type RedisHandle, sleep } from './processes.js';
import { type SimProcess, SyncProbe, startApi, startSim, startWorkerProcess } from './stack.js';

export interface ScheduleSettings {
  /** Pending scheduled changes measured for memory. */
  pending: number;
  /** Of them, terminations falling due within `windowSeconds`. */
  due: number;
  windowSeconds: number;
  budgetPerMinute: number;
}

export interface ScheduleResult {
  pending: number;
  /** MEMORY USAGE summed over the schedule's keys with every change pending. */
  scheduleBytes: number;
  due: number;
  /** Per due termination: when it was applied to the target after its effective time (ms). */
  maxLagMs: number;
  p95LagMs: number;
  applied: number;
}

/** Sums MEMORY USAGE over the schedule's keys (the due ZSET and every person's change sets). */
async function scheduleBytes(redis: RedisHandle, prefix: string): Promise<number> {
  let total = Number(await redis.client.memory('USAGE', createKeys(prefix).scheduleDue)) || 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.client.scan(cursor, 'MATCH', `${prefix}:sched:*`, 'COUNT', 1000);
    cursor = next;
    const pipe = redis.client.pipeline();
    for (const key of keys) pipe.memory('USAGE', key);
    for (const [, bytes] of (await pipe.exec()) ?? []) total += Number(bytes) || 0;
  } while (cursor !== '0');
  return total;
}

function event(id: string, type: HrEvent['event'], data: HrEvent['data'], effectiveAt?: number) {
  const e: HrEvent & { effectiveAt?: string } = {
    id,
    event: type,
    occurredAt: new Date().toISOString(),
    data,
  };
  if (effectiveAt !== undefined) e.effectiveAt = new Date(effectiveAt).toISOString();
  return e;
}

/** Polls the target until every due termination shows inactive; returns when each was first seen so. */
async function watchTerminations(
  sim: SimProcess,
  ids: readonly string[],
  deadline: number,
  watch: Child[],
): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  while (seen.size < ids.length && Date.now() < deadline) {
    for (const c of watch) c.assertRunning();
    const users = await sim.admin.listUsers();
    const now = Date.now();
    for (const u of users) {
      const ext = u.externalId;
      if (ext && u.active === false && !seen.has(ext)) seen.set(ext, now);
    }
    await sleep(250);
  }
  return seen;
}

/**
 * `pending` future-dated changes go in through the API (most of them future hires a day ahead, `due` of them
 * terminations of existing users falling due across one window); the schedule's Redis footprint is measured, then
 * a worker applies the terminations at a 6,000/min budget and each one's lag behind its effective time is taken.
 */
export async function runSchedule(
  group: ProcessGroup,
  redis: RedisHandle,
  settings: ScheduleSettings,
  options: { prefix: string; secret: string; log?: (m: string) => void },
): Promise<ScheduleResult> {
  const log = options.log ?? (() => {});
  const { prefix } = options;
  const started: Child[] = [];
  const probe = new SyncProbe(redis, prefix);
  try {
    const sim = await startSim(group, { limitPerMinute: settings.budgetPerMinute * 2, latencyMs: 0 });
    started.push(sim.child);
    const api = await startApi(group, {
      redis,
      prefix,
      secret: options.secret,
      budgetPerMinute: settings.budgetPerMinute,
    });
    started.push(api.child);
    const worker = await startWorkerProcess(group, 'schedule-worker', {
      redis,
      prefix,
      sim,
      budgetPerMinute: settings.budgetPerMinute,
    });
    started.push(worker);
    const signer = new Signer(options.secret, prefix);
    const leaving = Array.from({ length: settings.due }, (_, i) => `HR${i + 1}`);
    await deliver(
      api.url,
      signer,
      batches(
        leaving.map((id) => event(`hire-${id}`, 'user.created', hrRecord(id, 'Agent'))),
        100,
      ),
    );
    await probe.drained({ timeoutMs: 180_000, watch: started });
    log(`  ${settings.due} users created`);

    const windowStart = Date.now() + 20_000;
    const step = (settings.windowSeconds * 1000) / settings.due;
    const dueAt = new Map(leaving.map((id, i) => [id, Math.round(windowStart + i * step)]));
    const future: HrEvent[] = leaving.map((id) =>
      event(`leave-${id}`, 'user.deactivated', { externalId: id }, dueAt.get(id)),
    );
    for (let i = settings.due; i < settings.pending; i++) {
      const id = `HR${i + 1}`;
      future.push(event(`new-${id}`, 'user.created', hrRecord(id, 'Agent'), Date.now() + 86_400_000));
    }
    const statuses = await deliver(api.url, signer, batches(future, 100));
    const bytes = await scheduleBytes(redis, prefix);
    log(
      `  ${settings.pending} pending changes: ${(bytes / 1024 / 1024).toFixed(2)} MB of Redis (${JSON.stringify(statuses)})`,
    );
    if (Date.now() > windowStart)
      log('  warning: delivering took longer than the lead time; lags include it');

    const seen = await watchTerminations(
      sim,
      leaving,
      windowStart + settings.windowSeconds * 1000 + 120_000,
      started,
    );
    const lags = leaving
      .map((id) => (seen.get(id) ?? Number.POSITIVE_INFINITY) - (dueAt.get(id) ?? 0))
      .sort((a, b) => a - b);
    const result: ScheduleResult = {
      pending: settings.pending,
      scheduleBytes: bytes,
      due: settings.due,
      applied: seen.size,
      maxLagMs: lags.at(-1) ?? 0,
      p95LagMs: lags[Math.floor(lags.length * 0.95)] ?? 0,
    };
    log(
      `  ${seen.size}/${settings.due} terminations applied; lag behind effective time p95 ${(result.p95LagMs / 1000).toFixed(1)} s, max ${(result.maxLagMs / 1000).toFixed(1)} s`,
    );
    return result;
  } finally {
    await probe.close();
    for (const child of started.reverse()) await group.stop(child);
  }
}
