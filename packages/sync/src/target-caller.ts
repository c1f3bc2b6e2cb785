import { sleep } from '@dirsync/core';
import { OAuthError, ScimError } from '@dirsync/scim';
import type { RequestContext } from './sync-ports.js';

/** 429s in a row on one request before the person is left for a later retry. */
const MAX_RATE_LIMITED_RETRIES = 20;
/** In-request retries of an idempotent request after a 5xx or network error, before the batch's own retry. */
const MAX_TRANSIENT_RETRIES = 2;
const TRANSIENT_BACKOFF_MS = 400;

export interface TargetCallerOptions {
  /** A 429 arrived: make everyone wait `retryAfterMs` (budget pause + the queue's rate limit). */
  onRateLimited?: (retryAfterMs: number) => Promise<void>;
  /** Called on each target answer that says the target is healthy or failing, for quarantine decisions. */
  onTargetHealth?: (healthy: boolean) => Promise<void>;
}

/**
 * The retry policy around every target request of one person's sync, and its request count. A 429 pauses
 * everyone for its Retry-After and the request is sent again (no attempt is charged). A 5xx or network error on an
 * idempotent request is retried here a couple of times with exponential backoff and jitter; a create is never
 * blindly re-sent (its answer may have been lost after the user was made), so it fails to the batch, whose retry
 * looks the person up first.
 */
export class TargetCaller {
  requests = 0;
  /** The target's id (Genesys: `ININ-Correlation-Id`) of the last request that got an answer. */
  targetCorrelationId: string | undefined;
  private readonly options: TargetCallerOptions;
  readonly context: RequestContext;

  constructor(options: TargetCallerOptions, ctx: RequestContext) {
    this.options = options;
    this.context = ctx;
  }

  async call<T>(request: () => Promise<T>, idempotent = true): Promise<T> {
    let transientRetries = 0;
    for (let attempt = 0; ; attempt++) {
      this.requests += 1;
      try {
        const result = await request();
        this.noteCorrelation(result);
        await this.report(true);
        return result;
      } catch (error) {
        this.noteCorrelation(error);
        const verdict = this.judge(error, attempt, idempotent && transientRetries < MAX_TRANSIENT_RETRIES);
        if (verdict.health !== undefined) await this.report(verdict.health);
        if (verdict.next === 'rate_limited') {
          await this.options.onRateLimited?.((error as ScimError).retryAfterMs ?? 3000);
          continue;
        }
        if (verdict.next === 'backoff') {
          const ceiling = TRANSIENT_BACKOFF_MS * 2 ** transientRetries;
          transientRetries += 1;
          await sleep(ceiling / 2 + Math.random() * (ceiling / 2), this.context.signal);
          continue;
        }
        throw error;
      }
    }
  }

  /** What a failed request says about the target, and whether to send it again. */
  private judge(
    error: unknown,
    attempt: number,
    mayRetryTransient: boolean,
  ): { health?: boolean; next: 'rate_limited' | 'backoff' | 'throw' } {
    if (error instanceof ScimError) {
      if (error.kind === 'rate_limited') {
        return { next: attempt < MAX_RATE_LIMITED_RETRIES ? 'rate_limited' : 'throw' };
      }
      if (error.kind === 'server_error' || error.kind === 'network') {
        return { health: false, next: mayRetryTransient ? 'backoff' : 'throw' };
      }
      // The target answered sensibly (a 4xx about this user); a 401 is the quarantine's business, not health's.
      return error.kind === 'unauthorized' ? { next: 'throw' } : { health: true, next: 'throw' };
    }
    if (error instanceof OAuthError && error.retryable) return { health: false, next: 'throw' };
    return { next: 'throw' };
  }

  private noteCorrelation(answer: unknown): void {
    const id =
      answer !== null && typeof answer === 'object'
        ? (answer as { targetCorrelationId?: unknown }).targetCorrelationId
        : undefined;
    if (typeof id === 'string' && id !== '') this.targetCorrelationId = id;
  }

  private async report(healthy: boolean): Promise<void> {
    await this.options.onTargetHealth?.(healthy);
  }
}
