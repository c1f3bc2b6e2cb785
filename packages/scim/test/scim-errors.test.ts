import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ScimClient, ScimError } from '../src/index.js';
import { CLIENT_ID, CLIENT_SECRET, caught, resource, setup } from './fixtures.js';
import { startTestServer } from './scim-test-server.js';

const scimError = (status: number, scimType?: string, detail = 'something happened') => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
  status: String(status),
  ...(scimType ? { scimType } : {}),
  detail,
});

const NOW = Date.parse('2030-01-01T00:00:00Z');

type Call = 'get' | 'patch' | 'create';

function call(client: ScimClient, which: Call): Promise<unknown> {
  switch (which) {
    case 'get':
      return client.getUser('u-1');
    case 'patch':
      return client.patchUser('u-1', [{ op: 'replace', path: 'title', value: 'x' }], { version: '"3"' });
    case 'create':
      return client.createUser({ userName: 'a@example.com', displayName: 'A' });
  }
}

describe('SCIM error mapping', () => {
  it.each([
    {
      name: '400 invalidVers (Genesys stale version)',
      call: 'patch',
      status: 400,
      body: scimError(400, 'invalidVers', 'version 3 is stale'),
      expected: {
        kind: 'version_conflict',
        code: 'scim_version_conflict',
        retryable: true,
        scimType: 'invalidVers',
      },
      message:
        'PATCH /Users/:id answered 400 invalidVers: version 3 is stale (version conflict; re-read and re-send)',
    },
    {
      name: '412 (RFC stale version)',
      call: 'patch',
      status: 412,
      body: scimError(412),
      expected: { kind: 'version_conflict', retryable: true },
    },
    {
      name: '409 that is not uniqueness, on PATCH',
      call: 'patch',
      status: 409,
      body: scimError(409, 'mutability'),
      expected: { kind: 'version_conflict', retryable: true, scimType: 'mutability' },
    },
    {
      name: '409 without scimType, on PATCH',
      call: 'patch',
      status: 409,
      body: scimError(409),
      expected: { kind: 'version_conflict', retryable: true },
    },
    {
      name: '409 uniqueness',
      call: 'patch',
      status: 409,
      body: scimError(409, 'uniqueness', 'userName taken'),
      expected: { kind: 'uniqueness', code: 'scim_uniqueness', retryable: false },
    },
    {
      name: '409 on create (a duplicate, whatever its scimType)',
      call: 'create',
      status: 409,
      body: scimError(409),
      expected: { kind: 'uniqueness', retryable: false },
    },
    {
      name: '404',
      call: 'get',
      status: 404,
      body: scimError(404, undefined, 'User not found'),
      expected: { kind: 'not_found', code: 'scim_not_found', retryable: false },
    },
    {
      name: '403',
      call: 'get',
      status: 403,
      body: scimError(403),
      expected: { kind: 'unauthorized', code: 'scim_unauthorized', retryable: false },
    },
    {
      name: '429 with Retry-After seconds',
      call: 'get',
      status: 429,
      headers: { 'Retry-After': '7' },
      body: scimError(429, 'tooMany'),
      expected: { kind: 'rate_limited', code: 'scim_rate_limited', retryable: true, retryAfterMs: 7000 },
    },
    {
      name: '429 with Retry-After as an HTTP-date',
      call: 'get',
      status: 429,
      headers: { 'Retry-After': new Date(NOW + 12_000).toUTCString() },
      body: scimError(429),
      expected: { kind: 'rate_limited', retryable: true, retryAfterMs: 12_000 },
    },
    {
      name: '429 without Retry-After',
      call: 'get',
      status: 429,
      body: '',
      expected: { kind: 'rate_limited', retryable: true, retryAfterMs: 3000 },
    },
    {
      name: '500',
      call: 'get',
      status: 500,
      body: 'Internal error',
      expected: { kind: 'server_error', code: 'scim_server_error', retryable: true, retryAfterMs: undefined },
    },
    {
      name: '503 with Retry-After',
      call: 'patch',
      status: 503,
      headers: { 'Retry-After': '5' },
      body: scimError(503),
      expected: { kind: 'server_error', retryable: true, retryAfterMs: 5000 },
    },
    {
      name: '400 invalidFilter',
      call: 'get',
      status: 400,
      body: scimError(400, 'invalidFilter'),
      expected: { kind: 'bad_request', code: 'scim_bad_request', retryable: false },
    },
    {
      name: 'a redirect',
      call: 'get',
      status: 302,
      headers: { Location: 'https://elsewhere.example.com/' },
      body: '',
      expected: { kind: 'bad_request', retryable: false },
    },
  ] as Array<{
    name: string;
    call: Call;
    status: number;
    headers?: Record<string, string>;
    body: unknown;
    expected: Record<string, unknown>;
    message?: string;
  }>)('$name', async ({ call: which, status, headers, body, expected, message }) => {
    const { client } = await setup({
      scim: () => ({ status, body, ...(headers ? { headers } : {}) }),
      client: { now: () => NOW },
    });
    const error = await caught(() => call(client, which));
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toMatchObject({ status, ...expected });
    if (message) expect((error as Error).message).toBe(message);
  });

  it('carries safe details and says what helps', async () => {
    const { client } = await setup({
      scim: () => ({ status: 404, body: scimError(404, undefined, 'gone') }),
    });
    const error = (await caught(() => client.getUser('u-1', { correlationId: 'corr-1' }))) as ScimError;
    expect(error.details).toEqual({
      method: 'GET',
      route: 'GET /Users/:id',
      status: 404,
      detail: 'gone',
      scimId: 'u-1',
      correlationId: 'corr-1',
    });
    expect(error.message).toBe(
      'GET /Users/:id answered 404: gone (no such user; drop any cached id and look the user up again)',
    );
  });

  it('redacts e-mail addresses in the target detail', async () => {
    const { client } = await setup({
      scim: () => ({
        status: 409,
        body: scimError(409, 'uniqueness', 'userName ada@example.com already exists'),
      }),
    });
    const error = (await caught(() => client.createUser({ userName: 'ada@example.com' }))) as ScimError;
    expect(error.detail).toBe('userName [email] already exists');
    expect(error.message).not.toContain('ada@example.com');
  });

  it('maps a connection reset to a retryable network error', async () => {
    const { client } = await setup({ scim: () => ({ destroy: true }) });
    const error = await caught(() => client.getUser('u-1'));
    expect(error).toMatchObject({
      kind: 'network',
      code: 'scim_network',
      retryable: true,
      status: undefined,
    });
    expect((error as ScimError).details.networkCode).toBe('ECONNRESET');
  });

  it('maps a timeout to a retryable network error', async () => {
    const { client } = await setup({ scim: () => ({ hang: true }), client: { timeoutMs: 150 } });
    const error = (await caught(() => client.getUser('u-1'))) as ScimError;
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error.details.networkCode).toBe('ETIMEDOUT');
    expect(error.message).toContain('timed out after 150 ms');
  });

  it('maps a refused connection to a retryable network error', async () => {
    // The token comes from a live server; the SCIM origin is a port nothing listens on.
    const login = await startTestServer();
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const client = new ScimClient({
      baseUrl: `http://127.0.0.1:${port}`,
      loginUrl: login.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    try {
      const error = (await caught(() => client.getUser('u-1'))) as ScimError;
      expect(error).toMatchObject({ kind: 'network', retryable: true });
      expect(error.details.networkCode).toBe('ECONNREFUSED');
    } finally {
      client.close();
      await login.close();
    }
  });

  it('rejects a 2xx whose body is not SCIM JSON', async () => {
    const { client } = await setup({
      scim: () => ({ status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>login</html>' }),
    });
    expect(await caught(() => client.getUser('u-1'))).toMatchObject({
      kind: 'invalid_response',
      retryable: false,
    });
  });

  it('rejects with the signal reason when the caller aborts', async () => {
    const { server, client } = await setup({ scim: () => ({ hang: true }) });
    const controller = new AbortController();
    const pending = caught(() => client.getUser('u-1', { signal: controller.signal }));
    await server.waitForRequest((r) => r.path.endsWith('/Users/u-1'));
    controller.abort(new Error('shutting down'));
    expect(await pending).toMatchObject({ message: 'shutting down' });
  });

  it('still answers normally after errors (the connection pool recovers)', async () => {
    let fail = true;
    const { client } = await setup({
      scim: () => (fail ? { destroy: true } : { status: 200, body: resource('u-1') }),
    });
    await caught(() => client.getUser('u-1'));
    fail = false;
    expect((await client.getUser('u-1')).user.id).toBe('u-1');
  });
});
