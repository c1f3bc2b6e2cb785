import { expect, onTestFinished } from 'vitest';
import {
  CORE_USER_URN,
  PATCH_OP_URN,
  type RunningSimulator,
  type ScimUser,
  type SimulatorOptions,
  startSimulator,
} from '../src/index.js';

export const CLIENT_ID = 'dirsync-local';
export const CLIENT_SECRET = 'dirsync-local-secret';

export interface ScimAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ScimRequest {
  body?: unknown;
  headers?: Record<string, string>;
  /** A bearer token; by default the harness's own token; `null` sends none. */
  token?: string | null;
  /** Sent as is instead of JSON-encoding `body`. */
  rawBody?: string;
}

/** A simulator started for one test (closed when the test ends) and a tiny HTTP client for it. */
export interface Harness {
  sim: RunningSimulator;
  /** Gets a fresh token from /oauth/token. */
  token(): Promise<string>;
  /** Calls the SCIM API; `path` is relative to the base path, e.g. `/Users?filter=…`. */
  scim<T = Record<string, unknown>>(
    method: string,
    path: string,
    request?: ScimRequest,
  ): Promise<ScimAnswer<T>>;
  /** POST /Users with the core schema filled in; fails the test unless 201. */
  create(user: Record<string, unknown>): Promise<ScimUser>;
  patch(id: string, operations: unknown[], headers?: Record<string, string>): Promise<ScimAnswer>;
}

export function basicAuth(id = CLIENT_ID, secret = CLIENT_SECRET): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export async function requestToken(sim: RunningSimulator): Promise<string> {
  const response = await fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { authorization: basicAuth(), 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (response.status !== 200) throw new Error(`token request answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function startHarness(options: SimulatorOptions = {}): Promise<Harness> {
  const sim = await startSimulator({ admin: true, ...options });
  onTestFinished(() => sim.close());
  let ownToken: string | undefined;

  const scim = async <T>(method: string, path: string, request: ScimRequest = {}): Promise<ScimAnswer<T>> => {
    if (request.token === undefined && ownToken === undefined) ownToken = await requestToken(sim);
    const token = request.token === undefined ? ownToken : request.token;
    const headers: Record<string, string> = {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    };
    let body: string | undefined = request.rawBody;
    if (body === undefined && request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/scim+json';
    }
    Object.assign(headers, request.headers);
    const response = await fetch(`${sim.scimUrl}${path}`, { method, headers, body });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  };

  return {
    sim,
    token: () => requestToken(sim),
    scim,
    async create(user) {
      const answer = await scim<ScimUser>('POST', '/Users', { body: { schemas: [CORE_USER_URN], ...user } });
      if (answer.status !== 201)
        throw new Error(`create answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body;
    },
    patch(id, operations, headers = {}) {
      return scim('PATCH', `/Users/${id}`, {
        body: { schemas: [PATCH_OP_URN], Operations: operations },
        headers,
      });
    },
  };
}

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GENESYS = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The exact SCIM error body the simulator must send. */
export function scimError(status: number, scimType: string | undefined, detail: unknown = expectAnyString()) {
  return {
    schemas: [ERROR_SCHEMA],
    status: String(status),
    ...(scimType ? { scimType } : {}),
    detail,
  };
}

function expectAnyString(): unknown {
  return expect.any(String);
}
