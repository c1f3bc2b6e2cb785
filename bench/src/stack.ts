import fs from 'node:fs';
import { JOBS, QUEUES } from '@dirsync/contracts';
import { SimAdminClient } from '@dirsync/genesys-sim';
import { findFreePort, httpOk, type ManagedProcess, type ProcessGroup, waitUntil } from '@dirsync/harness';
import { createKeys, type SyncKeys } from '@dirsync/sync';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type Child, peakRssBytes, type RedisHandle, sleep } from './processes.js';

export const CLIENT = { id: 'dirsync-local', secret: 'dirsync-local-secret' };

export interface SimProcess {
  child: Child;
  url: string;
  admin: SimAdminClient;
  limitPerMinute: number;
  latencyMs: number;
}

/** The Genesys simulator as its own process, with its `/__sim` routes on. */
export async function startSim(
  group: ProcessGroup,
  options: { limitPerMinute: number; latencyMs: number },
): Promise<SimProcess> {
  const port = await findFreePort();
  const child = group.spawnApp('sim', 'sim', {
    SIM_PORT: String(port),
    SIM_ADMIN: '1',
    SIM_RATE_LIMIT_PER_MINUTE: String(options.limitPerMinute),
    SIM_LATENCY_MS: String(options.latencyMs),
    GENESYS_CLIENT_ID: CLIENT.id,
    GENESYS_CLIENT_SECRET: CLIENT.secret,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, `${url}/healthz`, 'the simulator to listen');
  return { child, url, admin: new SimAdminClient(url), ...options };
}

export interface ApiProcess {
  child: Child;
  url: string;
}

export async function startApi(
  group: ProcessGroup,
  options: { redis: RedisHandle; prefix: string; secret?: string; budgetPerMinute?: number },
): Promise<ApiProcess> {
  const port = await findFreePort();
  const env: Record<string, string> = {
    PORT: String(port),
    REDIS_URL: options.redis.url,
    QUEUE_PREFIX: options.prefix,
    SCIM_RATE_LIMIT_PER_MINUTE: String(options.budgetPerMinute ?? 300),
    // Loopback-only admin routes are fine for a bench; production would set credentials.
  };
  if (options.secret) env.WEBHOOK_SECRET = options.secret;
  const child = group.spawnApp('api', 'api', env);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, `${url}/readyz`, 'the ingest API to be ready');
  return { child, url };
}

export interface WorkerOptions {
  redis: RedisHandle;
  prefix: string;
  sim: SimProcess;
  budgetPerMinute: number;
  concurrency?: number;
}

export async function startWorkerProcess(
  group: ProcessGroup,
  name: string,
  options: WorkerOptions,
): Promise<Child> {
  const metricsPort = await findFreePort();
  const child = group.spawnApp(name, 'worker', {
    REDIS_URL: options.redis.url,
    QUEUE_PREFIX: options.prefix,
    GENESYS_BASE_URL: options.sim.url,
    GENESYS_LOGIN_URL: options.sim.url,
    GENESYS_CLIENT_ID: CLIENT.id,
    GENESYS_CLIENT_SECRET: CLIENT.secret,
    SCIM_RATE_LIMIT_PER_MINUTE: String(options.budgetPerMinute),
    SYNC_CONCURRENCY: String(options.concurrency ?? 8),
    // Metrics on a free port: its /healthz tells the bench the worker is consuming.
    WORKER_METRICS_PORT: String(metricsPort),
  });
  await waitUntilReady(child, `http://127.0.0.1:${metricsPort}/healthz`, `${name} to start`);
  return child;
}

/** Waits until `url` answers 2xx; fails at once, with its last output, if the process exits. */
function waitUntilReady(child: ManagedProcess, url: string, what: string): Promise<boolean> {
  return waitUntil(() => httpOk(url), Boolean, {
    what,
    timeoutMs: 30_000,
    failed: () => (child.running ? undefined : child.tail()),
  });
}

/** The bench's own view of a prefix's queue and person states: when is everything synced? */
export class SyncProbe {
  readonly queue: Queue;
  private readonly connection: Redis;
  private readonly keys: SyncKeys;

  constructor(
    private readonly redis: RedisHandle,
    readonly prefix: string,
  ) {
    this.keys = createKeys(prefix);
    this.connection = redis.client.duplicate();
    this.connection.on('error', () => {});
    this.queue = new Queue(QUEUES.sync, { connection: this.connection, prefix });
    this.queue.on('error', () => {});
  }

  /** People with an HR change not yet applied to the target. */
  pendingPeople(): Promise<number> {
    return this.redis.client.zcard(this.keys.pending);
  }

  /** Sync jobs waiting, running or retrying (the sweeper's scheduled run does not count). */
  async openJobs(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
    const open = Object.values(counts).reduce((a, b) => a + b, 0);
    const delayed = await this.queue.getDelayed();
    return open + delayed.filter((j) => j.name !== JOBS.sweep).length;
  }

  async failedJobs(): Promise<number> {
    return (await this.queue.getJobCounts('failed')).failed ?? 0;
  }

  /**
   * Waits until every person is synced (resolving with that moment, epoch ms) and then until no job is left, so
   * the next workload starts clean. Throws after `timeoutMs`, or when a watched process dies.
   */
  async drained(options: { timeoutMs: number; watch?: Child[] }): Promise<number> {
    const deadline = Date.now() + options.timeoutMs;
    const check = () => {
      for (const c of options.watch ?? []) c.assertRunning();
      if (Date.now() > deadline)
        throw new Error(`timed out after ${options.timeoutMs} ms waiting for the sync`);
    };
    while ((await this.pendingPeople()) > 0) {
      check();
      await sleep(25);
    }
    const syncedAt = Date.now();
    while ((await this.openJobs()) > 0) {
      check();
      await sleep(100);
    }
    return syncedAt;
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}

/** Current RSS of a child process, in MB. */
export function rssMb(child: Child): number {
  const pid = child.child.pid;
  if (pid === undefined) throw new Error(`${child.name} has no pid`);
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? Number.NaN) / 1024;
}

/** Peak RSS of a child process, in MB. */
export function peakRssMb(child: Child): number {
  const pid = child.child.pid;
  if (pid === undefined) throw new Error(`${child.name} has no pid`);
  return peakRssBytes(pid) / (1024 * 1024);
}

export interface SyncStack {
  sim: SimProcess;
  api: ApiProcess;
  probe: SyncProbe;
  /** Every process started, in order (the simulator first). */
  started: Child[];
  /** Stops the processes, newest first, and closes the probe. */
  stop(): Promise<void>;
}

/** The simulator (limit = budget), the ingest API and `workers` worker processes, as operators run them. */
export async function startSyncStack(
  group: ProcessGroup,
  redis: RedisHandle,
  settings: { budgetPerMinute: number; latencyMs: number; concurrency: number },
  options: { prefix: string; secret: string; workers: number; workerName: string },
): Promise<SyncStack> {
  const sim = await startSim(group, {
    limitPerMinute: settings.budgetPerMinute,
    latencyMs: settings.latencyMs,
  });
  const started: Child[] = [sim.child];
  const probe = new SyncProbe(redis, options.prefix);
  const stop = async () => {
    await probe.close();
    for (const child of [...started].reverse()) await group.stop(child);
  };
  try {
    const api = await startApi(group, {
      redis,
      prefix: options.prefix,
      secret: options.secret,
      budgetPerMinute: settings.budgetPerMinute,
    });
    started.push(api.child);
    for (let i = 0; i < options.workers; i++) {
      started.push(
        await startWorkerProcess(group, `${options.workerName}-${i + 1}`, {
          redis,
          prefix: options.prefix,
          sim,
          budgetPerMinute: settings.budgetPerMinute,
          concurrency: settings.concurrency,
        }),
      );
    }
    return { sim, api, probe, started, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
