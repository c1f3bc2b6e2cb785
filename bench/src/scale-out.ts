import type { ProcessGroup } from '@dirsync/harness';
import { deliver, Signer } from './hr-events.js';
import type { RedisHandle } from './processes.js';
import { type TargetActivity, TargetRecorder } from './request-log.js';
import { startSyncStack } from './stack.js';
import { userIds, WorkloadBuilder } from './workloads.js';

export interface ScaleOutSettings {
  users: number;
  budgetPerMinute: number;
  latencyMs: number;
  concurrency: number;
}

export interface ScaleOutRun {
  workers: number;
  users: number;
  /** From releasing the backlog to every person synced. */
  wallMs: number;
  usersPerSecond: number;
  target: TargetActivity;
  /** The simulator's own peak (all tokens together) over the run. */
  simMaxInAnyWindow: number;
  converged: number;
}

/**
 * Cold creates of `users` people with N worker processes against a slow target and a budget far above what the
 * workers can spend: throughput is bound by latency × in-flight requests, so it should grow with processes. The
 * backlog is queued while the queue is paused, then released, so start-up and intake are not timed.
 */
export async function runScaleOut(
  group: ProcessGroup,
  redis: RedisHandle,
  settings: ScaleOutSettings,
  workers: number,
  options: { prefix: string; secret: string },
): Promise<ScaleOutRun> {
  const { sim, api, probe, started, stop } = await startSyncStack(group, redis, settings, {
    prefix: options.prefix,
    secret: options.secret,
    workers: workers,
    workerName: 'scale-worker',
  });
  try {
    const builder = new WorkloadBuilder(options.prefix, userIds('HR', settings.users));
    const workload = builder.build('cold');
    await probe.queue.pause();
    const statuses = await deliver(api.url, new Signer(options.secret, options.prefix), workload.events, 16);
    if (statuses['202'] !== workload.events.length) {
      throw new Error(
        `scale-out intake: expected every delivery answered 202, got ${JSON.stringify(statuses)}`,
      );
    }
    const recorder = new TargetRecorder(sim.admin);
    await recorder.mark();
    const t0 = Date.now();
    await probe.queue.resume();
    const syncedAt = await probe.drained({ timeoutMs: 10 * 60_000, watch: started });
    const target = await recorder.collect();
    const counters = await sim.admin.counters();
    const users = await sim.admin.listUsers();
    const wallMs = syncedAt - t0;
    return {
      workers,
      users: settings.users,
      wallMs,
      usersPerSecond: settings.users / (wallMs / 1000),
      target,
      simMaxInAnyWindow: counters.maxRequestsInAnyWindow,
      converged: users.filter((u) => u.title === 'Agent').length,
    };
  } finally {
    await stop();
  }
}
