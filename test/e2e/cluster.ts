import { JOBS, QUEUES } from '@dirsync/contracts';
import { SimAdminClient } from '@dirsync/genesys-sim';
import {
  type ExitRecord,
  findFreePort,
  httpOk,
  type ManagedProcess,
  ProcessGroup,
  type RedisServer,
  waitForRedis,
  waitUntil,
} from '@dirsync/harness';
import { Queue } from 'bullmq';
import { type Cluster as IoCluster, Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { expect } from 'vitest';

export { waitUntil };

export const SECRET = 'whsec_ZTJlLXN1aXRlLXNlY3JldC1mb3Itc2lnbmluZy13ZWJob29rcw==';
export const ADMIN = { user: 'e2e-ops', password: 'e2e-admin-password-7f3a' };
export const CLIENT = { id: 'dirsync-local', secret: 'dirsync-local-secret' };

export interface HrEvent {
  id?: string;
  event: 'user.created' | 'user.updated' | 'user.deactivated' | 'user.reactivated';
  occurredAt?: string;
  data: Record<string, unknown> & { externalId: string };
}

export function hr(externalId: string, extra: Record<string, unknown> = {}): HrEvent['data'] {
  return {
    externalId,
    firstName: 'Pat',
    lastName: `Person${externalId}`,
    workEmail: `${externalId.toLowerCase()}@example.org`,
    title: 'Agent',
    departmentCode: 'Support',
    role: 'agent',
    phone: '+15555550123',
    ...extra,
  };
}

export interface ClusterOptions {
  workers?: number;
  budgetPerMinute?: number;
  simLimitPerMinute?: number;
  simLatencyMs?: number;
  /** Extra environment for the workers. */
  workerEnv?: Record<string, string>;
  /** Extra environment for the APIs. */
  apiEnv?: Record<string, string>;
  /** Ingest API instances (default 1); `send` spreads deliveries across them in turn. */
  apis?: number;
  /** `QUEUE_PREFIX` (default a random one); e.g. with a hash tag for Redis Cluster. */
  prefix?: string;
  /**
   * A Redis the test started (Sentinel, Cluster): the variables that point the apps at it and a client for the
   * test's own checks. Default: a private redis-server with AOF (fsync always).
   */
  redis?: { env: Record<string, string>; connect: () => Redis | IoCluster };
}

/**
 * The real apps as separate processes: a private redis-server with AOF (fsync always), the simulator, the ingest
 * API and N workers, all configured only by their environment, as an operator runs them.
 */
export class Cluster {
  /** Every process of the cluster, their output kept as lines (apps log at debug). */
  readonly group = new ProcessGroup({ output: 'memory', appEnv: { LOG_LEVEL: 'debug' } });
  prefix = `e2e-${Math.random().toString(36).slice(2, 10)}`;
  readonly workers: ManagedProcess[] = [];
  /** The private redis-server, unless the test brought its own Redis. */
  redis!: RedisServer;
  /** The first ingest API; `apis` holds every one. */
  api!: ManagedProcess;
  readonly apis: { process: ManagedProcess; url: string }[] = [];
  sim!: ManagedProcess;
  apiUrl = '';
  simUrl = '';
  simAdmin!: SimAdminClient;
  /** The environment every worker gets. */
  workerEnv: Record<string, string> = {};
  private client!: Redis | IoCluster;
  private queue!: Queue;
  private readonly hook = new Webhook(SECRET);
  private deliveries = 0;

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const cluster = new Cluster();
    try {
      await cluster.boot(options);
    } catch (error) {
      await cluster.stop().catch(() => {});
      throw error;
    }
    return cluster;
  }

  private async boot(options: ClusterOptions): Promise<void> {
    if (options.prefix) this.prefix = options.prefix;
    let redisEnv: Record<string, string>;
    if (options.redis) {
      redisEnv = options.redis.env;
      this.client = options.redis.connect();
    } else {
      this.redis = await this.group.startRedis({ appendOnly: 'always' });
      redisEnv = { REDIS_URL: this.redis.url };
      this.client = new Redis(this.redis.url, { maxRetriesPerRequest: null });
    }
    this.client.on('error', () => {});
    const simPort = await findFreePort();
    this.simUrl = `http://127.0.0.1:${simPort}`;
    this.sim = this.group.spawnApp('sim', 'sim', {
      SIM_PORT: String(simPort),
      SIM_ADMIN: '1',
      SIM_RATE_LIMIT_PER_MINUTE: String(options.simLimitPerMinute ?? 100_000),
      SIM_LATENCY_MS: String(options.simLatencyMs ?? 0),
      GENESYS_CLIENT_ID: CLIENT.id,
      GENESYS_CLIENT_SECRET: CLIENT.secret,
    });
    await this.waitReady(this.sim, `${this.simUrl}/healthz`);
    this.simAdmin = new SimAdminClient(this.simUrl);

    const common = {
      ...redisEnv,
      QUEUE_PREFIX: this.prefix,
      GENESYS_BASE_URL: this.simUrl,
      GENESYS_LOGIN_URL: this.simUrl,
      GENESYS_CLIENT_ID: CLIENT.id,
      GENESYS_CLIENT_SECRET: CLIENT.secret,
      SCIM_RATE_LIMIT_PER_MINUTE: String(options.budgetPerMinute ?? 100_000),
    };
    for (let i = 0; i < (options.apis ?? 1); i++) {
      const apiPort = await findFreePort();
      const url = `http://127.0.0.1:${apiPort}`;
      const api = this.group.spawnApp(i === 0 ? 'api' : `api-${i}`, 'api', {
        ...common,
        PORT: String(apiPort),
        WEBHOOK_SECRET: SECRET,
        ADMIN_USER: ADMIN.user,
        ADMIN_PASSWORD: ADMIN.password,
        ...options.apiEnv,
      });
      this.apis.push({ process: api, url });
    }
    const [first] = this.apis;
    if (!first) throw new Error('at least one API');
    this.api = first.process;
    this.apiUrl = first.url;
    this.workerEnv = {
      ...common,
      QUARANTINE_PROBE_SECONDS: '1',
      JOB_LOCK_SECONDS: '5',
      SWEEP_INTERVAL_SECONDS: '2',
      SWEEP_STALE_SECONDS: '30',
      SHUTDOWN_GRACE_SECONDS: '5',
      ...options.workerEnv,
    };
    for (let i = 0; i < (options.workers ?? 2); i++) await this.startWorker();
    for (const api of this.apis) await this.waitReady(api.process, `${api.url}/readyz`);
    this.queue = new Queue(QUEUES.sync, { connection: this.client, prefix: this.prefix });
    this.queue.on('error', () => {});
  }

  private async waitReady(app: ManagedProcess, url: string): Promise<void> {
    await waitUntil(() => httpOk(url), Boolean, {
      what: `${app.name} to be ready`,
      timeoutMs: 30_000,
      failed: () => (app.running ? undefined : `exited:\n${app.tail()}`),
    });
  }

  /** Starts one more worker process and waits until it consumes. */
  async startWorker(extraEnv: Record<string, string> = {}): Promise<ManagedProcess> {
    const port = await findFreePort();
    const worker = this.group.spawnApp(`worker-${this.workers.length}`, 'worker', {
      ...this.workerEnv,
      WORKER_METRICS_PORT: String(port),
      ...extraEnv,
    });
    this.workers.push(worker);
    await waitUntil(async () => worker.lines.some((l) => l.includes('worker started')), Boolean, {
      what: `${worker.name} to start`,
      timeoutMs: 30_000,
      failed: () => (worker.running ? undefined : `exited:\n${worker.tail()}`),
    });
    return worker;
  }

  /** Signs and posts a delivery; network failures come back as status 0. */
  async send(events: HrEvent | HrEvent[], options: { id?: string } = {}) {
    const body = JSON.stringify(Array.isArray(events) ? { events } : events);
    const id = options.id ?? `${this.prefix}-d${this.deliveries + 1}`;
    // In turn across the APIs: every instance takes its share.
    const api = this.apis[this.deliveries++ % this.apis.length];
    const at = new Date();
    try {
      const res = await fetch(`${api?.url ?? this.apiUrl}/webhooks/directory-sync`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': this.hook.sign(id, at, body),
        },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      return {
        id,
        status: res.status,
        body: (await res.json().catch(() => ({}))) as Record<string, unknown>,
      };
    } catch {
      return { id, status: 0, body: {} };
    }
  }

  admin(pathname: string, init: RequestInit = {}, credentials = ADMIN): Promise<Response> {
    return fetch(`${this.apiUrl}${pathname}`, {
      ...init,
      headers: {
        authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
  }

  /** Waits until no sync work is queued, running, or pending in Redis. */
  async drained(timeoutMs = 120_000): Promise<void> {
    await waitUntil(
      async () => {
        const jobs = await this.queue.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
        const work = jobs.filter((j) => j.name !== JOBS.sweep).length;
        const pending = await this.client.zcard(`${this.prefix}:pending`);
        return work + pending;
      },
      (n) => n === 0,
      { what: 'the sync to drain', timeoutMs, intervalMs: 250 },
    );
  }

  get syncQueue(): Queue {
    return this.queue;
  }

  get redisClient(): Redis | IoCluster {
    return this.client;
  }

  /** Every log line of every process so far. */
  allLogLines(): string[] {
    return this.group.processes.flatMap((p) => p.lines);
  }

  async restartRedis(downMs: number, duringDown?: () => Promise<void>): Promise<void> {
    await this.redis.stop('SIGKILL');
    const until = Date.now() + downMs;
    await duringDown?.();
    const left = until - Date.now();
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    await this.redis.startProcess();
    await waitForRedis(this.redis.url);
  }

  /**
   * Log lines that carry a secret, a signature, a token or a personal field. `personal` lists values the test
   * sent that must never appear (names, e-mail addresses, phone numbers).
   */
  findLeaks(personal: readonly string[] = []): string[] {
    const forbidden = [SECRET, SECRET.slice('whsec_'.length), ADMIN.password, CLIENT.secret, ...personal];
    const patterns = [
      /v1,[A-Za-z0-9+/]{20,}={0,2}/,
      /Bearer (?!\[redacted\])[A-Za-z0-9._~+/-]{8,}/i,
      /"access_token"/,
    ];
    return this.allLogLines().filter(
      (line) => forbidden.some((value) => line.includes(value)) || patterns.some((p) => p.test(line)),
    );
  }

  /** SIGTERM everything (apps, then the simulator, Redis last); returns each process's exit. */
  async stop(): Promise<ExitRecord[]> {
    await this.queue?.close().catch(() => {});
    this.client?.disconnect();
    await this.group.stopAll();
    return this.group.exits;
  }
}

/** Personal values every `hr()` record carries; none may reach a log line. */
export const HR_PERSONAL = ['@example.org', '+15555550123'];

/**
 * Stops the cluster and checks what every end-to-end run must hold: each app shut down cleanly on SIGTERM
 * (exit 0; processes a test killed on purpose excepted) and no log line of any process leaked a secret, a
 * signature, a token or a personal field.
 */
export async function stopAndCheck(
  cluster: Cluster | undefined,
  personal: readonly string[] = [],
): Promise<void> {
  if (!cluster) return;
  // Stop first: every process has then flushed its last line.
  const exits = await cluster.stop();
  const leaks = cluster.findLeaks([...HR_PERSONAL, ...personal]);
  expect(leaks).toEqual([]);
  expect(exits.filter((e) => e.signal === null && e.code !== 0)).toEqual([]);
}
