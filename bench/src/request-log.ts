import type { RequestLogEntry, SimAdminClient, SimCounters } from '@dirsync/genesys-sim';

/** What the target saw during one workload: from the simulator's counters and its request log. */
export interface TargetActivity {
  requests: number;
  reads: number;
  creates: number;
  patches: number;
  throttled429: number;
  status: Record<string, number>;
  /** Arrival of the first and last SCIM request (epoch ms); undefined when there was none. */
  firstAt?: number;
  lastAt?: number;
  /** Most requests in any 60-second window of this workload. */
  maxInAnyMinute: number;
  /** Requests in each complete minute of backlog: [first, first + 60 s), [first + 60 s, first + 120 s), … */
  fullMinutes: number[];
  /** Whether the request log held every request (it keeps the last 10,000). */
  logComplete: boolean;
}

const MINUTE = 60_000;

function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
}

/** Most entries within any window of `windowMs` (timestamps sorted ascending). */
export function maxInWindow(times: readonly number[], windowMs = MINUTE): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Requests in each complete minute from the first request: [first, first + 60 s), [first + 60 s, …), … */
export function fullMinuteCounts(times: readonly number[]): number[] {
  const first = times[0];
  const last = times.at(-1);
  const out: number[] = [];
  if (first === undefined || last === undefined) return out;
  for (let start = first; start + MINUTE <= last; start += MINUTE) {
    out.push(times.filter((t) => t >= start && t < start + MINUTE).length);
  }
  return out;
}

/** Follows the simulator between workloads: counters and request-log entries since the last mark. */
export class TargetRecorder {
  /** Arrival times of every request collected so far, in order. */
  readonly allTimes: number[] = [];
  private counters: SimCounters | undefined;
  private seq = 0;

  constructor(private readonly admin: SimAdminClient) {}

  /** Starts a new measurement (after a reset, the log starts again at 0). */
  async mark(afterReset = false): Promise<void> {
    if (afterReset) this.seq = 0;
    this.counters = await this.admin.counters();
    const tail = await this.admin.requests({ since: this.seq });
    const last = tail.at(-1);
    if (last) this.seq = last.seq;
  }

  /** Everything the target saw since `mark()`. */
  async collect(): Promise<TargetActivity> {
    const before = this.counters;
    if (!before) throw new Error('TargetRecorder.collect() before mark()');
    const after = await this.admin.counters();
    const entries: RequestLogEntry[] = await this.admin.requests({ since: this.seq });
    const last = entries.at(-1);
    if (last) this.seq = last.seq;
    this.counters = after;
    const requests = after.requests - before.requests;
    const times = entries.map((e) => Date.parse(e.at)).sort((a, b) => a - b);
    this.allTimes.push(...times);
    const firstAt = times[0];
    const lastAt = times.at(-1);
    const fullMinutes = fullMinuteCounts(times);
    const activity: TargetActivity = {
      requests,
      reads: after.reads - before.reads,
      creates: after.creates - before.creates,
      patches: after.patches - before.patches,
      throttled429: after.throttled429 - before.throttled429,
      status: delta(after.status, before.status),
      maxInAnyMinute: maxInWindow(times),
      fullMinutes,
      logComplete: entries.length === requests,
    };
    if (firstAt !== undefined) activity.firstAt = firstAt;
    if (lastAt !== undefined) activity.lastAt = lastAt;
    return activity;
  }
}
