import { randomUUID } from 'node:crypto';
import type { BehaviorSettings } from '../behavior/behavior-settings.js';
import { applyGenesysRules, checkDivisionGrant, checkGroupsNotWritten } from '../behavior/genesys-rules.js';
import { badRequest, ScimHttpError } from '../errors/scim-http-error.js';
import { applyPatchOperations, readPatchBody } from '../scim/apply-patch.js';
import { type NormalizeContext, normalizeUser, type UserAttributes } from '../scim/normalize-user.js';
import { CORE_USER_URN, ENTERPRISE_USER_URN, GENESYS_USER_URN } from '../scim/urns.js';
import type { PatchOperation, ScimUser } from '../scim/user-types.js';
import type { Clock } from './clock.js';

/** Who changed a user: the SCIM API (the product), the `/__sim` surface, or an injected fault. */
export type Actor = 'api' | 'admin' | 'fault';

export interface HistoryEntry {
  at: string;
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The version after the change (the last version for a DELETE). */
  version: string;
  actor: Actor;
  ops?: PatchOperation[];
  body?: unknown;
  note?: string;
}

export interface UserStoreOptions {
  clock: Clock;
  roles: readonly string[];
  defaultRole: string;
  /** The absolute URL of the Users endpoint (for `meta.location`), known once the server listens. */
  usersUrl(): string;
  /** The Genesys behaviour in force (read on every write: it changes at run time). */
  behavior(): Readonly<BehaviorSettings>;
  /** The ids of the groups a user belongs to (to accept a PUT that repeats them). */
  groupIdsOf(userId: string): string[];
}

interface StoredUser {
  user: ScimUser;
  version: number;
}

const REDACTED = '[redacted]';

/** A copy safe to keep in history: write-only passwords never stay in memory readable through `/__sim`. */
function withoutPasswords(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPasswords);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const pathIsPassword = typeof record.path === 'string' && record.path.toLowerCase() === 'password';
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => {
      if (k.toLowerCase() === 'password' || (pathIsPassword && k === 'value')) return [k, REDACTED];
      return [k, withoutPasswords(v)];
    }),
  );
}

/** `"3"`, `W/"3"`, `3` and `*` (any), possibly a comma-separated list, against version 3. */
function etagMatches(header: string, version: number): boolean {
  return header.split(',').some((raw) => {
    const tag = raw.trim();
    if (tag === '*') return true;
    const bare = tag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
    return bare === String(version);
  });
}

export const formatVersion = (version: number) => `"${version}"`;

/** The simulator's Genesys users, with each user's change history (kept after a DELETE). */
export class UserStore {
  private readonly users = new Map<string, StoredUser>();
  private readonly histories = new Map<string, HistoryEntry[]>();

  constructor(private readonly options: UserStoreOptions) {}

  /** Every user, including inactive ones, in creation order. */
  all(): ScimUser[] {
    return [...this.users.values()].map((s) => s.user);
  }

  get(id: string): ScimUser | undefined {
    return this.users.get(id)?.user;
  }

  findByExternalId(externalId: string): ScimUser | undefined {
    return this.all().find((u) => u.externalId === externalId);
  }

  /** The change history of a user, present or deleted; undefined when the id was never used. */
  history(id: string): HistoryEntry[] | undefined {
    return this.histories.get(id);
  }

  /** Forgets a user and its history entirely (rolls back a failed seed batch). */
  purge(id: string): void {
    this.users.delete(id);
    this.histories.delete(id);
  }

  clear(): void {
    this.users.clear();
    this.histories.clear();
  }

  /** POST /Users. An `id` is accepted only from the admin surface (seeding known ids). */
  create(body: unknown, actor: Actor, options: { id?: string } = {}): ScimUser {
    const id = options.id ?? randomUUID();
    if (this.histories.has(id))
      throw new ScimHttpError(409, `id '${id}' is taken`, { scimType: 'uniqueness' });
    const { attributes } = normalizeUser(body, this.context('create'));
    checkGroupsNotWritten(body, []);
    applyGenesysRules(attributes, { behavior: this.options.behavior(), mode: 'create' });
    if (actor === 'api') checkDivisionGrant(this.options.behavior(), undefined, attributes);
    this.checkUserNameFree(attributes.userName, id);
    const now = new Date(this.options.clock.now()).toISOString();
    const user: ScimUser = {
      schemas: [CORE_USER_URN, ENTERPRISE_USER_URN, GENESYS_USER_URN],
      id,
      ...attributes,
      meta: {
        resourceType: 'User',
        created: now,
        lastModified: now,
        location: this.location(id),
        version: '"1"',
      },
    };
    this.users.set(id, { user, version: 1 });
    this.histories.set(id, [
      { at: now, method: 'POST', version: user.meta.version, actor, body: withoutPasswords(body) },
    ]);
    return user;
  }

  /** PUT /Users/:id: every writable attribute replaced, absent ones cleared. */
  replace(id: string, body: unknown, actor: Actor, ifMatch?: string): ScimUser {
    const stored = this.require(id);
    this.checkGrant(actor, stored.user, undefined);
    this.checkVersion(stored, ifMatch);
    const { attributes } = normalizeUser(body, this.context('replace', id));
    checkGroupsNotWritten(body, this.options.groupIdsOf(id));
    applyGenesysRules(attributes, {
      behavior: this.options.behavior(),
      mode: 'replace',
      previous: stored.user,
    });
    this.checkGrant(actor, undefined, attributes);
    this.checkUserNameFree(attributes.userName, id);
    return this.commit(stored, attributes, { method: 'PUT', actor, body: withoutPasswords(body) });
  }

  /** PATCH /Users/:id with a PatchOp body. */
  patch(id: string, body: unknown, actor: Actor, ifMatch?: string): ScimUser {
    const operations = readPatchBody(body);
    const stored = this.require(id);
    this.checkGrant(actor, stored.user, undefined);
    this.checkVersion(stored, ifMatch);
    return this.applyOperations(stored, operations, actor);
  }

  /** DELETE /Users/:id; the history stays readable. */
  remove(id: string, actor: Actor, ifMatch?: string): void {
    const stored = this.require(id);
    this.checkGrant(actor, stored.user, undefined);
    this.checkVersion(stored, ifMatch);
    this.users.delete(id);
    this.record(id, { method: 'DELETE', version: formatVersion(stored.version), actor });
  }

  /** A change made behind the client's back: the version moves, the attributes do not. */
  touch(id: string, actor: Actor, note: string): ScimUser {
    const stored = this.require(id);
    const { id: _id, meta: _meta, schemas: _schemas, ...attributes } = stored.user;
    return this.commit(stored, attributes, { method: 'PATCH', actor, ops: [], note });
  }

  /** The current version of a user as its ETag, or undefined. */
  versionOf(id: string): string | undefined {
    const stored = this.users.get(id);
    return stored ? formatVersion(stored.version) : undefined;
  }

  private applyOperations(stored: StoredUser, operations: PatchOperation[], actor: Actor): ScimUser {
    const patched = applyPatchOperations(stored.user, operations);
    const { attributes } = normalizeUser(patched, this.context('patch', stored.user.id));
    applyGenesysRules(attributes, {
      behavior: this.options.behavior(),
      mode: 'patch',
      previous: stored.user,
    });
    this.checkGrant(actor, undefined, attributes);
    this.checkUserNameFree(attributes.userName, stored.user.id);
    return this.commit(stored, attributes, {
      method: 'PATCH',
      actor,
      ops: withoutPasswords(operations) as PatchOperation[],
    });
  }

  private commit(
    stored: StoredUser,
    attributes: Omit<ScimUser, 'id' | 'meta' | 'schemas'>,
    entry: Omit<HistoryEntry, 'at' | 'version'>,
  ): ScimUser {
    const version = stored.version + 1;
    const now = new Date(this.options.clock.now()).toISOString();
    const user: ScimUser = {
      schemas: stored.user.schemas,
      id: stored.user.id,
      ...attributes,
      meta: { ...stored.user.meta, lastModified: now, version: formatVersion(version) },
    };
    this.users.set(user.id, { user, version });
    this.record(user.id, { ...entry, version: user.meta.version });
    return user;
  }

  private record(id: string, entry: Omit<HistoryEntry, 'at'>): void {
    const at = new Date(this.options.clock.now()).toISOString();
    const list = this.histories.get(id) ?? [];
    list.push({ at, ...entry });
    this.histories.set(id, list);
  }

  /** Only the product (the API) lacks grants: seeding and admin edits may touch any division. */
  private checkGrant(actor: Actor, before: ScimUser | undefined, after: UserAttributes | undefined): void {
    if (actor === 'api') checkDivisionGrant(this.options.behavior(), before, after);
  }

  private require(id: string): StoredUser {
    const stored = this.users.get(id);
    if (!stored) throw new ScimHttpError(404, `User '${id}' not found`);
    return stored;
  }

  private checkVersion(stored: StoredUser, ifMatch: string | undefined): void {
    if (ifMatch === undefined || etagMatches(ifMatch, stored.version)) return;
    // Genesys answers a stale If-Match with 400 invalidVers, not RFC 7644's 412.
    throw badRequest(
      'invalidVers',
      `If-Match ${ifMatch} does not match the current version ${formatVersion(stored.version)}`,
    );
  }

  private checkUserNameFree(userName: string, selfId: string): void {
    const wanted = userName.toLowerCase();
    for (const { user } of this.users.values()) {
      if (user.id !== selfId && user.userName.toLowerCase() === wanted) {
        throw new ScimHttpError(409, 'userName is already in use by another user', {
          scimType: 'uniqueness',
        });
      }
    }
  }

  private location(id: string): string {
    return `${this.options.usersUrl()}/${id}`;
  }

  private context(mode: NormalizeContext['mode'], selfId?: string): NormalizeContext {
    return {
      mode,
      roles: this.options.roles,
      defaultRole: this.options.defaultRole,
      selfId,
      findUser: (id) => {
        const user = this.users.get(id)?.user;
        return user ? { displayName: user.displayName, location: user.meta.location } : undefined;
      },
    };
  }

  /** Admin edit: a PatchOp applied as if a Genesys administrator changed the user in the UI. */
  edit(id: string, body: unknown): ScimUser {
    const operations = readPatchBody(body);
    return this.applyOperations(this.require(id), operations, 'admin');
  }
}
