import type { HrEvent } from '@dirsync/contracts';
import { PATCH_OP_SCHEMA, type PatchOperation, type ScimUser } from '@dirsync/scim';
import type { PersonState, PersonStore } from './person-store.js';
import {
  PersonSyncer,
  type PersonSyncerOptions,
  type RequestContext,
  type ScimTarget,
} from './sync-person.js';

/** One request a sync would make. Reads are really made (a preview must see the target); writes are not. */
export interface PlannedRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  ifMatch?: string;
  body?: unknown;
  /** True for reads the preview made; false for writes it only describes. */
  sent: boolean;
}

const WOULD_BE_ASSIGNED = '(assigned by the target)';

/** A ScimTarget that performs reads and records writes instead of sending them. */
export class RecordingTarget implements ScimTarget {
  readonly requests: PlannedRequest[] = [];
  private readonly inner: ScimTarget;

  constructor(inner: ScimTarget) {
    this.inner = inner;
  }

  getUser(id: string, ctx?: RequestContext) {
    this.requests.push({ method: 'GET', path: `/Users/${id}`, sent: true });
    return this.inner.getUser(id, ctx);
  }

  findByExternalId(externalId: string, ctx?: RequestContext) {
    this.requests.push({
      method: 'GET',
      path: `/Users?filter=externalId eq ${JSON.stringify(externalId)}`,
      sent: true,
    });
    return this.inner.findByExternalId(externalId, ctx);
  }

  findByUserName(userName: string, ctx?: RequestContext) {
    this.requests.push({
      method: 'GET',
      path: `/Users?filter=userName eq ${JSON.stringify(userName)}`,
      sent: true,
    });
    return this.inner.findByUserName(userName, ctx);
  }

  async createUser(user: ScimUser) {
    this.requests.push({ method: 'POST', path: '/Users', body: user, sent: false });
    return { user: { ...user, id: WOULD_BE_ASSIGNED }, version: undefined };
  }

  async patchUser(id: string, operations: PatchOperation[], options: { version?: string | undefined }) {
    const planned: PlannedRequest = {
      method: 'PATCH',
      path: `/Users/${id}`,
      body: { schemas: [PATCH_OP_SCHEMA], Operations: operations },
      sent: false,
    };
    if (options.version !== undefined) planned.ifMatch = options.version;
    this.requests.push(planned);
    return { user: undefined, version: options.version };
  }
}

/**
 * Folds an event into a person's state exactly as ingestion does (PersonStore's script): the newest event wins,
 * `active` follows lifecycle events, a bare deactivation keeps the last full record.
 */
export function foldEvent(
  previous: PersonState | undefined,
  event: HrEvent,
  occurredAtMs: number,
  key: string,
): PersonState | undefined {
  if (previous && occurredAtMs < previous.occurredAtMs) return undefined;
  const full = Object.keys(event.data).some((k) => k !== 'externalId');
  let active = previous?.active ?? true;
  if (event.event === 'user.created' || event.event === 'user.reactivated') active = true;
  if (event.event === 'user.deactivated') active = false;
  return {
    externalId: event.data.externalId,
    event: event.event,
    occurredAtMs,
    data: !full && previous ? previous.data : event.data,
    active,
    correlationId: key,
    rev: (previous?.rev ?? 0) + 1,
    appliedRev: previous?.appliedRev ?? 0,
    failedRev: previous?.failedRev ?? 0,
    receivedAtMs: Date.now(),
  };
}

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

/** The SCIM requests an event would cause, using the worker's own mapping, policy and diff; nothing is applied. */
export async function previewEvent(
  event: HrEvent,
  deps: Omit<PersonSyncerOptions, 'dryRun' | 'target'> & { target: ScimTarget; people: PersonStore },
): Promise<PreviewResult> {
  const occurredAtMs = event.occurredAt ? Date.parse(event.occurredAt) : Date.now();
  const previous = await deps.people.get(event.data.externalId);
  const state = foldEvent(previous, event, occurredAtMs, event.id ?? 'preview');
  const externalId = event.data.externalId;
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
  const recording = new RecordingTarget(deps.target);
  const syncer = new PersonSyncer({ ...deps, target: recording, dryRun: true });
  const desired = state.active ? await deps.mapping.evaluate(state.data).catch(() => null) : null;
  const result = await syncer.sync(state);
  const preview: PreviewResult = {
    externalId,
    stale: false,
    desired,
    outcome: result.status === 'done' ? result.outcome : 'failed',
    requests: recording.requests,
    discrepancies: result.discrepancies,
  };
  if (result.status === 'failed') preview.detail = result.error.message;
  return preview;
}
