import { Writable } from 'node:stream';
import { JOBS, QUEUES } from '@dirsync/contracts';
import { createLogger } from '@dirsync/core';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '@dirsync/genesys-sim';
import type { Report, ReportSummary } from '@dirsync/reports';
import { addSyncBatches, createSyncEngine, type SyncEngine } from '@dirsync/sync';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadWorkerConfig } from '../src/env.js';
import { type RunningWorker, startWorker } from '../src/worker.js';

/** Polls `probe` until `done` holds; throws with the last value after `timeoutMs`. */
export async function waitUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  options: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${options.what ?? 'a condition'}; last value: ${JSON.stringify(last)?.slice(0, 2000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
    last = await probe();
  }
  return last;
}

export interface HrEventInput {
  id?: string;
  event: 'user.created' | 'user.updated' | 'user.deactivated' | 'user.reactivated';
  occurredAt?: string;
  data: Record<string, unknown> & { externalId: string };
}

export function hr(externalId: string, extra: Record<string, unknown> = {}): HrEventInput['data'] {
  return {
    externalId,
    firstName: 'Test',
    lastName: externalId,
    workEmail: `${externalId.toLowerCase()}@example.com`,
    title: 'Agent',
    departmentCode: 'Support',
    role: 'agent',
    ...extra,
  };
}

export interface Stack {
  sim: RunningSimulator;
  /** The engine as the API uses it: ingests events and reads reports and status (the worker's edges are tested). */
  engine: SyncEngine;
  workers: RunningWorker[];
  redis: Redis;
  queue: Queue;
  logLines: string[];
  env: Record<string, string>;
  /** Records events and enqueues their sync triggers, as the ingest API does after a webhook. */
  send(events: HrEventInput | HrEventInput[]): Promise<void>;
  /** Waits until the sync queue has nothing waiting, delayed or active. */
  drained(timeoutMs?: number): Promise<void>;
  reports(): Promise<ReportSummary[]>;
  report(id: string): Promise<Report>;
  close(): Promise<void>;
}

export async function startStack(options: {
  redisUrl: string;
  prefix: string;
  sim?: SimulatorOptions;
  env?: Record<string, string>;
  workers?: number;
}): Promise<Stack> {
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = createLogger({ level: 'debug', stream });
  const sim = await startSimulator({ admin: true, rateLimitPerMinute: 100_000, ...options.sim });
  const env: Record<string, string> = {
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: options.prefix,
    GENESYS_BASE_URL: sim.url,
    GENESYS_LOGIN_URL: sim.url,
    GENESYS_CLIENT_ID: 'dirsync-local',
    GENESYS_CLIENT_SECRET: 'dirsync-local-secret',
    SCIM_RATE_LIMIT_PER_MINUTE: '100000',
    WORKER_METRICS_PORT: '0',
    QUARANTINE_PROBE_SECONDS: '1',
    // Write at once: most tests send one change and wait for it (the settle test sets its own).
    SYNC_SETTLE_MS: '0',
    SHUTDOWN_GRACE_SECONDS: '5',
    LOG_LEVEL: 'debug',
    ...options.env,
  };
  const engineRedis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const engine = await createSyncEngine({
    redis: engineRedis,
    prefix: options.prefix,
    target: { baseUrl: sim.url, loginUrl: sim.url, scimBasePath: '/api/v2/scim/v2' },
    requestsPerMinute: 100_000,
    reportRetentionDays: 30,
    userAgent: 'dirsync-test',
  });
  const workers: RunningWorker[] = [];
  for (let i = 0; i < (options.workers ?? 1); i++) {
    workers.push(
      await startWorker(loadWorkerConfig(env), { logger: logger.child({ worker: i }), name: `test-${i}` }),
    );
  }
  const redis = new Redis(options.redisUrl);
  const queueConnection = redis.duplicate();
  const queue = new Queue(QUEUES.sync, { connection: queueConnection, prefix: options.prefix });
  let delivery = 0;

  return {
    sim,
    engine,
    workers,
    redis,
    queue,
    logLines,
    env,
    async send(events) {
      const list = Array.isArray(events) ? events : [events];
      const now = Date.now();
      const statuses = await engine.people.ingest(
        list.map((e, index) => ({
          idempotencyKey: e.id ?? `msg-${options.prefix}-${++delivery}-${index}`,
          type: e.event,
          occurredAtMs: e.occurredAt ? Date.parse(e.occurredAt) : now,
          data: e.data,
        })),
        now,
      );
      const applied = statuses.filter((s) => s.status === 'applied').map((s) => s.externalId);
      await addSyncBatches(queue, applied, 'webhook');
    },
    async drained(timeoutMs = 30_000) {
      // The sweeper's next run is always scheduled (delayed): it does not count as work.
      await waitUntil(
        async () => {
          const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
          return jobs
            .filter((j) => j.name !== JOBS.sweep)
            .map(
              (j) =>
                `${j.name}:${JSON.stringify(j.data)}:delay=${j.delay}:made=${j.attemptsMade}:${j.failedReason ?? ''}`,
            );
        },
        (pending) => pending.length === 0,
        { timeoutMs, what: 'the sync queue to drain' },
      );
    },
    async reports() {
      return engine.reports.list({ limit: 500 });
    },
    async report(id) {
      const report = await engine.reports.get(id);
      if (!report) throw new Error(`no report ${id}`);
      return report;
    },
    async close() {
      await Promise.allSettled(workers.map((w) => w.close()));
      engine.close();
      engineRedis.disconnect();
      await queue.close();
      queueConnection.disconnect();
      redis.disconnect();
      await sim.close();
    },
  };
}
