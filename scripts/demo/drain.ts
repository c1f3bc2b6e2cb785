import { DemoError, type DirsyncApi } from './api-client.js';
import { red, useColor, yellow } from './paint.js';
import { createProgress } from './progress.js';

/** Polls /admin/status, showing progress, until no sync job waits or runs and nobody is pending. */
export async function drainSync(
  api: DirsyncApi,
  options: { expected: number; timeoutMs: number; dashboard: string },
): Promise<void> {
  const progress = createProgress(process.stdout, { color: useColor });
  const deadline = Date.now() + options.timeoutMs;
  let total = options.expected;
  let quiet = 0;
  // Settled = people who became pending since the first poll, less those still pending. Pending people also
  // appear mid-phase (a manager's sync re-queues their reports), so entries are counted as the count rises.
  let entered: number | undefined;
  let lastPending = 0;
  let done = 0;
  for (;;) {
    const s = await api.requireStatus();
    const q = s.queues.sync;
    const busy = (q.waiting ?? 0) + (q.active ?? 0) + (q.prioritized ?? 0);
    entered = entered === undefined ? s.pendingPeople : entered + Math.max(0, s.pendingPeople - lastPending);
    lastPending = s.pendingPeople;
    total = Math.max(total, entered);
    done = Math.min(total, Math.max(done, entered - s.pendingPeople));
    const parts = [`${q.waiting ?? 0} waiting, ${q.active ?? 0} active`];
    if (s.budget) {
      const full = s.budget.usedInWindow >= s.budget.limit;
      parts.push(
        `SCIM ${s.budget.usedInWindow}/${s.budget.limit} per min${full ? yellow(' (waiting for the budget)') : ''}`,
      );
      if (s.budget.pausedForMs > 0)
        parts.push(yellow(`paused ${Math.ceil(s.budget.pausedForMs / 1000)} s (429)`));
    }
    if (s.quarantine) parts.push(red('QUARANTINED'));
    const state = { done, total, detail: parts.join(' · ') };
    progress.update(state);
    quiet = busy === 0 && s.pendingPeople === 0 ? quiet + 1 : 0;
    // Three quiet polls: a manager's sync re-queues the people waiting for them before it lets go.
    if (quiet >= 3) {
      progress.finish({ ...state, done: total });
      return;
    }
    if (Date.now() > deadline) {
      progress.finish(state);
      throw new DemoError(
        `the sync did not settle within ${options.timeoutMs / 1000} s (${s.pendingPeople} people pending, ` +
          `${q.waiting} jobs waiting, ${q.active} active). Look at the worker's log and ${options.dashboard}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}
