import type { Clock } from './clock.js';
import { WindowPeak } from './sliding-window.js';

export interface RequestLogEntry {
  /** Increasing number; `GET /__sim/requests?since=n` returns the entries after `n`. */
  seq: number;
  at: string;
  method: string;
  path: string;
  /** The query string without '?', when there was one. */
  query?: string;
  /** The status answered; 0 when the connection was reset or dropped before an answer. */
  status: number;
  durationMs: number;
  /** The client's `x-correlation-id` header, when sent. */
  correlationId?: string;
  /** The `ININ-Correlation-Id` the simulator answered with (absent when the socket died first). */
  ininCorrelationId?: string;
  /** The id of the bearer token used (never the token). */
  tokenId?: string;
  /** Which injected fault answered, if one did. */
  fault?: string;
}

export interface SimCounters {
  /** SCIM requests (everything under the base path), whatever the outcome. */
  requests: number;
  /** GET on /Users and /Users/:id. */
  reads: number;
  /** POST, PATCH, PUT and DELETE on /Users. */
  writes: number;
  creates: number;
  patches: number;
  puts: number;
  deletes: number;
  /** GET on /Groups and /Groups/:id. */
  groupReads: number;
  /** PATCH on /Groups/:id (any outcome). */
  groupPatches: number;
  /** Answers by status code; a reset connection counts under "0". */
  status: Record<string, number>;
  throttled429: number;
  /** 400 invalidVers answers. */
  conflicts: number;
  /** Connections reset by fault injection. */
  resets: number;
  /** 5xx answers. */
  serverErrors: number;
  tokensIssued: number;
  /** The most SCIM requests (all tokens together, any outcome) seen in one sliding 60-second window. */
  maxRequestsInAnyWindow: number;
}

const WRITE_COUNTER = { POST: 'creates', PATCH: 'patches', PUT: 'puts', DELETE: 'deletes' } as const;

/** Counters and a bounded request log of the SCIM surface. */
export class RequestMetrics {
  private counts = RequestMetrics.zero();
  private log: RequestLogEntry[] = [];
  private seq = 0;
  private readonly peak = new WindowPeak(60_000);

  constructor(
    private readonly clock: Clock,
    private readonly logLimit = 10_000,
  ) {}

  private static zero(): Omit<SimCounters, 'maxRequestsInAnyWindow'> {
    return {
      requests: 0,
      reads: 0,
      writes: 0,
      creates: 0,
      patches: 0,
      puts: 0,
      deletes: 0,
      groupReads: 0,
      groupPatches: 0,
      status: {},
      throttled429: 0,
      conflicts: 0,
      resets: 0,
      serverErrors: 0,
      tokensIssued: 0,
    };
  }

  /** A SCIM request arrived, for /Users, /Groups or another endpoint. */
  arrived(method: string, resource: 'users' | 'groups' | 'other'): void {
    this.counts.requests += 1;
    this.peak.record(this.clock.now());
    if (resource === 'groups') {
      if (method === 'GET') this.counts.groupReads += 1;
      if (method === 'PATCH') this.counts.groupPatches += 1;
    }
    if (resource !== 'users') return;
    if (method === 'GET') this.counts.reads += 1;
    const counter = WRITE_COUNTER[method as keyof typeof WRITE_COUNTER];
    if (counter) {
      this.counts.writes += 1;
      this.counts[counter] += 1;
    }
  }

  completed(entry: Omit<RequestLogEntry, 'seq'>): void {
    const key = String(entry.status);
    this.counts.status[key] = (this.counts.status[key] ?? 0) + 1;
    if (entry.status === 429) this.counts.throttled429 += 1;
    if (entry.status >= 500) this.counts.serverErrors += 1;
    if (entry.fault === 'reset') this.counts.resets += 1;
    this.seq += 1;
    this.log.push({ seq: this.seq, ...entry });
    if (this.log.length > this.logLimit) this.log.splice(0, this.log.length - this.logLimit);
  }

  conflictAnswered(): void {
    this.counts.conflicts += 1;
  }

  tokenIssued(): void {
    this.counts.tokensIssued += 1;
  }

  counters(): SimCounters {
    return { ...structuredClone(this.counts), maxRequestsInAnyWindow: this.peak.max };
  }

  requests(since = 0): RequestLogEntry[] {
    return this.log.filter((e) => e.seq > since);
  }

  clear(): void {
    this.counts = RequestMetrics.zero();
    this.log = [];
    this.seq = 0;
    this.peak.clear();
  }
}
