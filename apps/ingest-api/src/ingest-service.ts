import type { HrEvent } from '@dirsync/contracts';
import { hashJson, idempotencyKey } from '@dirsync/contracts';
import {
  addSyncJobs,
  type EffectiveIngestStatus,
  type IncomingEvent,
  ingestEffectiveDelivery,
  type PersonStore,
  type ScheduledChanges,
  toIncomingEvent,
} from '@dirsync/sync';
import type { Queue } from 'bullmq';
import { type AddTriggers, TriggerGroupCommit } from './trigger-group-commit.js';

export interface AcceptResult {
  status: 'queued' | 'duplicate';
  /** Events not seen before (including late older ones, which change nothing). */
  accepted: number;
  duplicates: number;
  /** The idempotency key of each event, in order. */
  ids: string[];
  /** Accepted events older than the person's newest: remembered, applied never. */
  stale: number;
  /** The jobs carrying this delivery's triggers (shared with concurrent deliveries, 25 people per job). */
  jobIds: string[];
}

export interface DeliveryMeta {
  webhookId: string | undefined;
  batch: boolean;
  receivedAt: number;
}

/**
 * Turns validated events into durable state and sync triggers. The person states and idempotency keys are written
 * in one atomic script; then the people it made pending get their trigger, committed together with those of
 * concurrent deliveries (a person already pending has one). Both are acknowledged by Redis before the caller
 * answers 202. Should Redis fail between the two, the caller answers 503 and the worker's sweeper triggers the
 * stored states later.
 */
export class IngestService {
  private readonly people: PersonStore;
  private readonly schedule: ScheduledChanges | undefined;
  private readonly triggers: TriggerGroupCommit;

  /** `addTriggers` replaces the queue as the way triggers are stored (tests make it fail). */
  constructor(options: {
    people: PersonStore;
    queue: Queue;
    schedule?: ScheduledChanges;
    addTriggers?: AddTriggers;
  }) {
    this.people = options.people;
    this.schedule = options.schedule;
    const queue = options.queue;
    this.triggers = new TriggerGroupCommit(
      options.addTriggers ?? ((jobs) => addSyncJobs(queue, jobs, 'webhook')),
    );
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
    // Future-dated events wait in the schedule as change sets; the rest are folded in now.
    const { statuses, newlyPending } = await ingestEffectiveDelivery(
      { people: this.people, schedule: this.schedule },
      incoming,
      events.map((e) => e.effectiveAtMs),
      meta.receivedAt,
    );
    const jobIds = await this.triggers.commit(newlyPending);
    return summarize(statuses, incoming, jobIds);
  }
}

function summarize(
  statuses: EffectiveIngestStatus[],
  incoming: IncomingEvent[],
  jobIds: string[],
): AcceptResult {
  let duplicates = 0;
  let stale = 0;
  for (const s of statuses) {
    if (s.status === 'duplicate') duplicates++;
    else if (s.status === 'stale') stale++;
  }
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
