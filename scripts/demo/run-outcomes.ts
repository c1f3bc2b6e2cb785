import type { DirsyncApi } from './api-client.js';
import type { Discrepancy, PersonResult } from './api-types.js';

export interface RunResult extends PersonResult {
  /** 1-based phase of the demo the report fell in. */
  phase: number;
}

/** What the sync reports say about this run's people: each outcome once, by phase, and the discrepancies. */
export class RunOutcomes {
  constructor(
    readonly reportCount: number,
    readonly results: RunResult[],
    readonly discrepancies: Discrepancy[],
    private readonly nameOf: (externalId: string) => string,
  ) {}

  /**
   * Reads the reports generated since `startedAt` and keeps those about ids starting `<tag>-`; `boundaries` are
   * the moments each phase of the demo began.
   */
  static async collect(
    api: DirsyncApi,
    options: { tag: string; startedAt: number; boundaries: number[]; nameOf: (externalId: string) => string },
  ): Promise<RunOutcomes> {
    const summaries = await api.reportsSince(options.startedAt);
    const reports = [];
    for (let i = 0; i < summaries.length; i += 8) {
      reports.push(...(await Promise.all(summaries.slice(i, i + 8).map((s) => api.report(s.id)))));
    }
    const ours = (externalId: unknown) =>
      typeof externalId === 'string' && externalId.startsWith(`${options.tag}-`);
    const { boundaries } = options;
    const phaseOf = (at: string) => {
      const t = Date.parse(at);
      const i = boundaries.findIndex(
        (b, k) => t >= b && (k === boundaries.length - 1 || t < (boundaries[k + 1] ?? 0)),
      );
      return i === -1 ? 0 : i + 1;
    };
    const seenResults = new Set<string>();
    const seenDiscrepancies = new Set<string>();
    const results: RunResult[] = [];
    const discrepancies: Discrepancy[] = [];
    for (const report of reports) {
      const phase = phaseOf(report.generatedAt);
      for (const p of report.people ?? []) {
        // The same outcome of the same event reported twice (a retried job) is one result.
        const key = `${p.externalId}|${p.outcome}|${p.correlationId ?? ''}`;
        if (!ours(p.externalId) || seenResults.has(key)) continue;
        seenResults.add(key);
        results.push({ ...p, phase });
      }
      for (const d of report.discrepancies ?? []) {
        const key = `${d.externalId}|${d.type}|${d.detail}`;
        if (!ours(d.externalId) || seenDiscrepancies.has(key)) continue;
        seenDiscrepancies.add(key);
        discrepancies.push(d);
      }
    }
    return new RunOutcomes(reports.length, results, discrepancies, options.nameOf);
  }

  /** Results with `outcome`, in `phase` when given. */
  of(outcome: string, phase?: number): RunResult[] {
    return this.results.filter((r) => r.outcome === outcome && (phase === undefined || r.phase === phase));
  }

  /** The people with `outcome` (in `phase`). */
  people(outcome: string, phase?: number): Set<string> {
    return new Set(this.of(outcome, phase).map((r) => r.externalId));
  }

  /** Results carrying one event's id. */
  withEvent(eventId: string): RunResult[] {
    return this.results.filter((r) => r.correlationId === eventId);
  }

  /** A short list of names: the first `max`, then how many more. */
  names(ids: Iterable<string>, max = 4): string {
    const list = [...ids].map(this.nameOf);
    return list.length > max
      ? `${list.slice(0, max).join(', ')} and ${list.length - max} more`
      : list.join(', ');
  }
}
