import type { Counts, DiscrepancyType } from '@dirsync/reports';
import type { ScimUser } from '@dirsync/scim';
import type { PlannedRequest } from './recording-target.js';

/**
 * What the operator console shows, as data: each console page answers these shapes as JSON and renders them as
 * HTML. Ids, codes, field names and the values the reports already carry; never tokens or secrets.
 */

/** One SCIM request a sync sent, as the timeline records it. */
export interface TimelineRequest {
  method: string;
  /** Path under the SCIM base, without the query, e.g. `/Users/2f1c…`. */
  path: string;
  status: number | 'network_error';
  durationMs: number;
  /** dirsync's id (the event's idempotency key, sent as `X-Correlation-Id`). */
  correlationId?: string;
  /** The target's own id (Genesys: `ININ-Correlation-Id`). */
  targetCorrelationId?: string;
}

/** One entry of a person's timeline (newest first when read). `at` is epoch ms. */
export type TimelineEntry =
  | {
      kind: 'event';
      at: number;
      /** The idempotency key (`webhook-id` or the event's own id). */
      eventId: string;
      type: string;
      occurredAt: string;
      status: 'accepted' | 'duplicate' | 'stale' | 'scheduled';
    }
  | {
      kind: 'sync';
      at: number;
      outcome: string;
      correlationId?: string;
      jobId?: string;
      reportId?: string;
      requests: TimelineRequest[];
      discrepancies: Array<{ type: DiscrepancyType; field?: string; detail: string }>;
    }
  | {
      kind: 'failed';
      at: number;
      jobId?: string;
      /** One-line code (e.g. `policy_violation`, `server_error`) and message; never a stack trace. */
      code: string;
      message: string;
      attempts?: number;
      /** False when the job will be retried by itself. */
      final: boolean;
    }
  | {
      kind: 'reconcile';
      at: number;
      reportId: string;
      type: DiscrepancyType;
      field?: string;
      applied: boolean;
    }
  | { kind: 'resync'; at: number; by: 'operator'; jobId?: string };

/** `GET /admin` */
export interface OverviewView {
  generatedAt: string;
  backlog: { waiting: number; active: number; delayed: number; failed: number; prioritized?: number };
  /** Outcomes per bucket (oldest first): the last hour by minute and the last day by hour. */
  throughput: {
    hour: Array<{ at: string; counts: Partial<Counts> }>;
    day: Array<{ at: string; counts: Partial<Counts> }>;
  };
  /** SCIM requests sent in the last 60 s against the per-minute limit. */
  budget: { usedLastMinute: number; limitPerMinute: number; rateLimited429LastHour: number };
  /** `detail`: the quarantine's own sentence (what failed, for how long). */
  quarantine: { active: boolean; cause?: string; since?: string; detail?: string };
  /** People whose newest revision failed for good. */
  failedPeople: number;
  lastReconcile?: {
    reportId: string;
    generatedAt: string;
    dryRun: boolean;
    drift: Record<string, number>;
    brake?: { held: boolean; wouldDeactivate: number };
  };
}

/** `GET /admin/people?q=` */
export interface PeopleSearchView {
  q: string;
  results: Array<{
    externalId: string;
    userName?: string;
    displayName?: string;
    active?: boolean;
    /** `synced`, `pending`, `failed` or `unknown` (not seen by the worker yet). */
    state: 'synced' | 'pending' | 'failed' | 'unknown';
  }>;
  /** True when more matched than were returned. */
  truncated: boolean;
}

/** `GET /admin/people/:externalId` */
export interface PersonView {
  externalId: string;
  /** The kept HR state (only the fields the mapping and policy read), absent when HR never sent this person. */
  hr?: {
    event: string;
    occurredAt: string;
    receivedAt: string;
    active: boolean;
    rev: number;
    appliedRev: number;
    failedRev: number;
    data: Record<string, unknown>;
  };
  /** What the target holds, from the cache (`source: 'cache'`) or read just now (`'live'`). */
  target?: { source: 'cache' | 'live'; scimId: string; version?: string; syncedAt?: string; user?: ScimUser };
  /** Why a live read asked for could not be made (the cached copy is shown instead). */
  liveError?: string;
  /** What the next sync would send (the preview over the cached target; no request spent). */
  pending?: { outcome: string; requests: PlannedRequest[]; detail?: string };
  /** Failed jobs of this person still in the queue (retry with `POST .../retry`). */
  failedJobs: Array<{ jobId: string; code: string; message: string; attempts: number; failedAt?: string }>;
  /** Pending effective-dated changes. */
  scheduled: Array<{ dueAt: string; effectiveAt: string; kind: string; fields: string[] }>;
  timeline: TimelineEntry[];
}

/** What the console reads and does; the engine provides it (the API serves it under `/admin`). */
export interface ConsoleReader {
  overview(): Promise<OverviewView>;
  /** By externalId (exact or prefix), email/userName or name (case-insensitive, prefix of any word). */
  search(q: string, limit?: number): Promise<PeopleSearchView>;
  /** Undefined: HR never sent this person and the worker never saw them. `live`: read the target (one request). */
  person(externalId: string, options?: { live?: boolean }): Promise<PersonView | undefined>;
  /** Queues a sync of the person's current HR state now (undefined: no HR state kept for them). */
  resync(externalId: string): Promise<{ jobId: string } | undefined>;
  /** Retries the person's failed jobs still in the queue; the ids retried (none: nothing to retry). */
  retryFailed(externalId: string): Promise<{ retried: string[] }>;
}
