import type { Logger } from '@dirsync/core';
import type { PersonStore } from './person-store.js';
import type { ClaimedChange, ScheduledChanges } from './scheduled-changes.js';

export interface ScheduleRunnerOptions {
  schedule: ScheduledChanges;
  people: PersonStore;
  /** Sync triggers for people whose state a due change set moved. */
  requestSync: (externalIds: string[]) => Promise<void>;
  /** How often the schedule is polled (default 1 s: a change applies well within a minute of its time). */
  pollMs?: number;
  /** How long a claim holds before another runner may take the stage over (default 30 s). */
  leaseMs?: number;
  /** Stages claimed per round trip (default 100). */
  batchSize?: number;
  now?: () => number;
  logger?: Logger | undefined;
  /** Test seam: runs after a stage is applied, before it is committed (a crash there must not apply it twice). */
  afterApply?: (claim: ClaimedChange) => Promise<void>;
}

/**
 * Applies due change sets: each claimed stage is laid over the person's state as it is now, folded in through the
 * person store like any event (dated at its effective time), committed, and the people it moved are synced.
 * Every worker runs one; the claim makes each stage apply once. After downtime the overdue stages are applied at
 * the first poll, earliest first, each person's in effective order.
 */
export class ScheduleRunner {
  private readonly options: ScheduleRunnerOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private started = false;
  private stopping = false;

  constructor(options: ScheduleRunnerOptions) {
    this.options = options;
  }

  /** Starts polling; the first poll runs at once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.schedulePoll(0);
  }

  /** Stops polling and waits for a poll in progress. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.started = false;
  }

  private schedulePoll(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.runDue()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.options.logger?.warn('schedule poll failed', { err: error });
        })
        .finally(() => {
          if (!this.stopping) this.schedulePoll(this.options.pollMs ?? 1000);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** Applies every stage due now; returns how many were applied. */
  async runDue(): Promise<number> {
    const { schedule, batchSize = 100, leaseMs = 30_000 } = this.options;
    let applied = 0;
    for (;;) {
      const now = this.options.now?.() ?? Date.now();
      const claims = await schedule.claimDue(now, batchSize, leaseMs);
      if (claims.length === 0) return applied;
      const moved = new Set<string>();
      for (const claim of claims) {
        if (await this.apply(claim, now)) moved.add(claim.change.externalId);
        applied += 1;
      }
      if (moved.size > 0) await this.options.requestSync([...moved]);
      if (claims.length < batchSize || this.stopping) return applied;
    }
  }

  /** Applies one claimed stage; true when the person's state changed. */
  private async apply(claim: ClaimedChange, now: number): Promise<boolean> {
    const { people, schedule, logger } = this.options;
    const { change, stage } = claim;
    const externalId = change.externalId;
    const event = await schedule.prepare(claim, await people.get(externalId));
    if (event === false) return false;
    // The syncer must know before the sync that this inactive person is to be created, not left out.
    if (stage === 'prehire' && event) await schedule.markPrehire(externalId, change.effectiveAtMs, now);
    const status = event ? (await people.ingest([event], now))[0] : undefined;
    await this.options.afterApply?.(claim);
    const committed = await schedule.commit(claim);
    logger?.info('scheduled change applied', {
      externalId,
      stage,
      sourceEventId: change.sourceKey,
      effectiveAt: new Date(change.effectiveAtMs).toISOString(),
      result: status?.status ?? 'nothing to apply',
      committed,
    });
    // A duplicate is a stage a crashed claimer applied but could not trigger: it is synced all the same.
    return status !== undefined && status.status !== 'stale';
  }
}
