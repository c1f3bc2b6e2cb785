import { type Counts, type Discrepancy, emptyCounts, type PersonResult, type Report } from './model.js';

export interface ReportBuilderOptions {
  id: string;
  kind: Report['kind'];
  jobId?: string;
  origin?: string;
  now?: () => Date;
}

/**
 * Collects people's outcomes and discrepancies into one report. A person recorded twice keeps the later outcome
 * (a re-run after a crash settles the same person again), so counts always add up to the people listed.
 */
export class ReportBuilder {
  private readonly people = new Map<string, PersonResult>();
  private readonly discrepancies: Discrepancy[] = [];
  private readonly coalesced = new Set<string>();
  private readonly options: ReportBuilderOptions;
  private extra: Partial<Pick<Report, 'dryRun' | 'brake' | 'summary'>> = {};

  constructor(options: ReportBuilderOptions) {
    this.options = options;
  }

  record(result: PersonResult, discrepancies: Discrepancy[] = []): this {
    this.people.set(result.externalId, result);
    this.coalesced.delete(result.externalId);
    this.discrepancies.push(...discrepancies);
    return this;
  }

  addDiscrepancy(discrepancy: Discrepancy): this {
    this.discrepancies.push(discrepancy);
    return this;
  }

  /** A person whose newest state another job applied; listed but not counted. */
  markCoalesced(externalId: string): this {
    if (!this.people.has(externalId)) this.coalesced.add(externalId);
    return this;
  }

  with(extra: Partial<Pick<Report, 'dryRun' | 'brake' | 'summary'>>): this {
    this.extra = { ...this.extra, ...extra };
    return this;
  }

  get size(): number {
    return this.people.size;
  }

  build(): Report {
    const counts: Counts = emptyCounts();
    for (const person of this.people.values()) counts[person.outcome] += 1;
    const report: Report = {
      id: this.options.id,
      generatedAt: (this.options.now?.() ?? new Date()).toISOString(),
      kind: this.options.kind,
      counts,
      discrepancies: [...this.discrepancies],
      people: [...this.people.values()],
    };
    if (this.options.jobId !== undefined) report.jobId = this.options.jobId;
    if (this.options.origin !== undefined) report.origin = this.options.origin;
    if (this.coalesced.size > 0) report.coalesced = [...this.coalesced];
    return { ...report, ...this.extra };
  }
}
