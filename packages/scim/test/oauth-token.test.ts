import { describe, expect, it } from 'vitest';
import { OAuthError, ScimError } from '../src/index.js';
import { CLIENT_ID, CLIENT_SECRET, caught, resource, setup } from './fixtures.js';
import { issueTokens } from './scim-test-server.js';

const ok = () => ({ status: 200, body: resource('u-1') });

describe('OAuth client credentials', () => {
  it('asks for a token with Basic auth and a form body', async () => {
    const { server, client } = await setup({ scim: ok });
    await client.getUser('u-1');
    const [tokenRequest] = server.tokenRequests();
    expect(tokenRequest?.method).toBe('POST');
    expect(tokenRequest?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
    );
    expect(tokenRequest?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenRequest?.body).toBe('grant_type=client_credentials');
    expect(server.scimRequests()[0]?.headers.authorization).toBe('Bearer token-1');
  });

  it('caches the token: one token request for many calls', async () => {
    const { server, client } = await setup({ scim: ok });
    for (let i = 0; i < 5; i++) await client.getUser('u-1');
    await client.findUsers({});
    expect(server.tokenRequests()).toHaveLength(1);
    expect(server.scimRequests()).toHaveLength(6);
    expect(new Set(server.scimRequests().map((r) => r.headers.authorization))).toEqual(
      new Set(['Bearer token-1']),
    );
  });

  it('refreshes 30 s before expires_in runs out', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const { server, client } = await setup({
      scim: ok,
      token: issueTokens(3600),
      client: { now: () => now },
    });
    await client.getUser('u-1');
    now += (3600 - 31) * 1000;
    await client.getUser('u-1');
    expect(server.tokenRequests()).toHaveLength(1);
    now += 2_000; // now 29 s before expiry
    await client.getUser('u-1');
    expect(server.tokenRequests()).toHaveLength(2);
    expect(server.scimRequests().map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('keeps one refresh in flight for 10 concurrent calls', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tokens = issueTokens();
    const { server, client } = await setup({
      scim: ok,
      token: async (request) => {
        await gate;
        return tokens(request);
      },
    });
    const pending = Promise.all(Array.from({ length: 10 }, () => client.getUser('u-1')));
    // Hold the token until it has been asked for; every caller has joined the one refresh by then.
    await server.waitForRequest((r) => r.path === '/oauth/token');
    release();
    expect(await pending).toHaveLength(10);
    expect(server.tokenRequests()).toHaveLength(1);
    expect(server.scimRequests()).toHaveLength(10);
    expect(new Set(server.scimRequests().map((r) => r.headers.authorization))).toEqual(
      new Set(['Bearer token-1']),
    );
  });

  it('shares one refresh among concurrent 401s', async () => {
    let release: () => void = () => undefined;
    const allRefused = new Promise<void>((resolve) => {
      release = resolve;
    });
    let stale = 0;
    const { server, client } = await setup({
      scim: async (request) => {
        if (request.headers.authorization !== 'Bearer token-1') return ok();
        // Answer the 401s only once all five are in flight, so they all hold the old token together.
        stale += 1;
        if (stale === 5) release();
        await allRefused;
        return { status: 401 };
      },
    });
    await Promise.all(Array.from({ length: 5 }, () => client.getUser('u-1')));
    expect(server.tokenRequests()).toHaveLength(2);
    expect(server.scimRequests()).toHaveLength(10);
  });

  it('on a 401, refreshes once and retries the request once', async () => {
    const calls: string[] = [];
    const { server, client } = await setup({
      scim: (request) =>
        request.headers.authorization === 'Bearer token-1'
          ? { status: 401, body: { status: '401', detail: 'token revoked' } }
          : ok(),
      client: {
        beforeRequest: async (info) => {
          calls.push(info.route);
        },
      },
    });
    const { user } = await client.getUser('u-1');
    expect(user.id).toBe('u-1');
    expect(server.tokenRequests()).toHaveLength(2);
    expect(server.scimRequests().map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
    // Each attempt is a request against the budget.
    expect(calls).toEqual(['GET /Users/:id', 'GET /Users/:id']);
  });

  it('a second 401 surfaces as an unauthorized error', async () => {
    const { server, client } = await setup({ scim: () => ({ status: 401, body: { detail: 'nope' } }) });
    const error = await caught(() => client.getUser('u-1'));
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toMatchObject({
      kind: 'unauthorized',
      code: 'scim_unauthorized',
      status: 401,
      retryable: false,
    });
    expect(server.tokenRequests()).toHaveLength(2);
    expect(server.scimRequests()).toHaveLength(2);
  });

  it('does not refresh on a 403', async () => {
    const { server, client } = await setup({
      scim: () => ({ status: 403, body: { detail: 'missing permission' } }),
    });
    const error = await caught(() => client.getUser('u-1'));
    expect(error).toMatchObject({ kind: 'unauthorized', status: 403, retryable: false });
    expect(server.tokenRequests()).toHaveLength(1);
    expect(server.scimRequests()).toHaveLength(1);
  });

  it.each([400, 401])('token endpoint %i → non-retryable oauth_invalid_client', async (status) => {
    const { server, client } = await setup({
      scim: ok,
      token: () => ({ status, body: { error: 'invalid_client', error_description: 'client not found' } }),
    });
    const error = await caught(() => client.getUser('u-1'));
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'oauth_invalid_client', retryable: false, status });
    const message = (error as Error).message;
    expect(message).toContain('GENESYS_CLIENT_ID');
    expect(message).toContain('GENESYS_CLIENT_SECRET');
    expect(message).not.toContain(CLIENT_ID);
    expect(message).not.toContain(CLIENT_SECRET);
    expect(server.scimRequests()).toHaveLength(0);
  });

  it('token endpoint 5xx → retryable oauth_unavailable', async () => {
    const { client } = await setup({ scim: ok, token: () => ({ status: 503, body: 'down' }) });
    expect(await caught(() => client.getUser('u-1'))).toMatchObject({
      code: 'oauth_unavailable',
      retryable: true,
      status: 503,
    });
  });

  it('token endpoint without an answer → retryable oauth_unavailable', async () => {
    const { client } = await setup({ scim: ok, token: () => ({ destroy: true }) });
    expect(await caught(() => client.getUser('u-1'))).toMatchObject({
      code: 'oauth_unavailable',
      retryable: true,
    });
  });

  it('a failed refresh is not cached: the next call asks again', async () => {
    let fail = true;
    const tokens = issueTokens();
    const { server, client } = await setup({
      scim: ok,
      token: (request) => (fail ? { status: 500 } : tokens(request)),
    });
    await caught(() => client.getUser('u-1'));
    fail = false;
    await client.getUser('u-1');
    expect(server.tokenRequests()).toHaveLength(2);
  });

  it('does not spend the request budget when the login fails', async () => {
    let budget = 0;
    const { client } = await setup({
      token: () => ({ status: 401, body: { error: 'invalid_client' } }),
      client: {
        beforeRequest: async () => {
          budget += 1;
        },
      },
    });
    await caught(() => client.getUser('u-1'));
    expect(budget).toBe(0);
  });
});
