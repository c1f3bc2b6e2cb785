import { randomUUID } from 'node:crypto';
import { deriveId, hashJson } from '@dirsync/contracts';
import type { Cluster, Redis } from 'ioredis';
import { toConflict } from './idempotency-conflict.js';
import { keepHrFields } from './kept-hr-fields.js';
import type { SyncKeys } from './keys.js';
import {
  BUMP,
  CLAIM,
  COMPLETE,
  INGEST,
  RELEASE,
  RENEW,
  REQUEST_RESYNC,
  RETIRE_DUE,
  TAKE_DUE_CONTENDED,
  TAKE_STALE,
} from './person-scripts.js';
import {
  type IncomingEvent,
  type IngestStatus,
  isFullRecord,
  type PersonState,
  parseState,
} from './person-state.js';
import { type TimelineSettings, timelineSettings } from './person-timeline.js';
import type { ManagerWaitlist } from './sync-ports.js';

/** Idempotency keys are remembered this long (contract: 7 days). */
export const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;

/** A deactivated person's state is kept this long after the deactivation was applied (contract: 90 days). */
export const DEFAULT_PERSON_STATE_RETENTION_MS = 90 * 86_400_000;

/** What marking a revision handled did: the lock is released, or kept because a newer revision arrived. */
export type CompleteResult =
  | { status: 'released' }
  | { status: 'newer'; rev: number }
  | { status: 'lock_lost' };

/** What an ingest call did: each event's status, in order, and the people it made pending. */
export interface IngestDelivery {
  statuses: IngestStatus[];
  newlyPending: string[];
}

export interface PersonLock {
  readonly externalId: string;
  readonly token: string;
}

/**
 * Each person's newest HR state in Redis. Jobs are only triggers: whatever job runs for a person reads the newest
 * state here, so events can be coalesced, retried and re-delivered without ever being lost or applied out of order.
 */
export class PersonStore implements ManagerWaitlist {
  private readonly redis: Redis | Cluster;
  private readonly keys: SyncKeys;
  readonly lockTtlMs: number;
  private readonly retentionMs: number;
  private readonly keptFields: ReadonlySet<string> | undefined;
  private readonly timeline: TimelineSettings;

  constructor(options: {
    redis: Redis | Cluster;
    keys: SyncKeys;
    lockTtlMs?: number;
    retentionMs?: number;
    /** The HR fields stored (see resolveKeptHrFields); every other field is dropped at intake. Absent: all. */
    keptFields?: ReadonlySet<string>;
    /** The console timeline each event is noted on (default: 100 entries, 30 days). */
    timeline?: TimelineSettings;
  }) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.keptFields = options.keptFields;
    this.timeline = options.timeline ?? timelineSettings();
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    this.retentionMs = options.retentionMs ?? DEFAULT_PERSON_STATE_RETENTION_MS;
  }

  /** The same store over another connection (one whose writes a caller then confirms with `WAIT`). */
  onConnection(redis: Redis | Cluster): PersonStore {
    const copy: PersonStore = Object.create(PersonStore.prototype);
    Object.assign(copy, this, { redis });
    return copy;
  }

  /**
   * Records a batch of events atomically. Idempotency keys are scoped to the person: a key seen before for that
   * person with the same content is a duplicate, with other content it refuses the whole batch
   * ({@link IdempotencyConflictError}, nothing stored). An event older (by `occurredAt` at full precision) than the
   * person's newest changes nothing (`stale`); otherwise it becomes the person's state (`applied`). Only the kept
   * HR fields are stored.
   */
  async ingest(events: readonly IncomingEvent[], now = Date.now()): Promise<IngestStatus[]> {
    return (await this.ingestDelivery(events, now)).statuses;
  }

  /**
   * {@link ingest}, also naming the people this call made pending (they were not pending before it). Only they need
   * a sync trigger: a person already pending has one queued or running, which reads their newest state.
   */
  async ingestDelivery(events: readonly IncomingEvent[], now = Date.now()): Promise<IngestDelivery> {
    if (events.length === 0) return { statuses: [], newlyPending: [] };
    const keys: string[] = [this.keys.sequence, this.keys.pending];
    const args: (string | number)[] = [
      now,
      IDEMPOTENCY_TTL_SECONDS,
      this.timeline.cap,
      this.timeline.retentionMs,
    ];
    for (const e of events) {
      const externalId = e.data.externalId;
      const data = this.keptFields ? keepHrFields(e.data, this.keptFields) : e.data;
      const scoped = deriveId('k', JSON.stringify([externalId, e.idempotencyKey]));
      keys.push(this.keys.idempotency(scoped), this.keys.person(externalId), this.keys.timeline(externalId));
      args.push(
        externalId,
        e.type,
        e.occurredAtMs,
        e.idempotencyKey,
        JSON.stringify(data),
        isFullRecord(data) ? '1' : '0',
        e.occurredAtNs ?? 0,
        e.contentHash ?? hashJson([e.type, e.occurredAtMs, e.occurredAtNs ?? 0, e.data]),
      );
    }
    const codes = await INGEST.run<number[]>(this.redis, keys, args).catch((error: unknown) => {
      throw toConflict(error, events) ?? error;
    });
    const newlyPending: string[] = [];
    const statuses = events.map((e, i): IngestStatus => {
      const code = Number(codes[i]);
      const externalId = e.data.externalId;
      if (code === 0) return { status: 'duplicate', externalId };
      if (code < 0) return { status: 'stale', externalId };
      if (Number(codes[events.length + i]) === 1) newlyPending.push(externalId);
      return { status: 'applied', externalId, rev: code };
    });
    return { statuses, newlyPending };
  }

  async get(externalId: string): Promise<PersonState | undefined> {
    return parseState(await this.redis.hgetall(this.keys.person(externalId)).then(flatten));
  }

  /** Takes the person's lock; `undefined` when another sync holds it. */
  async claim(externalId: string): Promise<{ lock: PersonLock; state: PersonState | undefined } | undefined> {
    const token = randomUUID();
    const flat = await CLAIM.run<string[] | null>(
      this.redis,
      [this.keys.person(externalId), this.keys.lock(externalId)],
      [token, this.lockTtlMs],
    );
    if (flat === null) return undefined;
    return { lock: { externalId, token }, state: parseState(flat) };
  }

  /**
   * Marks `handledRev` applied (or failed for good) and releases the lock, unless a newer revision arrived while
   * syncing: then the lock is kept and the newer revision is returned, to be applied right away. A deactivation
   * applied this way starts the retention period after which {@link retireDue} cuts the state to a tombstone.
   */
  async complete(
    lock: PersonLock,
    handledRev: number,
    options: { failed?: boolean; now?: number } = {},
  ): Promise<CompleteResult> {
    const retireAt = (options.now ?? Date.now()) + this.retentionMs;
    const code = await COMPLETE.run<number>(
      this.redis,
      [
        this.keys.person(lock.externalId),
        this.keys.lock(lock.externalId),
        this.keys.pending,
        this.keys.retiring,
        this.keys.failedPeople,
      ],
      [lock.token, handledRev, lock.externalId, this.lockTtlMs, options.failed ? '1' : '0', retireAt],
    );
    if (code < 0) return { status: 'lock_lost' };
    if (code === 0) return { status: 'released' };
    return { status: 'newer', rev: code };
  }

  /** Releases the lock without settling; the person stays pending for the next attempt. */
  async release(lock: PersonLock): Promise<void> {
    await RELEASE.run(this.redis, [this.keys.lock(lock.externalId)], [lock.token]);
  }

  /** Extends the lock; false when it was lost. */
  async renew(lock: PersonLock): Promise<boolean> {
    return (
      (await RENEW.run<number>(
        this.redis,
        [this.keys.lock(lock.externalId)],
        [lock.token, this.lockTtlMs],
      )) === 1
    );
  }

  /** Remembers that `externalId` waits for `managerExternalId` to exist in the target. */
  async waitForManager(externalId: string, managerExternalId: string): Promise<void> {
    const key = this.keys.waitingForManager(managerExternalId);
    await this.redis
      .multi()
      .sadd(key, externalId)
      .expire(key, 30 * 86_400)
      .exec();
  }

  /** `externalId` found their manager in the target: they no longer wait for them. */
  async stopWaitingForManager(externalId: string, managerExternalId: string): Promise<void> {
    await this.redis.srem(this.keys.waitingForManager(managerExternalId), externalId);
  }

  /** The manager now exists: bumps each waiting person so a sync fills in their manager; returns them. */
  async releaseManagerWaiters(managerExternalId: string, now = Date.now()): Promise<string[]> {
    return REQUEST_RESYNC.run<string[]>(
      this.redis,
      [this.keys.pending, this.keys.waitingForManager(managerExternalId)],
      [now, this.keys.person('')],
    );
  }

  /** Bumps one person's revision so the next sync re-applies their state (a dashboard retry, a reconcile fix). */
  async requestResync(externalId: string, now = Date.now()): Promise<boolean> {
    const bumped = await BUMP.run<number>(
      this.redis,
      [this.keys.person(externalId), this.keys.pending],
      [now, externalId],
    );
    return bumped === 1;
  }

  /** People pending since before `olderThanMs` and not being synced; re-scored so they are taken once a sweep. */
  async takeStalePending(olderThanMs: number, limit: number, now = Date.now()): Promise<string[]> {
    return TAKE_STALE.run<string[]>(
      this.redis,
      [this.keys.pending],
      [olderThanMs, limit, now, this.keys.lock('')],
    );
  }

  /**
   * People another sync held when a batch reached them. The holder applies their newest state before letting go;
   * should it have died instead, its lock expires and the sweeper finds them here after one lock lifetime.
   */
  async markContended(externalIds: readonly string[], now = Date.now()): Promise<void> {
    if (externalIds.length === 0) return;
    const due = now + this.lockTtlMs + 1000;
    await this.redis.zadd(this.keys.contended, ...externalIds.flatMap((id) => [due, id]));
  }

  /** Contended people whose holder is gone and who still wait for a sync. */
  async takeDueContended(limit: number, now = Date.now()): Promise<string[]> {
    return TAKE_DUE_CONTENDED.run<string[]>(
      this.redis,
      [this.keys.contended],
      [now, limit, this.keys.person(''), this.keys.lock(''), this.lockTtlMs],
    );
  }

  /**
   * Cuts the state of deactivated people whose retention ran out to a field-free tombstone (newest occurredAt,
   * inactive, revisions): no HR field stays, and an older replayed event still cannot reactivate them. The
   * tombstone has no expiry: a replay can come after any idempotency window. Returns the people retired.
   */
  async retireDue(limit: number, now = Date.now()): Promise<string[]> {
    return RETIRE_DUE.run<string[]>(
      this.redis,
      [this.keys.retiring, this.keys.searchDocs, this.keys.searchTerms],
      [now, limit, this.keys.person(''), this.keys.lock(''), this.keys.target('')],
    );
  }

  /** Since when the person has had a change waiting (epoch ms), if they have one. */
  async pendingSince(externalId: string): Promise<number | undefined> {
    const score = await this.redis.zscore(this.keys.pending, externalId);
    return score === null ? undefined : Number(score);
  }

  async pendingCount(): Promise<number> {
    return this.redis.zcard(this.keys.pending);
  }
}

function flatten(h: Record<string, string>): string[] {
  return Object.entries(h).flat();
}
