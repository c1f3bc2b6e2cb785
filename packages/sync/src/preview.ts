import type { HrEvent } from '@dirsync/contracts';
import type { ScimUser } from '@dirsync/scim';
import { foldEvent } from './fold-event.js';
import { PersonSyncer, type PersonSyncerOptions } from './person-syncer.js';
import { PREVIEW_WAITLIST, PreviewCache } from './preview-ports.js';
import { type PlannedRequest, RecordingTarget } from './recording-target.js';
import { NO_ROUTING_MEMORY, PreviewRoutingMemory } from './routing-memory.js';

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
}

/**
 * The SCIM requests an event would cause: the engine's own syncer, with write ports that record instead of
 * sending (a recording target, a cache overlay, no waiting-list changes). Reads are real.
 */
export async function previewEvent(event: HrEvent, engine: PersonSyncerOptions): Promise<PreviewResult> {
  const externalId = event.data.externalId;
  const previous = await engine.people.get(externalId);
  const incoming = {
    idempotencyKey: event.id ?? 'preview',
    type: event.event,
    occurredAtMs: event.occurredAt ? Date.parse(event.occurredAt) : Date.now(),
    data: event.data,
  };
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
  // A preview's reads neither pause everyone on a 429 nor count towards a quarantine.
  const { onRateLimited: _pause, onTargetHealth: _health, ...ports } = engine;
  const syncer = new PersonSyncer({
    ...ports,
    target,
    cache: new PreviewCache(engine.cache),
    waitlist: PREVIEW_WAITLIST,
    routingMemory: new PreviewRoutingMemory(engine.routingMemory ?? NO_ROUTING_MEMORY),
  });
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
  return preview;
}
