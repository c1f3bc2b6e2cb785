import type { Logger } from '@dirsync/core';
import type { TokenStore } from '../auth/token-store.js';
import type { BehaviorSwitches } from '../behavior/behavior-settings.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { ResolvedOptions } from '../options.js';
import type { GroupStore } from './group-store.js';
import type { RequestMetrics } from './request-metrics.js';
import type { SlidingWindowLimiter } from './sliding-window.js';
import type { UserStore } from './user-store.js';

/** Everything the HTTP handlers share: the state of one running simulator. */
export interface SimContext {
  options: ResolvedOptions;
  users: UserStore;
  groups: GroupStore;
  behavior: BehaviorSwitches;
  tokens: TokenStore;
  limiter: SlidingWindowLimiter;
  faults: FaultInjector;
  metrics: RequestMetrics;
  logger: Logger;
  /** Aborted on close, so requests waiting out a latency stop waiting. */
  signal: AbortSignal;
  /** Origin of the running server, e.g. `http://127.0.0.1:4010`. */
  origin(): string;
}
