// The demo's effective-dated day: a termination entered a few seconds ahead, and a hire starting a few seconds
// from now. Both wait in the schedule (GET /admin/scheduled) and happen at their time, not when they were sent.
import type { DirsyncApi } from './api-client.js';
import { bold, dim, say } from './paint.js';
import type { HrEvent } from './workload.js';

export type Check = [text: string, ok: boolean, why: string];

interface ScheduledList {
  scheduled: Array<{ externalId: string; kind: string; dueAt: string; sourceEventId: string }>;
}

async function scheduledFor(api: DirsyncApi, ids: string[]): Promise<ScheduledList['scheduled']> {
  const res = await api.admin('GET', '/admin/scheduled?limit=1000');
  if (res.status !== 200) return [];
  return (res.json as ScheduledList).scheduled.filter((s) => ids.includes(s.externalId));
}

/** Sends the two future-dated events, shows them pending, waits for their time and checks they happened. */
export async function showEffectiveDating(
  api: DirsyncApi,
  input: { tag: string; leaver: HrEvent; drain: (expected: number) => Promise<void> },
): Promise<Check[]> {
  const { tag, leaver } = input;
  const now = Date.now();
  const termination: HrEvent & { effectiveAt: string } = {
    id: `${tag}-evt-future-leave`,
    event: 'user.deactivated',
    occurredAt: new Date(now).toISOString(),
    effectiveAt: new Date(now + 6000).toISOString(),
    data: { externalId: leaver.data.externalId },
  };
  const hire: HrEvent & { effectiveAt: string } = {
    id: `${tag}-evt-future-hire`,
    event: 'user.created',
    occurredAt: new Date(now).toISOString(),
    effectiveAt: new Date(now + 8000).toISOString(),
    data: {
      ...leaver.data,
      externalId: `${tag}-prehire`,
      firstName: 'Nova',
      lastName: 'Start',
      workEmail: `nova.start.${tag}@example.com`,
      managerExternalId: null,
    },
  };
  const ids = [termination.data.externalId, hire.data.externalId];
  say();
  say(bold('Day 4 · effective dating: a termination 6 s ahead, a hire starting in 8 s'));
  for (const e of [termination, hire]) {
    const res = await api.deliver(e);
    say(`  → ${`single: ${e.event} effective ${e.effectiveAt}`.padEnd(60)} 202 ${res.json.status}`);
  }
  const pending = await scheduledFor(api, ids);
  for (const s of pending) say(dim(`  scheduled: ${s.kind.padEnd(12)} ${s.externalId} at ${s.dueAt}`));
  const beforeTime = await api.preview(termination);
  const deadline = Date.now() + 90_000;
  while ((await scheduledFor(api, ids)).length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
  }
  const appliedAt = Date.now();
  await input.drain(2);
  say(
    dim(`  both fell due and were applied ${((appliedAt - now) / 1000).toFixed(1)} s after they were sent`),
  );
  // Previews dated now, so they compare with what Genesys holds rather than being older than the applied change.
  const current = (e: HrEvent): HrEvent => ({
    id: e.id,
    event: e.event,
    occurredAt: new Date().toISOString(),
    data: e.data,
  });
  const leaverAfter = await api.preview(current(termination));
  const hireAfter = await api.preview(current(hire));
  return [
    [
      'future-dated events wait in GET /admin/scheduled',
      pending.length === 2,
      `${pending.length} of 2 listed`,
    ],
    [
      'the termination did not apply before its time',
      beforeTime === undefined || beforeTime.outcome === 'deactivated',
      `a preview before the time said ${beforeTime?.outcome}`,
    ],
    [
      'the termination applied at its time',
      appliedAt >= now + 6000 && (leaverAfter === undefined || leaverAfter.outcome === 'unchanged'),
      `preview afterwards: ${leaverAfter?.outcome}`,
    ],
    [
      'the future hire exists in Genesys from the start',
      hireAfter === undefined || hireAfter.outcome === 'unchanged',
      `preview afterwards: ${hireAfter?.outcome}`,
    ],
  ];
}
