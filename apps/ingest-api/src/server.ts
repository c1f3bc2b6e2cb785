import type { AddressInfo } from 'node:net';
import { QUEUES, type ReconcileJob } from '@dirsync/contracts';
import {
  ConfigError,
  createLogger,
  createRedisClient,
  type Logger,
  type RedisClient,
  type RedisTopology,
  redactString,
} from '@dirsync/core';
import { createSyncEngine, createSyncQueue, type SyncEngine } from '@dirsync/sync';
import { Queue } from 'bullmq';
import { createApp } from './app.js';
import type { AuthThrottle } from './auth-throttle.js';
import { apiEngineSettings } from './engine-settings.js';
import { readStatus, watchQuarantine } from './engine-status.js';
import type { IngestConfig } from './env.js';
import { createIndexTrigger } from './index-trigger.js';
import { IngestService } from './ingest-service.js';
import { chooseListenHost, listen } from './listen.js';
import { createApiMetrics } from './metrics.js';
import { createReconcileTrigger } from './reconcile-trigger.js';
import { ReplicaAck } from './replica-ack.js';
import type { PreviewEvent } from './routes/admin.js';
import { listScheduled } from './scheduled-listing.js';
import type { AddTriggers } from './trigger-group-commit.js';
import { SignatureVerifier } from './webhook-signature.js';

export interface RunningIngestApi {
  url: string;
  port: number;
  /** The interface it listens on. */
  host: string;
  /** Stops accepting, lets in-flight requests finish, then closes Redis. */
  close(): Promise<void>;
}

/** The variable that chose `topology` and where it points (passwords redacted), for start-up errors. */
function describeTopology(topology: RedisTopology): { variable: string; where: string } {
  const list = (nodes: { host: string; port: number }[]) => nodes.map((n) => `${n.host}:${n.port}`).join(',');
  switch (topology.kind) {
    case 'standalone':
      return { variable: 'REDIS_URL', where: redactString(topology.url) };
    case 'sentinel':
      return {
        variable: 'REDIS_SENTINELS',
        where: `${list(topology.sentinels)} (master ${topology.masterName})`,
      };
    case 'cluster':
      return { variable: 'REDIS_CLUSTER_NODES', where: list(topology.nodes) };
  }
}

/** Resolves when every client is connected; rejects naming the Redis variable after `timeoutMs`. */
async function waitUntilReady(
  clients: RedisClient[],
  topology: RedisTopology,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const client of clients) {
    while (client.status !== 'ready') {
      if (Date.now() > deadline) {
        const { variable, where } = describeTopology(topology);
        throw new ConfigError([
          { variable, problem: `nothing answers at ${where} (waited ${timeoutMs / 1000} s)` },
        ]);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface StartOptions {
  /** How long start-up waits for Redis before giving up (default 30 s). */
  redisWaitMs?: number;
  logger?: Logger;
  /** Overrides PORT (0: a free port). */
  port?: number;
  /** The interface to listen on (default all); loopback regardless while webhooks or admin routes lack secrets. */
  host?: string;
  /** Overrides REQUEST_TIMEOUT_SECONDS (tests use a short one). */
  requestTimeoutMs?: number;
  /** Backoff for failed admin sign-ins (default: a fresh one, in this process's memory). */
  authThrottle?: AuthThrottle;
  /** Stores sync triggers instead of the API's own queue (tests store them on a connection they break). */
  addTriggers?: AddTriggers;
}

/** The queues the API adds to, on their own fail-fast connection; waits until Redis answers. */
async function openQueues(config: IngestConfig, redis: RedisClient, logger: Logger, options: StartOptions) {
  const queueConnection = createRedisClient(config.redisTopology, {
    connectionName: 'dirsync-api-queue',
    failFast: true,
  });
  queueConnection.on('error', () => {});
  // BullMQ checks the server once, when the queue is created: Redis must answer by then.
  await waitUntilReady([redis, queueConnection], config.redisTopology, options.redisWaitMs ?? 30_000);
  const queueOptions = {
    connection: queueConnection,
    prefix: config.QUEUE_PREFIX,
    skipWaitingForReady: true,
  };
  const syncQueue = createSyncQueue(queueOptions);
  const reconcileQueue = new Queue<ReconcileJob>(QUEUES.reconcile, queueOptions);
  const indexQueue = new Queue(QUEUES.directoryIndex, queueOptions);
  syncQueue.on('error', (error) => logger.warn('sync queue error', { err: error }));
  reconcileQueue.on('error', (error) => logger.warn('reconcile queue error', { err: error }));
  indexQueue.on('error', (error) => logger.warn('directory index queue error', { err: error }));
  return { queueConnection, syncQueue, reconcileQueue, indexQueue };
}

/** The dashboard's queues; the sync queue's line says when the sync is quarantined. */
function dashboardQueues(
  syncQueue: Queue,
  reconcileQueue: Queue,
  indexQueue: Queue,
  quarantineNote: () => string,
) {
  return [
    {
      queue: syncQueue,
      displayName: 'sync',
      describe: () => quarantineNote() || 'Per-person sync batches and retries',
    },
    { queue: reconcileQueue, displayName: 'reconcile', describe: () => 'Reconcile runs against HR_SNAPSHOT' },
    {
      queue: indexQueue,
      displayName: 'directory index',
      describe: () => 'Directory index builds (progress: users read, pages)',
    },
  ];
}

/** REDIS_MIN_REPLICAS_ACK=0 adds nothing to the hot path; above it, webhooks write and wait on lanes of their own. */
async function openReplicaAck(
  config: IngestConfig,
  logger: Logger,
  options: StartOptions,
  engine: Pick<SyncEngine, 'people' | 'schedule'>,
): Promise<ReplicaAck | undefined> {
  if (config.REDIS_MIN_REPLICAS_ACK === 0) return undefined;
  return ReplicaAck.open({
    topology: config.redisTopology,
    prefix: config.QUEUE_PREFIX,
    replicas: config.REDIS_MIN_REPLICAS_ACK,
    onError: (error) => logger.warn('redis connection error', { err: error }),
    waitReady: (clients) => waitUntilReady(clients, config.redisTopology, options.redisWaitMs ?? 30_000),
    // Each lane writes with the API's own stores (kept HR fields, schedule) over the lane's connection.
    createService: (connection, queue) =>
      new IngestService({
        people: engine.people.onConnection(connection),
        queue,
        schedule: engine.schedule.onConnection(connection),
      }),
  });
}

/** Says which doors are open to loopback clients only, for want of a secret. */
function warnOfLoopbackOnlyDoors(config: IngestConfig, verifier: SignatureVerifier, logger: Logger): void {
  if (!verifier.enabled) {
    logger.warn(
      'WEBHOOK_SECRET is not set and ALLOW_UNSIGNED_WEBHOOKS=1: unsigned webhooks are accepted, from loopback only',
    );
  }
  if (!config.ADMIN_USER) {
    logger.warn(
      'ADMIN_USER/ADMIN_PASSWORD are not set: admin routes and the dashboard answer loopback clients only',
    );
  }
}

/** Starts the ingest API: connects Redis, builds the app, listens. */
export async function startIngestApi(
  config: IngestConfig,
  options: StartOptions = {},
): Promise<RunningIngestApi> {
  const logger =
    options.logger ?? createLogger({ level: config.LOG_LEVEL, defaultMeta: { service: 'ingest-api' } });
  // Fail fast: a webhook must get a 503 when Redis is away, never hang or be buffered in memory.
  const redis = createRedisClient(config.redisTopology, { connectionName: 'dirsync-api', failFast: true });
  redis.on('error', (error) => logger.warn('redis connection error', { err: error }));
  const { queueConnection, syncQueue, reconcileQueue, indexQueue } = await openQueues(
    config,
    redis,
    logger,
    options,
  );

  // The API's engine ingests, previews and reads status; it never syncs (a bad mapping or policy stops start-up).
  const engine = await createSyncEngine(apiEngineSettings(config, redis, logger));
  const { people, health, reports } = engine;
  const metrics = createApiMetrics([syncQueue, reconcileQueue]);
  const verifier = new SignatureVerifier(config.WEBHOOK_SECRET ?? []);
  warnOfLoopbackOnlyDoors(config, verifier, logger);
  const quarantine = await watchQuarantine(health);
  const replicaAck = await openReplicaAck(config, logger, options, engine);
  const startReconcile = createReconcileTrigger(config, reconcileQueue, reports);

  // Preview reads the target: without credentials there is nothing to read.
  const preview: PreviewEvent | undefined = config.GENESYS_CLIENT_ID
    ? (event) => engine.preview(event)
    : undefined;
  const app = createApp({
    logger,
    redis,
    queues: dashboardQueues(syncQueue, reconcileQueue, indexQueue, quarantine.note),
    ingest:
      replicaAck ??
      new IngestService({
        people,
        queue: syncQueue,
        schedule: engine.schedule,
        addTriggers: options.addTriggers,
      }),
    timeZone: config.HR_TIMEZONE,
    scheduled: (options) => listScheduled(engine.schedule, options),
    reports,
    verifier,
    metrics,
    admin: { user: config.ADMIN_USER, password: config.ADMIN_PASSWORD, throttle: options.authThrottle },
    preview,
    previewUnavailable: config.GENESYS_CLIENT_ID
      ? undefined
      : 'preview reads the target: set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET',
    startReconcile,
    startIndexBuild: createIndexTrigger(indexQueue),
    status: () => readStatus(engine, syncQueue, reconcileQueue),
    consoleReader: engine.console(syncQueue),
  });

  const listenHost = chooseListenHost(config, options.host);
  const requestTimeoutMs = options.requestTimeoutMs ?? config.REQUEST_TIMEOUT_SECONDS * 1000;
  const server = await listen(app, options.port ?? config.PORT, listenHost, requestTimeoutMs);
  const port = (server.address() as AddressInfo).port;
  const host = listenHost !== '0.0.0.0' && listenHost !== '::' ? listenHost : '127.0.0.1';
  logger.info('ingest API listening', { port, host: listenHost });

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    host: listenHost,
    close: () => {
      closing ??= (async () => {
        quarantine.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await Promise.allSettled([
          syncQueue.close(),
          reconcileQueue.close(),
          indexQueue.close(),
          replicaAck?.close(),
        ]);
        engine.close();
        redis.disconnect();
        queueConnection.disconnect();
        logger.info('ingest API stopped');
      })();
      return closing;
    },
  };
}
