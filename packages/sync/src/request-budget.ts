import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { sleep } from '@dirsync/core';
import type { Cluster, Redis } from 'ioredis';
import type { SyncKeys } from './keys.js';
import { LuaScript } from './lua-script.js';

// A sliding-window log: one ZSET entry per request, timestamped by Redis's clock so every process agrees.
// A fixed window (what most Redis limiters and BullMQ's limiter use) lets up to twice the limit through across a
// window boundary; the contract says "in any 60-second window".
// KEYS: window, blockedUntil. ARGV: windowMs, member, cap.
// → {1, 0} granted; {0, waitMs} not yet.
const ACQUIRE = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked > now then return {0, blocked - now} end
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local cap = tonumber(ARGV[3])
if count < cap then
  redis.call('ZADD', KEYS[1], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0}
end
local idx = count - cap
local oldest = redis.call('ZRANGE', KEYS[1], idx, idx, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now + 1
if wait < 1 then wait = 1 end
return {0, wait}
`);

// KEYS: blockedUntil. ARGV: ms. Extends (never shortens) the pause everyone honours.
const PAUSE = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > cur then
  redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]))
  return untilMs
end
return cur
`);

export type BudgetPriority = 'live' | 'background';

/** A slot taken ahead of the request that will use it; unused, it is given back. */
interface Reservation {
  member: string;
  used: boolean;
}

export interface RequestBudgetOptions {
  redis: Redis | Cluster;
  keys: SyncKeys;
  /** Requests allowed in any window, all processes together (`SCIM_RATE_LIMIT_PER_MINUTE`). */
  limit: number;
  /** The window; 60 s plus a safety margin for the time a request takes to reach the target. */
  windowMs?: number;
  /** Share of the window background work (reconcile reads) may use, so live events are never starved. */
  backgroundShare?: number;
  /** Called with how long a caller waited, for metrics. */
  onWait?: (ms: number) => void;
}

/** Default window: a minute, plus one second so requests that reach the target late never overlap a window. */
export const DEFAULT_BUDGET_WINDOW_MS = 61_000;

/**
 * The SCIM request budget shared by every worker process through Redis: never more than `limit` requests in any
 * window, and nobody at all while the target has asked us to back off (429 `Retry-After`).
 */
export class RequestBudget {
  private readonly redis: Redis | Cluster;
  private readonly keys: SyncKeys;
  readonly limit: number;
  readonly windowMs: number;
  private readonly backgroundCap: number;
  private readonly onWait: ((ms: number) => void) | undefined;
  private readonly reserved = new AsyncLocalStorage<Reservation>();

  constructor(options: RequestBudgetOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? DEFAULT_BUDGET_WINDOW_MS;
    this.backgroundCap = Math.max(1, Math.floor(options.limit * (options.backgroundShare ?? 0.5)));
    this.onWait = options.onWait;
  }

  /** Waits for a slot and takes it. Rejects with the signal's reason when aborted. */
  async acquire(options: { priority?: BudgetPriority; signal?: AbortSignal } = {}): Promise<void> {
    const reservation = options.priority === 'background' ? undefined : this.reserved.getStore();
    if (reservation && !reservation.used) {
      reservation.used = true;
      return;
    }
    await this.take(options.priority === 'background' ? this.backgroundCap : this.limit, options.signal);
  }

  /**
   * Waits for a live slot first, then runs `work`, whose first live request uses that slot; a slot `work` did not
   * use is given back. Whatever `work` reads before its first request is therefore as new as the slot itself: under
   * a binding budget, changes that arrive while waiting are folded into that one request.
   */
  async withSlot<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const reservation: Reservation = { member: await this.take(this.limit, signal), used: false };
    try {
      return await this.reserved.run(reservation, work);
    } finally {
      if (!reservation.used) await this.redis.zrem(this.keys.budgetWindow, reservation.member);
    }
  }

  /** Takes a slot under `cap`; returns its window member. */
  private async take(cap: number, signal: AbortSignal | undefined): Promise<string> {
    const options = signal ? { signal } : {};
    const member = randomUUID();
    const started = Date.now();
    for (;;) {
      options.signal?.throwIfAborted();
      const [granted, waitMs] = await ACQUIRE.run<[number, number]>(
        this.redis,
        [this.keys.budgetWindow, this.keys.blockedUntil],
        [this.windowMs, member, cap],
      );
      if (granted === 1) {
        if (this.onWait) this.onWait(Date.now() - started);
        return member;
      }
      // Wake a little after the slot frees, spread so waiting processes do not all retry at the same instant.
      await sleep(Math.min(waitMs, 5_000) + Math.floor(Math.random() * 25), options.signal);
    }
  }

  /** Everyone stops calling the target for `ms` (a 429's `Retry-After`). Returns the epoch ms it lasts until. */
  async pauseFor(ms: number): Promise<number> {
    return Number(await PAUSE.run(this.redis, [this.keys.blockedUntil], [Math.max(1, Math.ceil(ms))]));
  }

  /** Milliseconds left of a pause, 0 when none. */
  async pausedForMs(): Promise<number> {
    const [until, now] = await Promise.all([this.redis.get(this.keys.blockedUntil), this.redisNow()]);
    return Math.max(0, Number(until ?? 0) - now);
  }

  /** Requests in the current window, or in the last `windowMs` (the console shows the last 60 s). */
  async used(windowMs = this.windowMs): Promise<number> {
    const now = await this.redisNow();
    return this.redis.zcount(this.keys.budgetWindow, now - windowMs, '+inf');
  }

  private async redisNow(): Promise<number> {
    const [sec, micro] = await this.redis.time();
    return Number(sec) * 1000 + Math.floor(Number(micro) / 1000);
  }
}
