import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { HrRecord } from '@dirsync/contracts';
import type { JsonataErrorLike } from './jsonata-error.js';
import { SANDBOX_WORKER_SOURCE } from './sandbox-worker-source.js';

/** What one evaluation in the sandbox came to. */
export type SandboxOutcome =
  | { ok: true; result: unknown }
  /** The expression threw: a JSONata error (code, position, …) or, for anything else, its name. */
  | { ok: false; error: JsonataErrorLike | { name: string } }
  /** The sandbox stopped it: past the hard time limit, or the worker died or was closed. */
  | { ok: false; stopped: 'time' | 'crash' | 'closed' };

/** Options of {@link MappingSandbox}. */
export interface MappingSandboxOptions {
  source: string;
  timeoutMs: number;
  maxDepth: number;
  /** Wall-clock bound of one evaluation, enforced by terminating the worker. */
  hardLimitMs: number;
}

interface Queued {
  id: number;
  record: HrRecord;
  resolve: (outcome: SandboxOutcome) => void;
}

interface Running extends Queued {
  timer: NodeJS.Timeout;
}

type Reply =
  | { ready: true }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: JsonataErrorLike | { name: string } };

/** A worker that does not compile the mapping in this time is broken (JSONata loads in tens of ms). */
const STARTUP_LIMIT_MS = 10_000;
/** An idle worker is let go after this long: many compiled mappings (tests, reloads) must not pin many threads. */
const IDLE_LIMIT_MS = 30_000;
/** Evaluations handed to the worker at once (JSONata interleaves them at its awaits); more wait here. */
const MAX_IN_FLIGHT = 32;

const jsonataPath = createRequire(import.meta.url).resolve('jsonata');

/**
 * Evaluates a mapping in a worker thread so no expression can block the caller's event loop (lock renewal, HTTP,
 * other jobs). Evaluations run interleaved in the worker, as they did in-thread. Past `hardLimitMs` the worker is
 * stuck in code JSONata cannot interrupt, so it is terminated: an evaluation that was alone in it is the runaway
 * (`stopped: 'time'`); when several were in flight, each is run again alone ("suspects"), so only the runaway is
 * blamed and the others still map. A fresh worker takes over either way.
 */
export class MappingSandbox {
  private readonly options: MappingSandboxOptions;
  private readonly queue: Queued[] = [];
  /** In flight when a worker had to be stopped: each runs again alone, so an overrun names its culprit. */
  private readonly suspects: Queued[] = [];
  private readonly inFlight = new Map<number, Running>();
  private worker: Worker | undefined;
  private ready = false;
  private startupTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private closed = false;

  constructor(options: MappingSandboxOptions) {
    this.options = options;
  }

  /** Evaluates the mapping for one record; never rejects (see {@link SandboxOutcome}). */
  evaluate(record: HrRecord): Promise<SandboxOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, stopped: 'closed' });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, record, resolve });
      this.dispatch();
    });
  }

  /** Stops the worker; evaluations not yet answered resolve `stopped: 'closed'`. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const waiting of [...this.suspects.splice(0), ...this.queue.splice(0)])
      waiting.resolve({ ok: false, stopped: 'closed' });
    for (const running of [...this.inFlight.values()]) this.settle(running, { ok: false, stopped: 'closed' });
    const worker = this.worker;
    this.discardWorker();
    await worker?.terminate();
  }

  private dispatch(): void {
    if (this.closed) return;
    if (this.suspects.length + this.queue.length === 0) {
      if (this.inFlight.size === 0) this.idleTimer ??= setTimeout(() => this.retire(), IDLE_LIMIT_MS).unref();
      return;
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!this.worker) this.spawn();
    if (!this.ready) return;
    const batch: Queued[] = [];
    if (this.suspects.length > 0) {
      if (this.inFlight.size === 0) batch.push(this.suspects.shift() as Queued);
    } else {
      batch.push(...this.queue.splice(0, Math.max(0, MAX_IN_FLIGHT - this.inFlight.size)));
    }
    if (batch.length > 0) this.send(batch);
  }

  private send(batch: Queued[]): void {
    for (const queued of batch) {
      const timer = setTimeout(() => this.stopWorker('time'), this.options.hardLimitMs);
      this.inFlight.set(queued.id, { ...queued, timer });
    }
    this.worker?.postMessage(batch.map(({ id, record }) => ({ id, record })));
  }

  private spawn(): void {
    const { source, timeoutMs, maxDepth } = this.options;
    // No resourceLimits: Node aborts the whole process, not the worker, when one large allocation crosses them
    // (nodejs/node#47224), so a low heap cap would turn a runaway the time limit stops into a crash.
    const worker = new Worker(SANDBOX_WORKER_SOURCE, {
      eval: true,
      workerData: { jsonataPath, source, timeoutMs, maxDepth },
    });
    // The worker alone never keeps the process alive; a pending evaluation's timer does.
    worker.unref();
    this.worker = worker;
    this.ready = false;
    this.startupTimer = setTimeout(() => this.stopWorker('crash'), STARTUP_LIMIT_MS);
    worker.on('message', (reply: Reply) => {
      if (this.worker !== worker) return;
      if ('ready' in reply) {
        clearTimeout(this.startupTimer);
        this.ready = true;
        this.dispatch();
        return;
      }
      const running = this.inFlight.get(reply.id);
      if (running)
        this.settle(
          running,
          reply.ok ? { ok: true, result: reply.result } : { ok: false, error: reply.error },
        );
    });
    worker.on('error', () => {
      if (this.worker === worker) this.stopWorker('crash');
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.stopWorker('crash');
    });
  }

  /**
   * Stops the current worker, stuck past a hard limit (`time`) or lost (`crash`). One evaluation in flight is the
   * cause; several become suspects; none (it never started) fails what waits, rather than respawning in a loop.
   */
  private stopWorker(stopped: 'time' | 'crash'): void {
    const worker = this.worker;
    this.discardWorker();
    void worker?.terminate();
    const running = [...this.inFlight.values()];
    if (running.length === 1) {
      this.settle(running[0] as Running, { ok: false, stopped });
      return;
    }
    if (running.length === 0) {
      for (const waiting of [...this.suspects.splice(0), ...this.queue.splice(0)])
        waiting.resolve({ ok: false, stopped: 'crash' });
      return;
    }
    for (const { timer, ...queued } of running) {
      clearTimeout(timer);
      this.suspects.push(queued);
    }
    this.inFlight.clear();
    this.dispatch();
  }

  private retire(): void {
    this.idleTimer = undefined;
    const worker = this.worker;
    if (this.inFlight.size > 0 || this.queue.length > 0 || this.suspects.length > 0 || !worker) return;
    this.discardWorker();
    void worker.terminate();
  }

  private discardWorker(): void {
    clearTimeout(this.startupTimer);
    this.worker = undefined;
    this.ready = false;
  }

  private settle(running: Running, outcome: SandboxOutcome): void {
    clearTimeout(running.timer);
    this.inFlight.delete(running.id);
    running.resolve(outcome);
    this.dispatch();
  }
}
