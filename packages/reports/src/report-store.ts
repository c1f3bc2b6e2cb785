import type { Cluster, Redis } from 'ioredis';
import { appendAuditLine } from './append-audit-line.js';
import type { DiscrepancyType, Report } from './model.js';

export interface ReportStoreOptions {
  redis: Redis | Cluster;
  /** Key prefix (`QUEUE_PREFIX`). */
  prefix: string;
  retentionDays: number;
  /** JSON-lines audit file; one line per report, kept at mode `0600`. */
  auditLogPath?: string;
}

export interface ReportSummary {
  id: string;
  generatedAt: string;
  kind: Report['kind'];
  counts: Report['counts'];
  discrepancies: number;
  jobId?: string;
  origin?: string;
}

/** What `list` may narrow by; every filter given must hold. */
export interface ReportFilter {
  limit?: number;
  /** Generated before this time (exclusive, ms since epoch): the paging cursor. */
  before?: number;
  /** Generated at or after this time (inclusive, ms since epoch). */
  since?: number;
  kind?: Report['kind'];
  /** True: only reports with at least one discrepancy; false: only those without. */
  hasDiscrepancies?: boolean;
  /** Only reports with a discrepancy of this type. */
  discrepancyType?: DiscrepancyType;
  /** Only reports that name this person (as a result, a discrepancy or a coalesced person). */
  externalId?: string;
  /**
   * At most this many reports are read to fill the page (default: all in range). A narrow filter over a long
   * retention would otherwise read every report kept.
   */
  scanLimit?: number;
}

const DAY_MS = 86_400_000;

function matches(report: Report, filter: ReportFilter): boolean {
  if (filter.kind && report.kind !== filter.kind) return false;
  if (filter.hasDiscrepancies !== undefined && report.discrepancies.length > 0 !== filter.hasDiscrepancies) {
    return false;
  }
  if (filter.discrepancyType && !report.discrepancies.some((d) => d.type === filter.discrepancyType)) {
    return false;
  }
  const id = filter.externalId;
  if (id === undefined) return true;
  return (
    report.people.some((p) => p.externalId === id) ||
    report.discrepancies.some((d) => d.externalId === id) ||
    (report.coalesced ?? []).includes(id)
  );
}

function summarize(report: Report): ReportSummary {
  const summary: ReportSummary = {
    id: report.id,
    generatedAt: report.generatedAt,
    kind: report.kind,
    counts: report.counts,
    discrepancies: report.discrepancies.length,
  };
  if (report.jobId) summary.jobId = report.jobId;
  if (report.origin) summary.origin = report.origin;
  return summary;
}

/** Reports in Redis (one key each, expiring after the retention, indexed newest first) and in the audit log. */
export class ReportStore {
  private readonly redis: Redis | Cluster;
  private readonly indexKey: string;
  private readonly prefix: string;
  private readonly retentionMs: number;
  private readonly auditLogPath: string | undefined;

  constructor(options: ReportStoreOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.indexKey = `${options.prefix}:reports`;
    this.retentionMs = options.retentionDays * DAY_MS;
    this.auditLogPath = options.auditLogPath;
  }

  private key(id: string): string {
    return `${this.prefix}:report:${id}`;
  }

  private latestKey(kind: Report['kind']): string {
    return `${this.prefix}:reports:latest:${kind}`;
  }

  /** Stores the report (idempotent by id) and appends it to the audit log. */
  async save(report: Report): Promise<void> {
    const at = Date.parse(report.generatedAt);
    await this.redis
      .multi()
      .set(this.key(report.id), JSON.stringify(report), 'PX', this.retentionMs)
      .zadd(this.indexKey, at, report.id)
      .zremrangebyscore(this.indexKey, '-inf', Date.now() - this.retentionMs)
      .set(this.latestKey(report.kind), report.id, 'PX', this.retentionMs)
      .exec();
    if (this.auditLogPath) await appendAuditLine(this.auditLogPath, JSON.stringify(report));
  }

  async get(id: string): Promise<Report | undefined> {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as Report) : undefined;
  }

  /** The report of this kind saved last (a pointer kept on save: no scan of the index). */
  async latest(kind: Report['kind']): Promise<Report | undefined> {
    const id = await this.redis.get(this.latestKey(kind));
    return id ? this.get(id) : undefined;
  }

  /** Latest first. `before` pages by generatedAt (exclusive, ms since epoch); see ReportFilter for the rest. */
  async list(options: ReportFilter = {}): Promise<ReportSummary[]> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
    const max = options.before === undefined ? '+inf' : `(${options.before}`;
    const min = options.since === undefined ? '-inf' : String(options.since);
    const scanLimit = options.scanLimit ?? Number.POSITIVE_INFINITY;
    const out: ReportSummary[] = [];
    let offset = 0;
    // Expired report keys may linger in the index until the next trim; skip them and read on.
    while (out.length < limit && offset < scanLimit) {
      const count = Math.min(limit * 2, scanLimit - offset);
      const ids = await this.redis.zrevrangebyscore(this.indexKey, max, min, 'LIMIT', offset, count);
      if (ids.length === 0) break;
      offset += ids.length;
      const raws = await this.redis.mget(...ids.map((id) => this.key(id)));
      for (const raw of raws) {
        if (!raw) continue;
        const report = JSON.parse(raw) as Report;
        if (!matches(report, options)) continue;
        out.push(summarize(report));
        if (out.length === limit) break;
      }
    }
    return out;
  }
}
