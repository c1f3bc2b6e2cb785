import { overlayChangeSet } from './change-set.js';
import { foldEvent } from './fold-event.js';
import type { PersonState } from './person-state.js';
import { PersonSyncer, type PersonSyncerOptions } from './person-syncer.js';
import { PREVIEW_WAITLIST, PreviewCache } from './preview-ports.js';
import { type PlannedRequest, RecordingTarget } from './recording-target.js';
import { type ScheduledChanges, type ScheduledEntry, toEntry } from './scheduled-changes.js';

/** The person's next pending change, and the requests it would cause laid over the state previewed as "now". */
export interface ScheduledPreview extends ScheduledEntry {
  outcome: string;
  requests: PlannedRequest[];
  detail?: string;
}

/**
 * Previews the person's next scheduled change over `now` (their state as the preview leaves it), with the engine's
 * own syncer and recording ports. Undefined when nothing is scheduled for them.
 */
export async function previewNextScheduled(
  now: PersonState | undefined,
  externalId: string,
  schedule: ScheduledChanges,
  engine: PersonSyncerOptions,
): Promise<ScheduledPreview | undefined> {
  const [next] = await schedule.forPerson(externalId);
  if (!next) return undefined;
  const entry = toEntry(next.change, next.stage);
  const event = overlayChangeSet(now, next.change, next.stage);
  const state = event ? foldEvent(now, event, Date.now()) : undefined;
  if (!state) return { ...entry, outcome: 'unchanged', requests: [], detail: 'nothing to apply' };
  const target = new RecordingTarget(engine.target);
  const { onRateLimited: _pause, onTargetHealth: _health, ...ports } = engine;
  const isPrehire = next.stage === 'prehire';
  const syncer = new PersonSyncer({
    ...ports,
    target,
    cache: new PreviewCache(engine.cache),
    waitlist: PREVIEW_WAITLIST,
    prehires: { isPrehire: async () => isPrehire },
  });
  const result = await syncer.sync(state);
  const preview: ScheduledPreview = {
    ...entry,
    outcome: result.kind === 'synced' ? result.outcome : 'failed',
    requests: target.requests,
  };
  if (result.kind === 'failed') preview.detail = result.error.message;
  return preview;
}
