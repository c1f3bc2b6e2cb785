import { type Counts, OUTCOMES, type Report, type ReportStore } from '@dirsync/reports';
import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { OverviewView } from './console-view.js';
import type { SyncKeys } from './keys.js';
import type { RequestBudget } from './request-budget.js';
import { HOUR_MS, MINUTE_MS, RATE_LIMITED_FIELD } from './sync-recorder.js';
import type { TargetHealth } from './target-health.js';

export interface OverviewSources {
  redis: Redis | Cluster;
  keys: SyncKeys;
  queue: Pick<Queue, 'getJobCounts'>;
  budget: Pick<RequestBudget, 'used' | 'limit'>;
  health: Pick<TargetHealth, 'current'>;
  reports: Pick<ReportStore, 'latest'>;
  now?: (() => number) | undefined;
}

const BUDGET_WINDOW_MS = 60_000;
type Bucket = OverviewView['throughput']['hour'][number];

/**
 * The console's overview: backlog from the queue, outcomes per minute and hour from the counters the worker keeps
 * as it syncs, the budget in use from its sliding window, quarantine, the failed-people count and the last
 * reconcile. A handful of round trips, whatever the number of people.
 */
export async function readOverview(sources: OverviewSources): Promise<OverviewView> {
  const now = (sources.now ?? Date.now)();
  const [counts, buckets, used, quarantine, reconcile] = await Promise.all([
    sources.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized'),
    readBuckets(sources, now),
    sources.budget.used(BUDGET_WINDOW_MS),
    sources.health.current(),
    sources.reports.latest('reconcile'),
  ]);
  const view: OverviewView = {
    generatedAt: new Date(now).toISOString(),
    backlog: {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
      prioritized: counts.prioritized ?? 0,
    },
    throughput: { hour: buckets.hour, day: buckets.day },
    budget: {
      usedLastMinute: used,
      limitPerMinute: sources.budget.limit,
      rateLimited429LastHour: buckets.rateLimitedLastHour,
    },
    quarantine: quarantine
      ? {
          active: true,
          cause: quarantine.cause ?? quarantine.reason,
          since: quarantine.since,
          detail: quarantine.detail,
        }
      : { active: false },
    failedPeople: buckets.failedPeople,
  };
  if (reconcile) view.lastReconcile = reconcileSummary(reconcile);
  return view;
}

/** 60 minute buckets and 24 hour buckets (oldest first), the 429s of the last hour, the failed-people count. */
async function readBuckets(sources: OverviewSources, now: number) {
  const { redis, keys } = sources;
  const minute = Math.floor(now / MINUTE_MS);
  const hour = Math.floor(now / HOUR_MS);
  const minutes = Array.from({ length: 60 }, (_, i) => minute - 59 + i);
  const hours = Array.from({ length: 24 }, (_, i) => hour - 23 + i);
  const pipeline = redis.pipeline();
  for (const m of minutes) pipeline.hgetall(keys.statsMinute(m));
  for (const h of hours) pipeline.hgetall(keys.statsHour(h));
  pipeline.scard(keys.failedPeople);
  const replies = (await pipeline.exec()) ?? [];
  const hashAt = (i: number) => (replies[i]?.[1] ?? {}) as Record<string, string>;
  let rateLimitedLastHour = 0;
  const hourBuckets = minutes.map((m, i) => {
    rateLimitedLastHour += Number(hashAt(i)[RATE_LIMITED_FIELD] ?? 0);
    return toBucket(m * MINUTE_MS, hashAt(i));
  });
  const dayBuckets = hours.map((h, i) => toBucket(h * HOUR_MS, hashAt(minutes.length + i)));
  const failedPeople = Number(replies[minutes.length + hours.length]?.[1] ?? 0);
  return { hour: hourBuckets, day: dayBuckets, rateLimitedLastHour, failedPeople };
}

function toBucket(startMs: number, hash: Record<string, string>): Bucket {
  const counts: Partial<Counts> = {};
  for (const outcome of OUTCOMES) {
    const n = Number(hash[outcome] ?? 0);
    if (n > 0) counts[outcome] = n;
  }
  return { at: new Date(startMs).toISOString(), counts };
}

/** The last reconcile run: its drift counted by type, whether it was a dry run, what the brake did. */
export function reconcileSummary(report: Report): NonNullable<OverviewView['lastReconcile']> {
  const drift: Record<string, number> = {};
  for (const d of report.discrepancies) drift[d.type] = (drift[d.type] ?? 0) + 1;
  const summary: NonNullable<OverviewView['lastReconcile']> = {
    reportId: report.id,
    generatedAt: report.generatedAt,
    dryRun: report.dryRun ?? false,
    drift,
  };
  if (report.brake)
    summary.brake = { held: report.brake.held, wouldDeactivate: report.brake.wouldDeactivate };
  return summary;
}
