import type { HrEvent } from '@dirsync/contracts';
import type { ScimUser } from '@dirsync/scim';
import { foldEvent } from './fold-event.js';
import { toIncomingEvent } from './incoming-event.js';
import { PREVIEW_MANAGER_WAITS } from './manager-wait.js';
import { PREVIEW_NOTES } from './note-ledger.js';
import { PersonSyncer, type PersonSyncerOptions } from './person-syncer.js';
import { PREVIEW_WAITLIST, PreviewCache, PreviewRefusals } from './preview-ports.js';
import { previewNextScheduled, type ScheduledPreview } from './preview-scheduled.js';
import { type PlannedRequest, RecordingTarget } from './recording-target.js';
import { NO_ROUTING_MEMORY, PreviewRoutingMemory } from './routing-memory.js';
import type { ScheduledChanges } from './scheduled-changes.js';

/** What `POST /admin/preview` answers: the requests an event would cause; nothing applied. */
export interface PreviewResult {
  externalId: string;
  /** True when the event is older than the newest one received for this person: it would change nothing. */
  stale: boolean;
  /** What the mapping makes of the record (null: out of scope). */
  desired: ScimUser | null;
  outcome: string;
  requests: PlannedRequest[];
  discrepancies: unknown[];
  detail?: string;
  /** The person's next effective-dated change, laid over the state this preview leaves ("now"). */
  nextScheduled?: ScheduledPreview;
}

/**
 * The SCIM requests an event would cause: the engine's own syncer, with write ports that record instead of
 * sending (a recording target, a cache overlay, no waiting-list changes). Reads are real.
 */
export async function previewEvent(
  event: HrEvent,
  engine: PersonSyncerOptions,
  schedule?: ScheduledChanges,
): Promise<PreviewResult> {
  const externalId = event.data.externalId;
  const previous = await engine.people.get(externalId);
  const incoming = toIncomingEvent(event, event.id ?? 'preview', Date.now());
  const state = foldEvent(previous, incoming, Date.now());
  if (!state) {
    return {
      externalId,
      stale: true,
      desired: null,
      outcome: 'unchanged',
      requests: [],
      discrepancies: [],
      detail: 'older than the newest event already received for this person: it would change nothing',
    };
  }
  const target = new RecordingTarget(engine.target);
  const syncer = previewSyncer(engine, target);
  const desired = state.active ? await engine.mapping.evaluate(state.data).catch(() => null) : null;
  const result = await syncer.sync(state);
  const preview: PreviewResult = {
    externalId,
    stale: false,
    desired,
    outcome: result.kind === 'synced' ? result.outcome : 'failed',
    requests: target.requests,
    discrepancies: result.discrepancies,
  };
  if (result.kind === 'failed') preview.detail = result.error.message;
  const next = schedule && (await previewNextScheduled(state, externalId, schedule, engine));
  if (next) preview.nextScheduled = next;
  return preview;
}

/**
 * The engine's syncer with write ports that record instead of writing: `target` (a recording target), a cache
 * overlay, no waiting-list changes, notes or refusals remembered for real.
 */
export function previewSyncer(engine: PersonSyncerOptions, target: RecordingTarget): PersonSyncer {
  // A preview's reads neither pause everyone on a 429 nor count towards a quarantine.
  // Nor does a preview's 403 count towards one.
  const { onRateLimited: _pause, onTargetHealth: _health, permissions: _gate, ...ports } = engine;
  return new PersonSyncer({
    ...ports,
    target,
    cache: new PreviewCache(engine.cache),
    waitlist: PREVIEW_WAITLIST,
    notes: PREVIEW_NOTES,
    managerWaits: PREVIEW_MANAGER_WAITS,
    ...(engine.refusals ? { refusals: new PreviewRefusals(engine.refusals) } : {}),
    routingMemory: new PreviewRoutingMemory(engine.routingMemory ?? NO_ROUTING_MEMORY),
  });
}
