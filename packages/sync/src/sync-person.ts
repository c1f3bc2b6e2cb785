import { DirsyncError, type Logger, sleep } from '@dirsync/core';
import type { PolicyDecision } from '@dirsync/policy';
import type { Discrepancy, Outcome } from '@dirsync/reports';
import {
  compareUser,
  diffUser,
  ENTERPRISE_USER_SCHEMA,
  OAuthError,
  type PatchOperation,
  projectOwned,
  ScimError,
  type ScimUser,
} from '@dirsync/scim';
import type { PersonState, PersonStore } from './person-store.js';
import { ConflictExhaustedError, SyncInterruptedError, UserNameTakenError } from './sync-errors.js';
import type { CachedTarget, TargetCache } from './target-cache.js';

/** Per-request context: the correlation id travels to the target as `X-Correlation-Id`. */
export interface RequestContext {
  correlationId?: string;
  signal?: AbortSignal;
}

/** What the sync needs from a SCIM client (the real one, or a dry-run wrapper that records writes). */
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

export type PersonSyncResult =
  | {
      status: 'done';
      outcome: Outcome;
      scimId?: string;
      discrepancies: Discrepancy[];
      requests: number;
      /** People whose manager this person is, now resolvable: they need a sync to fill it in. */
      resync: string[];
    }
  | {
      status: 'failed';
      /** Whether trying again later can help (5xx, network, conflicts) or not (policy, 4xx, bad mapping). */
      retryable: boolean;
      /** The target refuses everyone (credentials, permissions): stop the whole sync, not just this person. */
      quarantine?: 'auth' | 'server';
      error: DirsyncError;
      scimId?: string;
      discrepancies: Discrepancy[];
      requests: number;
    };

export interface PersonSyncerOptions {
  target: ScimTarget;
  mapping: SyncMapping;
  policy: SyncPolicy;
  cache: TargetCache;
  people: PersonStore;
  /** externalIds and userNames (compared case-insensitively) that are never deactivated. */
  protectedUsers?: Iterable<string>;
  /** A 429 arrived: make every process wait `retryAfterMs` (budget pause + BullMQ queue rate limit). */
  onRateLimited?: (retryAfterMs: number) => Promise<void>;
  /** Called on each target answer that says the target is healthy or failing, for quarantine decisions. */
  onTargetHealth?: (healthy: boolean) => Promise<void>;
  /** Preview: read for real, write nothing (no target writes, no cache or waiting-list changes). */
  dryRun?: boolean;
  logger?: Logger;
  /** Re-sends after a version conflict (contract: at most 3). */
  maxConflictResends?: number;
}

/** 429s in a row on one request before the person is left for a later retry. */
const MAX_RATE_LIMITED_RETRIES = 20;
/** In-request retries of an idempotent request after a 5xx or network error, before the batch's own retry. */
const MAX_TRANSIENT_RETRIES = 2;
const TRANSIENT_BACKOFF_MS = 400;

interface Located {
  scimId: string;
  version?: string | undefined;
  user: ScimUser;
  fromCache: boolean;
}

interface Counter {
  requests: number;
}

function roleNames(user: ScimUser): string[] {
  return (user.roles ?? [])
    .map((r) => r.value)
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
}

function enterprise(user: ScimUser): NonNullable<ScimUser[typeof ENTERPRISE_USER_SCHEMA]> | undefined {
  return user[ENTERPRISE_USER_SCHEMA];
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

/**
 * Syncs one person's newest HR state to the target with the fewest requests: a cached id and version make a warm
 * update one PATCH with `If-Match`; only attributes that differ are sent; nothing differs, nothing is written.
 * Never throws for a person's failure: the result says whether a retry can help.
 */
export class PersonSyncer {
  private readonly options: PersonSyncerOptions;
  private readonly owned: string[];
  private readonly protectedUsers: Set<string>;
  private readonly maxResends: number;

  constructor(options: PersonSyncerOptions) {
    this.options = options;
    // The sync always owns externalId: it sets it when adopting an existing user.
    this.owned = [...new Set([...options.mapping.owned, 'externalId'])];
    this.protectedUsers = new Set([...(options.protectedUsers ?? [])].map((u) => u.toLowerCase()));
    this.maxResends = options.maxConflictResends ?? 3;
  }

  async sync(state: PersonState, ctx: RequestContext = {}): Promise<PersonSyncResult> {
    const counter: Counter = { requests: 0 };
    const context: RequestContext = { ...ctx, correlationId: ctx.correlationId ?? state.correlationId };
    try {
      return state.active
        ? await this.upsert(state, context, counter)
        : await this.deactivate(state, context, counter);
    } catch (error) {
      if (isAbort(error, ctx.signal)) throw new SyncInterruptedError(error);
      return this.failure(error, state, counter);
    }
  }

  private diffOptions() {
    return { owned: this.owned, managedRoles: this.options.policy.managedRoles };
  }

  /**
   * Runs one target request. A 429 pauses everyone for its Retry-After and the request is sent again (no attempt
   * is charged). A 5xx or network error on an idempotent request is retried here a couple of times with
   * exponential backoff and jitter; a create is never blindly re-sent (its answer may have been lost after the
   * user was made), so it fails to the batch, whose retry looks the person up first.
   */
  private async call<T>(
    counter: Counter,
    ctx: RequestContext,
    request: () => Promise<T>,
    idempotent = true,
  ): Promise<T> {
    let transientRetries = 0;
    for (let attempt = 0; ; attempt++) {
      counter.requests += 1;
      try {
        const result = await request();
        await this.options.onTargetHealth?.(true);
        return result;
      } catch (error) {
        if (error instanceof ScimError) {
          if (error.kind === 'rate_limited' && attempt < MAX_RATE_LIMITED_RETRIES) {
            await this.options.onRateLimited?.(error.retryAfterMs ?? 3000);
            continue;
          }
          if (error.kind === 'server_error' || error.kind === 'network') {
            await this.options.onTargetHealth?.(false);
            if (idempotent && transientRetries < MAX_TRANSIENT_RETRIES) {
              const ceiling = TRANSIENT_BACKOFF_MS * 2 ** transientRetries;
              transientRetries += 1;
              await sleep(ceiling / 2 + Math.random() * (ceiling / 2), ctx.signal);
              continue;
            }
          } else if (error.kind !== 'rate_limited' && error.kind !== 'unauthorized') {
            await this.options.onTargetHealth?.(true);
          }
        } else if (error instanceof OAuthError && error.retryable) {
          await this.options.onTargetHealth?.(false);
        }
        throw error;
      }
    }
  }

  private async upsert(state: PersonState, ctx: RequestContext, counter: Counter): Promise<PersonSyncResult> {
    const externalId = state.externalId;
    const mapped = await this.options.mapping.evaluate(state.data);
    if (!mapped) return this.done('skipped', counter, []);

    const roles = roleNames(mapped);
    const decision = this.options.policy.evaluate({
      externalId,
      departmentCode: state.data.departmentCode,
      roles,
    });
    if (!decision.allowed) {
      const discrepancies: Discrepancy[] = decision.violations.map((v) => ({
        externalId,
        correlationId: ctx.correlationId ?? '',
        type: 'policy_violation',
        field: 'roles',
        expected: v.allowedRoles,
        actual: v.role,
        detail: v.message,
      }));
      return {
        status: 'failed',
        retryable: false,
        error: new DirsyncError('policy_violation', decision.violations.map((v) => v.message).join('; ')),
        discrepancies,
        requests: counter.requests,
      };
    }

    const desired: ScimUser = structuredClone(mapped);
    desired.externalId = externalId;
    await this.resolveManager(desired, externalId, ctx, counter);

    const cached = await this.options.cache.get(externalId);
    let located = await this.locate(state, cached, ctx, counter);
    if (!located && this.options.dryRun && desired.userName) {
      // A preview looks before it leaps: it shows the adoption a real run would discover on a 409.
      const byName = await this.call(counter, ctx, () =>
        this.options.target.findByUserName(desired.userName as string, ctx),
      );
      if (byName) located = this.adoptable(byName, externalId);
    }
    if (!located) {
      const created = await this.create(desired, externalId, ctx, counter);
      if (!('adopt' in created)) return this.finishWrite(state, desired, 'created', created, counter, true);
      located = created.adopt;
    }
    // Known for the first time (looked up or adopted): this person may be a manager others wait for.
    const newlyKnown = !cached || located.user.externalId !== externalId;
    const patched = await this.patchLoop(located, ctx, counter, (current) => {
      const ops = diffUser(current, desired, this.diffOptions());
      if (current.active === false) ops.push({ op: 'replace', path: 'active', value: true });
      return ops;
    });
    if (patched.kind === 'gone') {
      await this.forget(externalId);
      const created = await this.create(desired, externalId, ctx, counter);
      if ('adopt' in created) throw new UserNameTakenError('the user vanished and its userName is now taken');
      return this.finishWrite(state, desired, 'created', created, counter, true);
    }
    if (patched.kind === 'unchanged') {
      await this.remember(externalId, {
        scimId: located.scimId,
        version: patched.version,
        user: patched.user,
      });
      const resync = await this.afterKnown(externalId, newlyKnown);
      return this.done('unchanged', counter, [], located.scimId, resync);
    }
    const outcome = patched.wasInactive ? 'reactivated' : 'updated';
    return this.finishWrite(
      state,
      desired,
      outcome,
      { ...patched, scimId: located.scimId },
      counter,
      newlyKnown,
    );
  }

  /** Whether a user found by userName may be adopted (no externalId, or ours). */
  private adoptable(user: ScimUser, externalId: string): Located {
    if (user.externalId && user.externalId !== externalId) {
      throw new UserNameTakenError(
        `userName is taken by another person in the target (externalId "${user.externalId}", id ${user.id}); fix the HR e-mail or that user, then retry`,
      );
    }
    return { scimId: user.id as string, version: user.meta?.version, user, fromCache: false };
  }

  private async create(
    desired: ScimUser,
    externalId: string,
    ctx: RequestContext,
    counter: Counter,
  ): Promise<{ user: ScimUser; version?: string | undefined } | { adopt: Located }> {
    const body: ScimUser = { ...desired, active: true };
    try {
      const created = await this.call(counter, ctx, () => this.options.target.createUser(body, ctx), false);
      return created;
    } catch (error) {
      // The userName exists: an account made by hand or by another tool. Look it up and adopt it, unless it
      // belongs to someone else. (One lookup only when needed keeps a cold create at two requests.)
      if (error instanceof ScimError && error.kind === 'uniqueness' && desired.userName) {
        const existing = await this.call(counter, ctx, () =>
          this.options.target.findByUserName(desired.userName as string, ctx),
        );
        if (!existing) throw error;
        return { adopt: this.adoptable(existing, externalId) };
      }
      throw error;
    }
  }

  /** After a write: compares what the target answered with what was sent, remembers it, reports. */
  private async finishWrite(
    state: PersonState,
    desired: ScimUser,
    outcome: Outcome,
    written: { user?: ScimUser | undefined; version?: string | undefined; scimId?: string | undefined },
    counter: Counter,
    newlyKnown: boolean,
  ): Promise<PersonSyncResult> {
    const externalId = state.externalId;
    const scimId = written.scimId ?? (written.user?.id as string);
    const discrepancies: Discrepancy[] = [];
    if (written.user && !this.options.dryRun) {
      for (const m of compareUser(written.user, desired, this.diffOptions())) {
        discrepancies.push({
          externalId,
          scimId,
          correlationId: state.correlationId,
          type: 'attribute_mismatch',
          field: m.field,
          expected: m.expected,
          actual: m.actual,
          detail: `after the write the target holds a different ${m.field} than was sent`,
        });
      }
    }
    await this.remember(externalId, { scimId, version: written.version, user: written.user });
    return this.done(outcome, counter, discrepancies, scimId, await this.afterKnown(externalId, newlyKnown));
  }

  /** A person newly known in the target may be the manager others wait for. */
  private async afterKnown(externalId: string, newlyKnown: boolean): Promise<string[]> {
    if (!newlyKnown || this.options.dryRun) return [];
    return this.options.people.releaseManagerWaiters(externalId);
  }

  private async deactivate(
    state: PersonState,
    ctx: RequestContext,
    counter: Counter,
  ): Promise<PersonSyncResult> {
    const externalId = state.externalId;
    const cached = await this.options.cache.get(externalId);
    const names = [externalId, state.data.workEmail, cached?.user?.userName].filter(
      (n): n is string => typeof n === 'string',
    );
    if (names.some((n) => this.protectedUsers.has(n.toLowerCase()))) {
      return this.done('skipped', counter, [
        {
          externalId,
          scimId: cached?.scimId,
          correlationId: state.correlationId,
          type: 'policy_violation',
          field: 'active',
          expected: true,
          actual: false,
          detail: 'listed in PROTECTED_USERS: never deactivated; the deactivation was not applied',
        },
      ]);
    }
    const located = await this.locate(state, cached, ctx, counter);
    if (!located) return this.done('unchanged', counter, []);
    const patched = await this.patchLoop(located, ctx, counter, (current) =>
      current.active === false ? [] : [{ op: 'replace', path: 'active', value: false }],
    );
    if (patched.kind === 'gone') {
      await this.forget(externalId);
      return this.done('unchanged', counter, []);
    }
    await this.remember(externalId, { scimId: located.scimId, version: patched.version, user: patched.user });
    if (patched.kind === 'unchanged') return this.done('unchanged', counter, [], located.scimId);
    const discrepancies: Discrepancy[] = [];
    if (patched.user && patched.user.active !== false && !this.options.dryRun) {
      discrepancies.push({
        externalId,
        scimId: located.scimId,
        correlationId: state.correlationId,
        type: 'attribute_mismatch',
        field: 'active',
        expected: false,
        actual: patched.user.active,
        detail: 'the target still reports the user active after the deactivation',
      });
    }
    return this.done('deactivated', counter, discrepancies, located.scimId);
  }

  /**
   * Finds the person in the target: the cache first; a fresh read when the cache cannot be trusted for what we are
   * about to do (a reactivation must see the roles as they are now); else a lookup by externalId.
   */
  private async locate(
    state: PersonState,
    cached: CachedTarget | undefined,
    ctx: RequestContext,
    counter: Counter,
  ): Promise<Located | undefined> {
    const { target } = this.options;
    if (cached) {
      const mustRefresh = !cached.user || (state.active && cached.user.active === false);
      if (!mustRefresh && cached.user) {
        return { scimId: cached.scimId, version: cached.version, user: cached.user, fromCache: true };
      }
      try {
        const fresh = await this.call(counter, ctx, () => target.getUser(cached.scimId, ctx));
        return { scimId: cached.scimId, version: fresh.version, user: fresh.user, fromCache: false };
      } catch (error) {
        if (!(error instanceof ScimError && error.kind === 'not_found')) throw error;
        await this.forget(state.externalId);
      }
    }
    const found = await this.call(counter, ctx, () => target.findByExternalId(state.externalId, ctx));
    if (!found?.id) return undefined;
    return { scimId: found.id, version: found.meta?.version, user: found, fromCache: false };
  }

  /**
   * PATCHes with `If-Match` until the target takes it: on a version conflict re-read, re-diff and re-send, at
   * most `maxConflictResends` times; a cached id answered 404 is dropped and looked up again.
   */
  private async patchLoop(
    located: Located,
    ctx: RequestContext,
    counter: Counter,
    computeOps: (current: ScimUser) => PatchOperation[],
  ): Promise<
    | { kind: 'unchanged'; user: ScimUser; version?: string | undefined }
    | { kind: 'written'; user?: ScimUser | undefined; version?: string | undefined; wasInactive: boolean }
    | { kind: 'gone' }
  > {
    const { target } = this.options;
    let current = located.user;
    let version = located.version;
    let resends = 0;
    let mayBeStale = located.fromCache;
    for (;;) {
      const ops = computeOps(current);
      if (ops.length === 0) return { kind: 'unchanged', user: current, version };
      try {
        const result = await this.call(counter, ctx, () =>
          target.patchUser(located.scimId, ops, { version }, ctx),
        );
        return {
          kind: 'written',
          user: result.user,
          version: result.version,
          wasInactive: current.active === false,
        };
      } catch (error) {
        if (!(error instanceof ScimError)) throw error;
        if (error.kind === 'not_found') {
          if (!mayBeStale) return { kind: 'gone' };
          // The cached id is gone (the user was deleted or the cache is from another org): look again.
          await this.forget(String(current.externalId ?? ''));
          const found = current.externalId
            ? await this.call(counter, ctx, () => target.findByExternalId(String(current.externalId), ctx))
            : undefined;
          if (!found?.id) return { kind: 'gone' };
          located = { scimId: found.id, version: found.meta?.version, user: found, fromCache: false };
          current = found;
          version = found.meta?.version;
          mayBeStale = false;
          continue;
        }
        if (error.kind !== 'version_conflict') throw error;
        if (resends >= this.maxResends) throw new ConflictExhaustedError(resends, error);
        resends += 1;
        const fresh = await this.call(counter, ctx, () => target.getUser(located.scimId, ctx));
        current = fresh.user;
        version = fresh.version;
        mayBeStale = false;
      }
    }
  }

  /**
   * Replaces the mapping's `manager: { externalId }` by the manager's SCIM id. A manager not in the target yet is
   * left unset and the person waits for them; the manager's own sync then asks for this person again.
   */
  private async resolveManager(
    desired: ScimUser,
    externalId: string,
    ctx: RequestContext,
    counter: Counter,
  ): Promise<void> {
    const ext = enterprise(desired);
    const managerExternalId = ext?.manager?.externalId;
    if (!ext?.manager) return;
    if (!managerExternalId) {
      if (!ext.manager.value) delete ext.manager;
      return;
    }
    const { cache, people, target, dryRun } = this.options;
    // Wait first, then look: a manager created between the two still finds this person on the list.
    if (!dryRun) await people.waitForManager(externalId, managerExternalId);
    let managerId = (await cache.get(managerExternalId))?.scimId;
    if (!managerId) {
      const managerState = await people.get(managerExternalId);
      const managerPending = managerState !== undefined && managerState.rev > managerState.appliedRev;
      if (!managerPending && !(await cache.isKnownMissing(managerExternalId))) {
        const found = await this.call(counter, ctx, () => target.findByExternalId(managerExternalId, ctx));
        if (found?.id) {
          managerId = found.id;
          if (!dryRun) {
            await cache.set(managerExternalId, {
              scimId: found.id,
              version: found.meta?.version,
              user: projectOwned(found, this.diffOptions()),
              syncedAt: Date.now(),
            });
          }
        } else if (!dryRun) {
          await cache.markMissing(managerExternalId);
        }
      }
    }
    if (managerId) {
      if (!dryRun) await people.redis.srem(people.keys.waitingForManager(managerExternalId), externalId);
      ext.manager = { value: managerId };
      return;
    }
    delete ext.manager;
    this.options.logger?.debug('manager not in the target yet; left unset until it is synced', {
      externalId,
      managerExternalId,
    });
  }

  private async remember(
    externalId: string,
    entry: { scimId: string; version?: string | undefined; user?: ScimUser | undefined },
  ): Promise<void> {
    if (this.options.dryRun) return;
    const cached: CachedTarget = { scimId: entry.scimId, syncedAt: Date.now() };
    if (entry.version !== undefined) cached.version = entry.version;
    if (entry.user) {
      cached.user = projectOwned(entry.user, this.diffOptions());
      if (entry.user.active !== undefined) cached.user.active = entry.user.active;
    }
    await this.options.cache.set(externalId, cached);
  }

  private async forget(externalId: string): Promise<void> {
    if (!this.options.dryRun && externalId) await this.options.cache.drop(externalId);
  }

  private done(
    outcome: Outcome,
    counter: Counter,
    discrepancies: Discrepancy[],
    scimId?: string,
    resync: string[] = [],
  ): PersonSyncResult {
    const result: PersonSyncResult = {
      status: 'done',
      outcome,
      discrepancies,
      requests: counter.requests,
      resync,
    };
    if (scimId !== undefined) result.scimId = scimId;
    return result;
  }

  private failure(error: unknown, state: PersonState, counter: Counter): PersonSyncResult {
    const correlationId = state.correlationId;
    const externalId = state.externalId;
    const base = { externalId, correlationId };
    if (error instanceof ConflictExhaustedError) {
      return {
        status: 'failed',
        retryable: true,
        error,
        requests: counter.requests,
        discrepancies: [{ ...base, type: 'conflict_exhausted', detail: error.message }],
      };
    }
    if (error instanceof ScimError) {
      const quarantine = error.kind === 'unauthorized' ? 'auth' : undefined;
      const result: PersonSyncResult = {
        status: 'failed',
        retryable: error.retryable || error.kind === 'version_conflict' || error.kind === 'not_found',
        error,
        requests: counter.requests,
        discrepancies: [{ ...base, type: 'sync_failure', detail: error.message }],
      };
      if (quarantine) result.quarantine = quarantine;
      return result;
    }
    if (error instanceof OAuthError && !error.retryable) {
      // Refused credentials refuse everyone: stop the sync rather than fail each person.
      return {
        status: 'failed',
        retryable: false,
        quarantine: 'auth',
        error,
        requests: counter.requests,
        discrepancies: [{ ...base, type: 'sync_failure', detail: error.message }],
      };
    }
    if (error instanceof DirsyncError) {
      return {
        status: 'failed',
        retryable: error.retryable,
        error,
        requests: counter.requests,
        discrepancies: [{ ...base, type: 'sync_failure', detail: error.message }],
      };
    }
    // Anything else (Redis unreachable, a bug): keep the person pending and let the job retry.
    const wrapped = new DirsyncError('sync_error', error instanceof Error ? error.message : String(error), {
      cause: error,
      retryable: true,
    });
    return {
      status: 'failed',
      retryable: true,
      error: wrapped,
      requests: counter.requests,
      discrepancies: [{ ...base, type: 'sync_failure', detail: wrapped.message }],
    };
  }
}
