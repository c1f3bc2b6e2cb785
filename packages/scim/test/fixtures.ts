import { onTestFinished } from 'vitest';
import { ScimClient, type ScimClientOptions } from '../src/index.js';
import { type Handler, startTestServer, type TestServer } from './scim-test-server.js';

export const CLIENT_ID = 'dirsync-test-client-7f3a';
export const CLIENT_SECRET = 'S3cr3t-value-never-to-be-seen-91xq';
export const BASE_PATH = '/api/v2/scim/v2';
export const USERS = `${BASE_PATH}/Users`;

/** A scripted server and a client pointed at it, both closed when the test ends. */
export async function setup(
  options: { scim?: Handler; token?: Handler; client?: Partial<ScimClientOptions> } = {},
): Promise<{ server: TestServer; client: ScimClient }> {
  const server = await startTestServer({
    ...(options.scim ? { scim: options.scim } : {}),
    ...(options.token ? { token: options.token } : {}),
  });
  const client = new ScimClient({
    baseUrl: server.url,
    loginUrl: server.url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    timeoutMs: 5_000,
    ...options.client,
  });
  onTestFinished(async () => {
    client.close();
    await server.close();
  });
  return { server, client };
}

/** A SCIM user resource as the target returns it. */
export function resource(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id,
    userName: `${id}@example.com`,
    active: true,
    meta: { resourceType: 'User', version: '"1"' },
    ...extra,
  };
}

/** Runs `fn` and returns what it threw (failing the test if it did not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
