import type { PolicyDecision } from '@dirsync/policy';
import type { PatchOperation, ScimResponseInfo, ScimUser } from '@dirsync/scim';
import type { PersonState } from './person-state.js';
import type { CachedTarget } from './target-cache.js';

/**
 * Per-request context: the correlation id travels to the target as `X-Correlation-Id`. The listeners let one sync
 * keep its own log (the console timeline): each request's outcome, and what the mapping made of the record.
 */
export interface RequestContext {
  correlationId?: string;
  signal?: AbortSignal;
  onResponse?: (info: ScimResponseInfo) => void;
  onMapped?: (user: ScimUser) => void;
}

/** How one sync of a person may go beyond the plain write. */
export interface SyncOptions {
  /** This person's rename waits in a cycle: step aside to a temporary userName, nothing else. */
  park?: boolean;
}

/** What the sync needs from a SCIM client (the real one, or the preview's recording target). */
export interface ScimTarget {
  getUser(id: string, ctx?: RequestContext): Promise<{ user: ScimUser; version?: string | undefined }>;
  findByExternalId(externalId: string, ctx?: RequestContext): Promise<ScimUser | undefined>;
  findByUserName(userName: string, ctx?: RequestContext): Promise<ScimUser | undefined>;
  createUser(user: ScimUser, ctx?: RequestContext): Promise<{ user: ScimUser; version?: string | undefined }>;
  patchUser(
    id: string,
    operations: PatchOperation[],
    options: { version?: string | undefined },
    ctx?: RequestContext,
  ): Promise<{ user?: ScimUser | undefined; version?: string | undefined }>;
}

/** The target-side cache as the sync uses it (Redis-backed, or the preview's overlay that writes nothing). */
export interface TargetCachePort {
  get(externalId: string): Promise<CachedTarget | undefined>;
  isKnownMissing(externalId: string): Promise<boolean>;
  set(externalId: string, entry: CachedTarget): Promise<void>;
  markMissing(externalId: string): Promise<void>;
  drop(externalId: string): Promise<void>;
}

/** People waiting for their manager to exist in the target (PersonStore, or the preview's no-op). */
export interface ManagerWaitlist {
  /** Remembers that `externalId` waits for `managerExternalId`. */
  waitForManager(externalId: string, managerExternalId: string): Promise<void>;
  /** The manager was found: `externalId` no longer waits. */
  stopWaitingForManager(externalId: string, managerExternalId: string): Promise<void>;
  /** The manager now exists: asks a sync for everyone waiting; returns them. */
  releaseManagerWaiters(managerExternalId: string): Promise<string[]>;
}

/** Reads a person's HR state. */
export interface PersonReader {
  get(externalId: string): Promise<PersonState | undefined>;
}

/** The mapping as the sync uses it. */
export interface SyncMapping {
  readonly owned: readonly string[];
  evaluate(record: PersonState['data']): Promise<ScimUser | null>;
}

/** The role policy as the sync uses it. */
export interface SyncPolicy {
  readonly managedRoles: ReadonlySet<string>;
  evaluate(input: {
    externalId: string;
    departmentCode: string | null | undefined;
    roles: string[];
  }): PolicyDecision;
}
