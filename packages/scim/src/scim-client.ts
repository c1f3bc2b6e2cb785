import type { AxiosProxyConfig } from 'axios';
import { readVersion, toIfMatch } from './entity-tag.js';
import { HttpTransport } from './http-transport.js';
import { OAuthTokenProvider } from './oauth-token-provider.js';
import {
  type ListResponse,
  PATCH_OP_SCHEMA,
  type PatchOperation,
  type PatchRequest,
  SCIM_CONTENT_TYPE,
  type ScimUser,
} from './schema.js';
import {
  invalidResponseError,
  type RequestLabel,
  scimErrorFromResponse,
  scimNetworkError,
} from './scim-error-mapping.js';
import { eqFilter, valuePath } from './scim-filter.js';
import { type ScimLogger, silentLogger } from './scim-logger.js';
import { readTargetCorrelationId } from './target-correlation.js';
import { toWriteBody } from './user-body.js';

export const DEFAULT_SCIM_BASE_PATH = '/api/v2/scim/v2';
/** Genesys answers pages over 25 with 429 unless heavy attributes are excluded. */
export const MAX_PAGE_SIZE = 25;

/** What `beforeRequest` learns about the SCIM request about to be sent (the request budget hooks in here). */
export interface ScimRequestInfo {
  method: string;
  /** Path under the SCIM base, without the query, e.g. `/Users/2f1c…`. */
  path: string;
  /** Low-cardinality label, e.g. `GET /Users/:id`. */
  route: string;
  signal?: AbortSignal;
}

/** What `onResponse` learns about each SCIM request once it ends (for metrics). */
export interface ScimResponseInfo {
  method: string;
  /** Path under the SCIM base, without the query, e.g. `/Users/2f1c…`. */
  path: string;
  route: string;
  status: number | 'network_error';
  durationMs: number;
  correlationId?: string;
  /** The target's own id for the request (Genesys: `ININ-Correlation-Id`), when it answered with one. */
  targetCorrelationId?: string;
}

export interface ScimClientOptions {
  /** API origin, e.g. `https://api.mypurecloud.com` or `http://127.0.0.1:4010`. */
  baseUrl: string;
  /** SCIM root under `baseUrl`; default `/api/v2/scim/v2`. */
  basePath?: string;
  /** OAuth origin, e.g. `https://login.mypurecloud.com`. */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per-request deadline; default 15 000 ms. */
  timeoutMs?: number;
  userAgent?: string;
  /** Awaited before every SCIM request (each attempt, including the retry after a 401), never before token requests. */
  beforeRequest?: (info: ScimRequestInfo) => Promise<void>;
  /** Called after every SCIM request with its outcome. Not called for token requests or caller aborts. */
  onResponse?: (info: ScimResponseInfo) => void;
  logger?: ScimLogger;
  /** Clock in epoch milliseconds (token expiry, `Retry-After` dates); tests inject one. */
  now?: () => number;
  /** An explicit proxy; none by default (the package never reads `HTTPS_PROXY`). */
  proxy?: AxiosProxyConfig | false;
}

/** Per-call context: a correlation id sent as `X-Correlation-Id`, and a signal that abandons the call. */
export interface ScimRequestContext {
  correlationId?: string;
  signal?: AbortSignal;
  /** Called after each request made for this call, with its outcome (a sync's own request log). */
  onResponse?: (info: ScimResponseInfo) => void;
}

/** A user and the version to send back as `If-Match` (undefined when the target reports none). */
export interface VersionedUser {
  user: ScimUser;
  version: string | undefined;
  /** The target's own id for the request that returned it (Genesys: `ININ-Correlation-Id`). */
  targetCorrelationId?: string;
}

/** The answer to a PATCH or PUT: the resource when the target sent one (a 204 has none). */
export interface WriteResult {
  user?: ScimUser;
  version?: string;
  /** The target's own id for the write (Genesys: `ININ-Correlation-Id`); none when nothing was sent. */
  targetCorrelationId?: string;
}

export interface FindUsersQuery {
  filter?: string;
  /** 1-based; default 1. */
  startIndex?: number;
  /** At most 25 (larger values are clamped); default 25. */
  count?: number;
  attributes?: readonly string[];
  excludedAttributes?: readonly string[];
}

export interface ListAllUsersOptions {
  /** Also list inactive users (a second pass with `filter=active eq false`). */
  includeInactive: boolean;
  /** At most 25; default 25. */
  pageSize?: number;
  attributes?: readonly string[];
  excludedAttributes?: readonly string[];
}

/** A Genesys group as dirsync needs it: its id and name (members are never listed). */
export interface ScimGroupRef {
  id: string;
  displayName: string;
}

/** Members to add to and remove from one group (Genesys user ids). */
export interface GroupMemberChange {
  add?: readonly string[];
  remove?: readonly string[];
}

/** One page of `listAllUsers`: users not seen on an earlier page (de-duplicated by id). */
export interface UserPage {
  /** `unfiltered`: the plain list (active users only on Genesys); `inactive`: the `active eq false` pass. */
  pass: 'unfiltered' | 'inactive';
  startIndex: number;
  totalResults: number;
  users: ScimUser[];
}

interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH';
  /** Under the base path, already encoded, without query. */
  path: string;
  route: string;
  query?: Array<[string, string]>;
  scimId?: string;
  body?: unknown;
  version?: string;
}

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

function clampPageSize(count: number | undefined): number {
  if (count === undefined || !Number.isFinite(count)) return MAX_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(count)));
}

function groupPath(id: string): string {
  return `/Groups/${encodeURIComponent(id)}`;
}

function userPath(id: string): string {
  return `/Users/${encodeURIComponent(id)}`;
}

/**
 * A SCIM 2.0 client for Genesys Cloud (and other RFC 7644 service providers): OAuth client credentials, keep-alive
 * connections, typed errors (`ScimError`, `OAuthError`), `If-Match` when a version is known, one token refresh
 * and retry on a 401. It never retries anything else: retries, backoff and conflict handling belong to the caller.
 */
export class ScimClient {
  private readonly root: string;
  private readonly transport: HttpTransport;
  private readonly tokens: OAuthTokenProvider;
  private readonly beforeRequest: ScimClientOptions['beforeRequest'];
  private readonly onResponse: ScimClientOptions['onResponse'];
  private readonly logger: ScimLogger;
  private readonly now: () => number;
  /** Scrubbed from any text the target sends back. */
  private readonly secrets: readonly string[];

  constructor(options: ScimClientOptions) {
    const basePath = (options.basePath ?? DEFAULT_SCIM_BASE_PATH).replace(/^\/*/, '/').replace(/\/+$/, '');
    this.root = `${options.baseUrl.replace(/\/+$/, '')}${basePath}`;
    const timeoutMs = options.timeoutMs ?? 15_000;
    const userAgent = options.userAgent ?? 'dirsync-scim';
    this.transport = new HttpTransport({ timeoutMs, userAgent, proxy: options.proxy ?? false });
    this.now = options.now ?? Date.now;
    this.secrets = [
      options.clientSecret,
      Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64'),
    ];
    this.logger = options.logger ?? silentLogger;
    this.tokens = new OAuthTokenProvider({
      loginUrl: options.loginUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      transport: this.transport,
      now: this.now,
      logger: this.logger,
    });
    this.beforeRequest = options.beforeRequest;
    this.onResponse = options.onResponse;
  }

  /** Reads one user by SCIM id. Throws `ScimError` `not_found` on 404. */
  async getUser(id: string, ctx: ScimRequestContext = {}): Promise<VersionedUser> {
    const answer = await this.request(
      { method: 'GET', path: userPath(id), route: 'GET /Users/:id', scimId: id },
      ctx,
    );
    return this.versionedUser(answer, { method: 'GET', route: 'GET /Users/:id', scimId: id }, ctx);
  }

  /** One page of `GET /Users` (count clamped to 25). */
  async findUsers(query: FindUsersQuery = {}, ctx: ScimRequestContext = {}): Promise<ListResponse> {
    const params: Array<[string, string]> = [];
    if (query.filter !== undefined) params.push(['filter', query.filter]);
    params.push(['startIndex', String(Math.max(1, Math.floor(query.startIndex ?? 1)))]);
    params.push(['count', String(clampPageSize(query.count))]);
    if (query.attributes?.length) params.push(['attributes', query.attributes.join(',')]);
    if (query.excludedAttributes?.length)
      params.push(['excludedAttributes', query.excludedAttributes.join(',')]);
    const label = { method: 'GET', route: 'GET /Users' };
    const answer = await this.request(
      { method: 'GET', path: '/Users', route: label.route, query: params },
      ctx,
    );
    const body = this.parseBody(answer);
    const resources = body?.Resources;
    if (!body || (resources !== undefined && !Array.isArray(resources))) {
      throw invalidResponseError(this.label(label, ctx), answer, 'a body that is not a SCIM ListResponse');
    }
    const list = body as unknown as ListResponse;
    const users = (resources ?? []) as ScimUser[];
    return {
      ...list,
      totalResults: typeof list.totalResults === 'number' ? list.totalResults : users.length,
      Resources: users,
    };
  }

  /**
   * The user whose `externalId` equals `externalId` (`filter=externalId eq "…"`), or undefined. The externalId is
   * never used as a SCIM id.
   */
  async findByExternalId(externalId: string, ctx: ScimRequestContext = {}): Promise<ScimUser | undefined> {
    return this.findOne('externalId', externalId, ctx);
  }

  /** The user whose `userName` equals `userName` (case-insensitive on Genesys), or undefined. */
  async findByUserName(userName: string, ctx: ScimRequestContext = {}): Promise<ScimUser | undefined> {
    return this.findOne('userName', userName, ctx);
  }

  /**
   * Every user, page by page (at most 25 per page). An unfiltered list on Genesys returns active users only, so with
   * `includeInactive` a second pass lists `active eq false`; users are de-duplicated by id across pages and passes
   * (a generic target's unfiltered list already includes inactive users).
   */
  async *listAllUsers(options: ListAllUsersOptions, ctx: ScimRequestContext = {}): AsyncGenerator<UserPage> {
    const count = clampPageSize(options.pageSize);
    const seen = new Set<string>();
    const passes: Array<{ pass: UserPage['pass']; filter?: string }> = [{ pass: 'unfiltered' }];
    if (options.includeInactive) passes.push({ pass: 'inactive', filter: 'active eq false' });
    for (const { pass, filter } of passes) {
      let startIndex = 1;
      for (;;) {
        const query: FindUsersQuery = { startIndex, count };
        if (filter !== undefined) query.filter = filter;
        if (options.attributes) query.attributes = options.attributes;
        if (options.excludedAttributes) query.excludedAttributes = options.excludedAttributes;
        const page = await this.findUsers(query, ctx);
        const resources = page.Resources ?? [];
        const users = resources.filter((user) => {
          if (typeof user.id !== 'string') return true;
          if (seen.has(user.id)) return false;
          seen.add(user.id);
          return true;
        });
        if (users.length > 0) yield { pass, startIndex, totalResults: page.totalResults, users };
        startIndex += resources.length;
        if (resources.length === 0 || startIndex > page.totalResults) break;
      }
    }
  }

  /** Creates a user (`POST /Users`); `id`, `meta` and `groups` are not sent. Throws `uniqueness` on a taken userName. */
  async createUser(user: ScimUser, ctx: ScimRequestContext = {}): Promise<VersionedUser> {
    const route = 'POST /Users';
    const answer = await this.request(
      { method: 'POST', path: '/Users', route, body: toWriteBody(user) },
      ctx,
    );
    return this.versionedUser(answer, { method: 'POST', route }, ctx);
  }

  /**
   * Applies PATCH operations (`application/scim+json`, `If-Match` when `version` is given). An empty operation list
   * sends nothing. Tolerates a 204 without body.
   */
  async patchUser(
    id: string,
    operations: readonly PatchOperation[],
    options: { version?: string | undefined } = {},
    ctx: ScimRequestContext = {},
  ): Promise<WriteResult> {
    if (operations.length === 0) return options.version === undefined ? {} : { version: options.version };
    const body: PatchRequest = { schemas: [PATCH_OP_SCHEMA], Operations: [...operations] };
    const spec: RequestSpec = {
      method: 'PATCH',
      path: userPath(id),
      route: 'PATCH /Users/:id',
      scimId: id,
      body,
    };
    if (options.version !== undefined) spec.version = options.version;
    return this.writeResult(await this.request(spec, ctx), spec, ctx);
  }

  /**
   * The group whose `displayName` equals `displayName` (`GET /Groups?filter=displayName eq "…"`, members left out),
   * or undefined. Groups cannot be created through Genesys's SCIM, so a miss is final.
   */
  async findGroupByDisplayName(
    displayName: string,
    ctx: ScimRequestContext = {},
  ): Promise<ScimGroupRef | undefined> {
    const route = 'GET /Groups';
    const query: Array<[string, string]> = [
      ['filter', eqFilter('displayName', displayName)],
      ['count', '2'],
      ['excludedAttributes', 'members'],
    ];
    const answer = await this.request({ method: 'GET', path: '/Groups', route, query }, ctx);
    const body = this.parseBody(answer);
    const resources = body?.Resources ?? [];
    if (!body || !Array.isArray(resources)) {
      throw invalidResponseError(
        this.label({ method: 'GET', route }, ctx),
        answer,
        'a body that is not a SCIM ListResponse',
      );
    }
    // Genesys compares group names without case; the answer carries the org's spelling.
    const wanted = displayName.toLowerCase();
    const found = (resources as Array<Record<string, unknown>>).find(
      (group) =>
        typeof group?.id === 'string' &&
        typeof group.displayName === 'string' &&
        group.displayName.toLowerCase() === wanted,
    );
    return found ? { id: found.id as string, displayName: found.displayName as string } : undefined;
  }

  /**
   * Adds and removes members of one group (`PATCH /Groups/{id}`, `members` add/remove, value = the user's id).
   * Sent without `If-Match`: member changes commute, so concurrent writers never conflict. Nothing to change
   * sends nothing.
   */
  async patchGroupMembers(
    groupId: string,
    change: GroupMemberChange,
    ctx: ScimRequestContext = {},
  ): Promise<{ targetCorrelationId?: string }> {
    const operations: PatchOperation[] = [];
    for (const id of change.remove ?? [])
      operations.push({ op: 'remove', path: valuePath('members', 'value', id) });
    if (change.add?.length)
      operations.push({ op: 'add', path: 'members', value: change.add.map((value) => ({ value })) });
    if (operations.length === 0) return {};
    const body: PatchRequest = { schemas: [PATCH_OP_SCHEMA], Operations: operations };
    const answer = await this.request(
      { method: 'PATCH', path: groupPath(groupId), route: 'PATCH /Groups/:id', scimId: groupId, body },
      ctx,
    );
    const targetCorrelationId = readTargetCorrelationId(answer.headers);
    return targetCorrelationId === undefined ? {} : { targetCorrelationId };
  }

  /** The cheapest authenticated request (`GET /Users?count=1&attributes=id`), for health checks and quarantine probes. */
  async probe(ctx: ScimRequestContext = {}): Promise<void> {
    await this.request(
      {
        method: 'GET',
        path: '/Users',
        route: 'GET /Users',
        query: [
          ['count', '1'],
          ['attributes', 'id'],
        ],
      },
      ctx,
    );
  }

  /** Closes pooled keep-alive connections. */
  close(): void {
    this.transport.close();
  }

  private async findOne(
    attribute: string,
    value: string,
    ctx: ScimRequestContext,
  ): Promise<ScimUser | undefined> {
    // count=2: same cost as 1, and tells an ambiguous match from a unique one.
    const page = await this.findUsers({ filter: eqFilter(attribute, value), count: 2 }, ctx);
    const [first, ...others] = page.Resources ?? [];
    if (others.length > 0) {
      this.logger.warn('scim lookup matched several users; using the first', {
        attribute,
        matches: page.totalResults,
        scimId: first?.id,
        correlationId: ctx.correlationId,
      });
    }
    return first;
  }

  private label(
    base: { method: string; route: string; scimId?: string },
    ctx: ScimRequestContext,
  ): RequestLabel {
    const label: RequestLabel = { method: base.method, route: base.route };
    if (base.scimId !== undefined) label.scimId = base.scimId;
    if (ctx.correlationId !== undefined) label.correlationId = ctx.correlationId;
    return label;
  }

  private parseBody(answer: Answer): Record<string, unknown> | undefined {
    if (answer.body.trim() === '') return undefined;
    try {
      const parsed: unknown = JSON.parse(answer.body);
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }

  private versionedUser(
    answer: Answer,
    base: { method: string; route: string; scimId?: string },
    ctx: ScimRequestContext,
  ): VersionedUser {
    const user = this.parseBody(answer) as ScimUser | undefined;
    if (!user)
      throw invalidResponseError(this.label(base, ctx), answer, 'a body that is not a SCIM resource');
    const result: VersionedUser = { user, version: readVersion(answer.headers, user) };
    const targetCorrelationId = readTargetCorrelationId(answer.headers);
    if (targetCorrelationId !== undefined) result.targetCorrelationId = targetCorrelationId;
    return result;
  }

  private writeResult(answer: Answer, spec: RequestSpec, ctx: ScimRequestContext): WriteResult {
    const result: WriteResult = {};
    if (answer.body.trim() === '') {
      const version = readVersion(answer.headers, undefined);
      if (version !== undefined) result.version = version;
    } else {
      const { user, version } = this.versionedUser(answer, spec, ctx);
      result.user = user;
      if (version !== undefined) result.version = version;
    }
    const targetCorrelationId = readTargetCorrelationId(answer.headers);
    if (targetCorrelationId !== undefined) result.targetCorrelationId = targetCorrelationId;
    return result;
  }

  /**
   * Sends one SCIM request: budget hook, token, the request, metrics. A 401 invalidates the token and retries
   * once with a fresh one; any other non-2xx becomes a `ScimError`.
   */
  private async request(spec: RequestSpec, ctx: ScimRequestContext): Promise<Answer> {
    const label = this.label(spec, ctx);
    const query = spec.query?.length
      ? `?${spec.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`
      : '';
    const url = `${this.root}${spec.path}${query}`;
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    for (let attempt = 1; ; attempt++) {
      const info: ScimRequestInfo = { method: spec.method, path: spec.path, route: spec.route };
      if (ctx.signal) info.signal = ctx.signal;
      if (this.beforeRequest) {
        // Token first, so a login failure does not spend the request budget; then again after the wait (cached,
        // unless it expired while the budget held us).
        await this.tokens.getToken(ctx.signal);
        await this.beforeRequest(info);
      }
      const token = await this.tokens.getToken(ctx.signal);
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        Accept: `${SCIM_CONTENT_TYPE}, application/json`,
      };
      if (body !== undefined) headers['Content-Type'] = SCIM_CONTENT_TYPE;
      if (spec.version !== undefined) headers['If-Match'] = toIfMatch(spec.version);
      if (ctx.correlationId !== undefined) headers['X-Correlation-Id'] = ctx.correlationId;

      const started = performance.now();
      const sent: Parameters<HttpTransport['send']>[0] = { method: spec.method, url, headers };
      if (body !== undefined) sent.body = body;
      if (ctx.signal) sent.signal = ctx.signal;
      const result = await this.transport.send(sent);
      const durationMs = Math.round(performance.now() - started);

      if (!result.ok) {
        const failed = { method: spec.method, path: spec.path, route: spec.route, durationMs };
        this.report({ ...failed, status: 'network_error' }, ctx);
        throw scimNetworkError(label, result);
      }
      const answer = result.answer;
      const answered: ScimResponseInfo = {
        method: spec.method,
        path: spec.path,
        route: spec.route,
        status: answer.status,
        durationMs,
      };
      const targetCorrelationId = readTargetCorrelationId(answer.headers);
      if (targetCorrelationId !== undefined) answered.targetCorrelationId = targetCorrelationId;
      this.report(answered, ctx);
      if (answer.status >= 200 && answer.status < 300) return answer;
      if (answer.status === 401 && attempt === 1) {
        // The token may have been revoked or expired early: refresh once (shared with concurrent callers) and retry.
        this.tokens.invalidate(token);
        this.logger.info('scim token refused; refreshing it and retrying once', {
          route: spec.route,
          correlationId: ctx.correlationId,
        });
        continue;
      }
      // A careless target may echo what it was sent; the body and the credentials never reach an error.
      const echoes = body === undefined ? [token, ...this.secrets] : [token, body, ...this.secrets];
      throw scimErrorFromResponse(label, answer, this.now(), echoes);
    }
  }

  private report(info: ScimResponseInfo, ctx: ScimRequestContext): void {
    const full: ScimResponseInfo =
      ctx.correlationId === undefined ? info : { ...info, correlationId: ctx.correlationId };
    this.logger.debug('scim response', { ...full });
    for (const listener of [this.onResponse, ctx.onResponse]) if (listener) this.notify(listener, full);
  }

  private notify(listener: (info: ScimResponseInfo) => void, info: ScimResponseInfo): void {
    try {
      listener(info);
    } catch (error) {
      // A metrics callback must never fail a sync.
      this.logger.warn('scim onResponse callback threw', {
        error: error instanceof Error ? error.message : 'unknown',
      });
    }
  }
}
