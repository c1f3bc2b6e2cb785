import { Writable } from 'node:stream';
import { JOBS, QUEUES } from '@dirsync/contracts';
import { createLogger } from '@dirsync/core';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '@dirsync/genesys-sim';
import { createPreview, loadIngestConfig, type RunningIngestApi, startIngestApi } from '@dirsync/ingest-api';
import type { Report, ReportSummary } from '@dirsync/reports';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { loadWorkerConfig } from '../src/env.js';
import { type RunningWorker, startWorker } from '../src/worker.js';

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ADMIN = { user: 'ops', password: 'stack-test-password' };
const basic = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;

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
  api: RunningIngestApi;
  workers: RunningWorker[];
  redis: Redis;
  queue: Queue;
  logLines: string[];
  env: Record<string, string>;
  /** Sends events signed as a real HR system would; returns the API's answer. */
  send(events: HrEventInput | HrEventInput[]): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Waits until the sync queue has nothing waiting, delayed or active. */
  drained(timeoutMs?: number): Promise<void>;
  reports(): Promise<ReportSummary[]>;
  report(id: string): Promise<Report>;
  /** An authenticated admin request. */
  admin(path: string, init?: RequestInit): Promise<Response>;
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
    WEBHOOK_SECRET: SECRET,
    ADMIN_USER: ADMIN.user,
    ADMIN_PASSWORD: ADMIN.password,
    QUARANTINE_PROBE_SECONDS: '1',
    // Write at once: most tests send one change and wait for it (the settle test sets its own).
    SYNC_SETTLE_MS: '0',
    SHUTDOWN_GRACE_SECONDS: '5',
    LOG_LEVEL: 'debug',
    ...options.env,
  };
  const api = await startIngestApi(loadIngestConfig(env), {
    port: 0,
    host: '127.0.0.1',
    logger,
    createPreview,
  });
  const workers: RunningWorker[] = [];
  for (let i = 0; i < (options.workers ?? 1); i++) {
    workers.push(
      await startWorker(loadWorkerConfig(env), { logger: logger.child({ worker: i }), name: `test-${i}` }),
    );
  }
  const redis = new Redis(options.redisUrl);
  const queue = new Queue(QUEUES.sync, { connection: redis.duplicate(), prefix: options.prefix });
  const hook = new Webhook(SECRET);
  let delivery = 0;

  return {
    sim,
    api,
    workers,
    redis,
    queue,
    logLines,
    env,
    async send(events) {
      const body = JSON.stringify(Array.isArray(events) ? { events } : events);
      const id = `msg-${options.prefix}-${++delivery}`;
      const at = new Date();
      const res = await fetch(`${api.url}/webhooks/directory-sync`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': hook.sign(id, at, body),
        },
        body,
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
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
      const res = await fetch(`${api.url}/admin/reports?limit=500`, { headers: { authorization: basic } });
      return ((await res.json()) as { reports: ReportSummary[] }).reports;
    },
    admin(path, init = {}) {
      return fetch(`${api.url}${path}`, {
        ...init,
        headers: { authorization: basic, 'content-type': 'application/json', ...(init.headers ?? {}) },
      });
    },
    async report(id) {
      const res = await fetch(`${api.url}/admin/reports/${id}`, { headers: { authorization: basic } });
      return (await res.json()) as Report;
    },
    async close() {
      await Promise.allSettled(workers.map((w) => w.close()));
      await api.close();
      await queue.close();
      redis.disconnect();
      await sim.close();
    },
  };
}
