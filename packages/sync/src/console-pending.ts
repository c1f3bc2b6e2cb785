import { DirsyncError } from '@dirsync/core';
import type { ScimGroupRef, ScimUser } from '@dirsync/scim';
import type { PersonView } from './console-view.js';
import type { GroupTarget } from './group-directory.js';
import type { PersonState } from './person-state.js';
import type { PersonSyncerOptions } from './person-syncer.js';
import { previewSyncer } from './preview.js';
import { RecordingTarget } from './recording-target.js';
import type { ScimTarget, TargetCachePort } from './sync-ports.js';

/** The console's pending diff would need a read of the target; it spends none (the "read live" button does). */
export class TargetReadNeeded extends DirsyncError {
  constructor(what: string) {
    super(
      'target_read_needed',
      `the next sync would first read the target (${what}); this page spends no request on it`,
      { retryable: false },
    );
    this.name = 'TargetReadNeeded';
  }
}

/**
 * A target that is never called: lookups by externalId answer from the target cache, everything else (a read
 * the cache cannot answer, any write) refuses with {@link TargetReadNeeded}. Under a recording target it turns the
 * preview into "what the next sync would send, judged from the cache", at no request.
 */
export class CacheOnlyTarget implements ScimTarget, GroupTarget {
  constructor(private readonly cache: TargetCachePort) {}

  async getUser(id: string): Promise<{ user: ScimUser; version?: string | undefined }> {
    throw new TargetReadNeeded(`GET /Users/${id}`);
  }

  async findByExternalId(externalId: string): Promise<ScimUser | undefined> {
    const cached = await this.cache.get(externalId);
    if (cached?.user) {
      const meta = cached.version === undefined ? {} : { meta: { version: cached.version } };
      return { ...cached.user, id: cached.scimId, ...meta };
    }
    throw new TargetReadNeeded(`a lookup of ${JSON.stringify(externalId)}`);
  }

  async findByUserName(userName: string): Promise<ScimUser | undefined> {
    throw new TargetReadNeeded(`a lookup by userName of ${JSON.stringify(userName)}`);
  }

  async createUser(): Promise<never> {
    throw new TargetReadNeeded('a create');
  }

  async patchUser(): Promise<never> {
    throw new TargetReadNeeded('a write');
  }

  async findGroupByDisplayName(displayName: string): Promise<ScimGroupRef | undefined> {
    throw new TargetReadNeeded(`a lookup of the group ${JSON.stringify(displayName)}`);
  }

  async patchGroupMembers(): Promise<never> {
    throw new TargetReadNeeded('a group write');
  }
}

/**
 * What the next sync of this person would send, computed over the cached target with no request: the engine's own
 * preview (a recording target over {@link CacheOnlyTarget}). A person the cache does not hold, or whose sync would
 * need a read first, is said so in `detail`.
 */
export async function pendingSync(
  state: PersonState,
  engine: PersonSyncerOptions,
): Promise<NonNullable<PersonView['pending']>> {
  if (!(await engine.cache.get(state.externalId))) {
    return {
      outcome: 'unknown',
      requests: [],
      detail:
        'not in the target cache: the next sync looks the person up in the target first (read live to compare)',
    };
  }
  const target = new RecordingTarget(new CacheOnlyTarget(engine.cache));
  const result = await previewSyncer(engine, target).sync(state);
  // Reads are answered from the cache or refused: only the writes the sync would send are listed.
  const requests = target.requests.filter((r) => !r.sent);
  if (result.kind === 'synced') return { outcome: result.outcome, requests };
  return { outcome: 'failed', requests, detail: result.error.message };
}
