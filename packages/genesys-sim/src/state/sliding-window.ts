/** Request times within the last `windowMs`, oldest first. */
class TimeLog {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  /** Drops times at or before `now - windowMs`; returns how many remain. */
  prune(now: number): number {
    const floor = now - this.windowMs;
    while (this.head < this.times.length && (this.times[this.head] ?? Number.POSITIVE_INFINITY) <= floor) {
      this.head += 1;
    }
    // Compact now and then so a long run does not keep every timestamp it ever saw.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  push(now: number): void {
    this.times.push(now);
  }

  oldest(): number | undefined {
    return this.times[this.head];
  }
}

export type Admission = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * At most `limit` admitted requests per key in any sliding window of `windowMs` (a sliding log, not fixed
 * minute buckets, so a burst straddling a minute boundary is still caught). Refused requests are not logged:
 * a client that waits `Retry-After` is admitted.
 */
export class SlidingWindowLimiter {
  private readonly logs = new Map<string, TimeLog>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  admit(key: string, now: number): Admission {
    let log = this.logs.get(key);
    if (!log) {
      log = new TimeLog(this.windowMs);
      this.logs.set(key, log);
    }
    if (log.prune(now) < this.limit) {
      log.push(now);
      return { allowed: true };
    }
    const oldest = log.oldest() ?? now;
    // The oldest admitted request leaves the window at oldest + windowMs; a slot is free just after.
    const waitMs = oldest + this.windowMs - now;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  clear(): void {
    this.logs.clear();
  }
}

/** The highest number of events seen in any sliding window: the budget a client actually used. */
export class WindowPeak {
  private log: TimeLog;
  private peak = 0;

  constructor(private readonly windowMs = 60_000) {
    this.log = new TimeLog(windowMs);
  }

  record(now: number): void {
    this.log.push(now);
    this.peak = Math.max(this.peak, this.log.prune(now));
  }

  get max(): number {
    return this.peak;
  }

  clear(): void {
    this.log = new TimeLog(this.windowMs);
    this.peak = 0;
  }
}
