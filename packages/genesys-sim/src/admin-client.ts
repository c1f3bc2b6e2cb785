import type { BehaviorSettings, BehaviorSettingsInput } from './behavior/behavior-settings.js';
import { SimAdminError } from './errors/sim-admin-error.js';
import type { FaultSettings, FaultSettingsInput } from './faults/fault-settings.js';
import type { ScimGroup } from './scim/group-types.js';
import { PATCH_OP_URN } from './scim/urns.js';
import type { PatchOperation, ScimUser } from './scim/user-types.js';
import type { RequestLogEntry, SimCounters } from './state/request-metrics.js';
import type { HistoryEntry } from './state/user-store.js';

/** A user to seed: SCIM attributes (`schemas` optional) and, optionally, the id it should get. */
export interface SeedUser {
  id?: string;
  userName: string;
  displayName: string;
  [attribute: string]: unknown;
}

/** A user as `/__sim` shows it: the resource (null once deleted) and every change made to it. */
export interface SimUserState {
  user: ScimUser | null;
  deleted: boolean;
  history: HistoryEntry[];
}

/** A typed client for the simulator's `/__sim` routes (the simulator must run with `admin` on). */
export class SimAdminClient {
  private readonly fetchImpl: typeof fetch;

  /** `baseUrl` is the simulator's origin, e.g. `RunningSimulator.url`. */
  constructor(
    private readonly baseUrl: string,
    options: { fetch?: typeof fetch } = {},
  ) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Users, tokens, rate windows, counters, request log and faults back to the start options. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  /** Creates a user without auth or rate limit, with the same validation as POST /Users. */
  seedUser(user: SeedUser): Promise<ScimUser> {
    return this.call('POST', '/users', user);
  }

  /** Creates users in order (all or none), so a later one may name an earlier one as manager. */
  seedUsers(users: SeedUser[]): Promise<ScimUser[]> {
    return this.call('POST', '/users', users);
  }

  /** Every user, inactive ones included. */
  listUsers(): Promise<ScimUser[]> {
    return this.call('GET', '/users');
  }

  /** A user and its history; undefined when the id was never used. */
  getUser(id: string): Promise<SimUserState | undefined> {
    return this.callOrUndefined('GET', `/users/${encodeURIComponent(id)}`);
  }

  getUserByExternalId(externalId: string): Promise<SimUserState | undefined> {
    return this.callOrUndefined('GET', `/users/by-external-id/${encodeURIComponent(externalId)}`);
  }

  /** Changes a user as a Genesys administrator would, behind the client's back (the version moves). */
  editUser(id: string, operations: PatchOperation[]): Promise<ScimUser> {
    return this.call('POST', `/users/${encodeURIComponent(id)}/edit`, {
      schemas: [PATCH_OP_URN],
      Operations: operations,
    });
  }

  /** The request log, oldest first; with `since`, only entries whose `seq` is greater. */
  requests(options: { since?: number } = {}): Promise<RequestLogEntry[]> {
    return this.call('GET', `/requests${options.since === undefined ? '' : `?since=${options.since}`}`);
  }

  counters(): Promise<SimCounters> {
    return this.call('GET', '/counters');
  }

  faults(): Promise<FaultSettings> {
    return this.call('GET', '/faults');
  }

  /** Changes only the fault settings given. */
  setFaults(update: FaultSettingsInput): Promise<FaultSettings> {
    return this.call('PUT', '/faults', update);
  }

  /** Faults back to the start options. */
  clearFaults(): Promise<FaultSettings> {
    return this.call('DELETE', '/faults');
  }

  /** The Genesys behaviour in force (divisions, phones, catalogues, …). */
  behavior(): Promise<BehaviorSettings> {
    return this.call('GET', '/behavior');
  }

  /** Changes only the behaviour switches given; answers the settings now in force. */
  setBehavior(update: BehaviorSettingsInput): Promise<BehaviorSettings> {
    return this.call('PUT', '/behavior', update);
  }

  /** Behaviour back to the start options. */
  resetBehavior(): Promise<BehaviorSettings> {
    return this.call('DELETE', '/behavior');
  }

  /** Creates the named groups that do not exist yet; answers every named group (with its id). */
  seedGroups(names: string[]): Promise<ScimGroup[]> {
    return this.call('POST', '/groups', { names });
  }

  /** Every group with its members. */
  listGroups(): Promise<ScimGroup[]> {
    return this.call('GET', '/groups');
  }

  /** Invalidates every access token; returns how many were live. */
  async revokeTokens(): Promise<number> {
    const answer = await this.call<{ revoked: number }>('POST', '/tokens/revoke');
    return answer.revoked;
  }

  private async callOrUndefined<T>(method: string, path: string): Promise<T | undefined> {
    try {
      return await this.call<T>(method, path);
    } catch (error) {
      if (error instanceof SimAdminError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetchImpl(`${this.baseUrl}/__sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: keep the text for the error.
    }
    if (!response.ok) throw new SimAdminError(method, path, response.status, parsed);
    return parsed as T;
  }
}
