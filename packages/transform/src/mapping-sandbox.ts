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

type Reply =
  | { ready: true }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: JsonataErrorLike | { name: string } };

/** A worker that does not compile the mapping in this time is broken (JSONata loads in tens of ms). */
const STARTUP_LIMIT_MS = 10_000;
/** An idle worker is let go after this long: many compiled mappings (tests, reloads) must not pin many threads. */
const IDLE_LIMIT_MS = 30_000;

const jsonataPath = createRequire(import.meta.url).resolve('jsonata');

/**
 * Evaluates a mapping in a worker thread, one record at a time, so no expression can block the caller's event loop
 * (lock renewal, HTTP, other jobs): past `hardLimitMs` the worker is terminated, the evaluation is reported
 * `stopped: 'time'`, and a fresh worker takes the next record. One at a time keeps the blame exact: what was
 * running when the limit passed is the runaway.
 */
export class MappingSandbox {
  private readonly options: MappingSandboxOptions;
  private readonly queue: Queued[] = [];
  private worker: Worker | undefined;
  private ready = false;
  private running: (Queued & { timer: NodeJS.Timeout }) | undefined;
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

  /** Stops the worker; evaluations still queued resolve `stopped: 'closed'`. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const queued of this.queue.splice(0)) queued.resolve({ ok: false, stopped: 'closed' });
    this.settle({ ok: false, stopped: 'closed' });
    const worker = this.worker;
    this.discardWorker();
    await worker?.terminate();
  }

  private dispatch(): void {
    if (this.running) return;
    if (this.queue.length === 0) {
      this.idleTimer ??= setTimeout(() => this.retire(), IDLE_LIMIT_MS).unref();
      return;
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!this.worker) this.spawn();
    if (!this.ready) return;
    const next = this.queue.shift() as Queued;
    const timer = setTimeout(() => this.stop({ ok: false, stopped: 'time' }), this.options.hardLimitMs);
    this.running = { ...next, timer };
    this.worker?.postMessage({ id: next.id, record: next.record });
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
    this.startupTimer = setTimeout(() => this.failAll('crash'), STARTUP_LIMIT_MS);
    worker.on('message', (reply: Reply) => {
      if (this.worker !== worker) return;
      if ('ready' in reply) {
        clearTimeout(this.startupTimer);
        this.ready = true;
        this.dispatch();
      } else if (this.running?.id === reply.id) {
        this.settle(reply.ok ? { ok: true, result: reply.result } : { ok: false, error: reply.error });
      }
    });
    worker.on('error', () => {
      if (this.worker === worker) this.stop({ ok: false, stopped: 'crash' });
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.stop({ ok: false, stopped: 'crash' });
    });
  }

  /** A worker that cannot start fails what waits for it, rather than respawning in a loop. */
  private failAll(stopped: 'crash'): void {
    const worker = this.worker;
    this.discardWorker();
    void worker?.terminate();
    for (const queued of this.queue.splice(0)) queued.resolve({ ok: false, stopped });
  }

  private stop(outcome: SandboxOutcome): void {
    const worker = this.worker;
    this.discardWorker();
    void worker?.terminate();
    if (this.running) this.settle(outcome);
    else if (!this.closed) this.failAll('crash');
  }

  private retire(): void {
    this.idleTimer = undefined;
    const worker = this.worker;
    if (this.running || this.queue.length > 0 || !worker) return;
    this.discardWorker();
    void worker.terminate();
  }

  private discardWorker(): void {
    clearTimeout(this.startupTimer);
    this.worker = undefined;
    this.ready = false;
  }

  private settle(outcome: SandboxOutcome): void {
    const running = this.running;
    if (!running) return;
    clearTimeout(running.timer);
    this.running = undefined;
    running.resolve(outcome);
    if (!this.closed) this.dispatch();
  }
}
