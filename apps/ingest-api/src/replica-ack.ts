import type { HrEvent } from '@dirsync/contracts';
import { createRedisClient, type RedisClient, type RedisTopology, waitForReplicas } from '@dirsync/core';
import { createKeys, createSyncQueue } from '@dirsync/sync';
import type { Queue } from 'bullmq';
import type { AcceptResult, DeliveryMeta, IngestService } from './ingest-service.js';

/** How long a webhook waits for its replicas before answering 503: replicas on a LAN confirm in milliseconds. */
export const REPLICA_ACK_TIMEOUT_MS = 1000;

/** Connections kept for confirmed intake: that many webhooks write and wait at once; the others queue for a lane. */
export const REPLICA_ACK_LANES = 8;

interface Lane {
  connection: RedisClient;
  queue: Queue;
  service: IngestService;
}

/**
 * Intake with `REDIS_MIN_REPLICAS_ACK` > 0: each webhook borrows a lane — a connection of its own with its own
 * person store and queue — writes its state and its jobs on it, then `WAIT`s for the replicas on that connection.
 * `WAIT` holds the connection it runs on, so a lane serves one webhook at a time and one webhook's wait never holds
 * up another's writes. A fence write before the wait makes it cover everything the primary had when this webhook
 * read it too: a retried webhook whose first attempt wrote (then timed out) answers 202 only once that first write
 * is on the replicas as well. Too few replicas in time: `ReplicationTimeoutError` (the route answers 503).
 */
export class ReplicaAck {
  private readonly free: Lane[];
  private readonly lanes: Lane[];
  private readonly waiting: ((lane: Lane) => void)[] = [];
  private readonly replicas: number;
  private readonly timeoutMs: number;
  private readonly fenceKey: string;

  private constructor(lanes: Lane[], options: { prefix: string; replicas: number; timeoutMs?: number }) {
    this.replicas = options.replicas;
    this.timeoutMs = options.timeoutMs ?? REPLICA_ACK_TIMEOUT_MS;
    // In the prefix, so on a Cluster the fence shares the slot (and primary) of the writes it stands for.
    this.fenceKey = `${options.prefix}:replica-ack`;
    this.lanes = lanes;
    this.free = [...lanes];
  }

  /**
   * Opens the lanes' connections and resolves once `waitReady` says they answer: BullMQ checks the server once,
   * when a queue is created, and a fail-fast connection refuses that check until it is connected.
   */
  static async open(options: {
    topology: RedisTopology;
    prefix: string;
    replicas: number;
    timeoutMs?: number;
    lanes?: number;
    onError: (error: Error) => void;
    waitReady: (clients: RedisClient[]) => Promise<void>;
    /** The intake over one lane's connection and queue (the same stores as the API's own, on that connection). */
    createService: (connection: RedisClient, queue: Queue) => IngestService;
  }): Promise<ReplicaAck> {
    const connections = Array.from({ length: options.lanes ?? REPLICA_ACK_LANES }, (_, i) => {
      const connection = createRedisClient(options.topology, {
        connectionName: `dirsync-api-ack-${i}`,
        failFast: true,
      });
      connection.on('error', options.onError);
      return connection;
    });
    try {
      await options.waitReady(connections);
    } catch (error) {
      for (const connection of connections) connection.disconnect();
      throw error;
    }
    const _keys = createKeys(options.prefix);
    const lanes = connections.map((connection) => {
      const queue = createSyncQueue({ connection, prefix: options.prefix, skipWaitingForReady: true });
      queue.on('error', options.onError);
      return { connection, queue, service: options.createService(connection, queue) };
    });
    return new ReplicaAck(lanes, options);
  }

  async accept(events: readonly HrEvent[], meta: DeliveryMeta): Promise<AcceptResult> {
    const lane = await this.borrow();
    try {
      const result = await lane.service.accept(events, meta);
      await lane.connection.set(this.fenceKey, String(meta.receivedAt), 'PX', 60_000);
      await waitForReplicas(lane.connection, this.replicas, this.timeoutMs);
      return result;
    } finally {
      this.giveBack(lane);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.lanes.map((lane) => lane.queue.close()));
    for (const lane of this.lanes) lane.connection.disconnect();
  }

  private borrow(): Promise<Lane> {
    const lane = this.free.pop();
    if (lane) return Promise.resolve(lane);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private giveBack(lane: Lane): void {
    const next = this.waiting.shift();
    if (next) next(lane);
    else this.free.push(lane);
  }
}
