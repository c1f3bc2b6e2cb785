import type { HrEvent } from '@dirsync/contracts';
import { hashJson, idempotencyKey } from '@dirsync/contracts';
import { addSyncBatches, type IncomingEvent, type PersonStore, toIncomingEvent } from '@dirsync/sync';
import type { Queue } from 'bullmq';

export interface AcceptResult {
  status: 'queued' | 'duplicate';
  /** Events not seen before (including late older ones, which change nothing). */
  accepted: number;
  duplicates: number;
  /** The idempotency key of each event, in order. */
  ids: string[];
  /** Accepted events older than the person's newest: remembered, applied never. */
  stale: number;
  jobIds: string[];
}

export interface DeliveryMeta {
  webhookId: string | undefined;
  batch: boolean;
  receivedAt: number;
}

/**
 * Turns validated events into durable state and sync triggers. The person states and idempotency keys are written
 * in one atomic script; the triggers after it. Both are acknowledged by Redis before the caller answers 202. Should
 * Redis fail between the two, the caller answers 503 and the worker's sweeper triggers the stored states later.
 */
export class IngestService {
  private readonly people: PersonStore;
  private readonly queue: Queue;

  constructor(options: { people: PersonStore; queue: Queue }) {
    this.people = options.people;
    this.queue = options.queue;
  }

  async accept(events: readonly HrEvent[], meta: DeliveryMeta): Promise<AcceptResult> {
    const incoming: IncomingEvent[] = events.map((event, index) => {
      const key = idempotencyKey({
        eventId: event.id,
        webhookId: meta.webhookId,
        index,
        batch: meta.batch,
        contentHash: () => hashJson(event),
      });
      return toIncomingEvent(event, key, meta.receivedAt);
    });
    const statuses = await this.people.ingest(incoming, meta.receivedAt);

    // Only people whose state changed get a trigger: a replay or a late older event enqueues nothing.
    const trigger = new Set<string>();
    for (const s of statuses) if (s.status === 'applied') trigger.add(s.externalId);
    const jobIds = await addSyncBatches(this.queue, [...trigger], 'webhook');

    const duplicates = statuses.filter((s) => s.status === 'duplicate').length;
    const stale = statuses.filter((s) => s.status === 'stale').length;
    const accepted = statuses.length - duplicates;
    return {
      status: accepted > 0 ? 'queued' : 'duplicate',
      accepted,
      duplicates,
      ids: incoming.map((e) => e.idempotencyKey),
      stale,
      jobIds,
    };
  }
}
