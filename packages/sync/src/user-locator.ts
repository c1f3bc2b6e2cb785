import { ScimError, type ScimUser } from '@dirsync/scim';
import type { PersonState } from './person-state.js';
import { UserNameTakenError } from './sync-errors.js';
import type { ScimTarget, TargetCachePort } from './sync-ports.js';
import type { CachedTarget } from './target-cache.js';
import type { TargetCaller } from './target-caller.js';

/** A person's user in the target, as last read (or as cached). */
export interface LocatedUser {
  scimId: string;
  version?: string | undefined;
  user: ScimUser;
  fromCache: boolean;
}

/** What a create answered, or the existing user to adopt instead (its userName was taken). */
export type CreateResult =
  | { kind: 'created'; user: ScimUser; version?: string | undefined }
  | { kind: 'adopt'; located: LocatedUser };

/** Finds a person's user in the target, creates it, or adopts one made by hand with the same userName. */
export class UserLocator {
  private readonly target: ScimTarget;
  private readonly cache: TargetCachePort;

  constructor(options: { target: ScimTarget; cache: TargetCachePort }) {
    this.target = options.target;
    this.cache = options.cache;
  }

  /**
   * The cache first; a fresh read when the cache cannot be trusted for what we are about to do (a reactivation
   * must see the roles as they are now); else a lookup by externalId.
   */
  async locate(
    state: PersonState,
    cached: CachedTarget | undefined,
    caller: TargetCaller,
  ): Promise<LocatedUser | undefined> {
    const ctx = caller.context;
    if (cached) {
      const mustRefresh = !cached.user || (state.active && cached.user.active === false);
      if (!mustRefresh && cached.user) {
        return { scimId: cached.scimId, version: cached.version, user: cached.user, fromCache: true };
      }
      try {
        const fresh = await caller.call(() => this.target.getUser(cached.scimId, ctx));
        return { scimId: cached.scimId, version: fresh.version, user: fresh.user, fromCache: false };
      } catch (error) {
        if (!(error instanceof ScimError && error.kind === 'not_found')) throw error;
        await this.cache.drop(state.externalId);
      }
    }
    return this.findByExternalId(state.externalId, caller);
  }

  async findByExternalId(externalId: string, caller: TargetCaller): Promise<LocatedUser | undefined> {
    const found = await caller.call(() => this.target.findByExternalId(externalId, caller.context));
    if (!found?.id) return undefined;
    return { scimId: found.id, version: found.meta?.version, user: found, fromCache: false };
  }

  /**
   * Creates the user. A taken userName means an account made by hand or by another tool: look it up and adopt
   * it, unless it belongs to someone else. (One lookup only when needed keeps a cold create at two requests.)
   */
  async createOrAdopt(desired: ScimUser, externalId: string, caller: TargetCaller): Promise<CreateResult> {
    // Active unless the caller asks for an inactive user (a future hire created ahead of the start).
    const body: ScimUser = { ...desired, active: desired.active ?? true };
    try {
      const created = await caller.call(() => this.target.createUser(body, caller.context), false);
      return { kind: 'created', ...created };
    } catch (error) {
      if (!(error instanceof ScimError && error.kind === 'uniqueness' && desired.userName)) throw error;
      const userName = desired.userName;
      const existing = await caller.call(() => this.target.findByUserName(userName, caller.context));
      if (!existing) throw error;
      return { kind: 'adopt', located: adoptable(existing, externalId) };
    }
  }
}

/** A user found by userName may be adopted when it has no externalId, or ours. */
function adoptable(user: ScimUser, externalId: string): LocatedUser {
  if (user.externalId && user.externalId !== externalId) {
    throw new UserNameTakenError(
      `userName is taken by another person in the target (externalId "${user.externalId}", id ${user.id}); fix the HR e-mail or that user, then retry`,
    );
  }
  return { scimId: user.id as string, version: user.meta?.version, user, fromCache: false };
}
