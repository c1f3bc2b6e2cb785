import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/index.js';
import { basicAuth, scimError, startHarness } from './harness.js';

async function tokenRequest(url: string, init: { authorization?: string; body?: string }) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(init.authorization ? { authorization: init.authorization } : {}),
    },
    body: init.body ?? 'grant_type=client_credentials',
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('POST /oauth/token', () => {
  it('issues a bearer token for the configured client', async () => {
    const { sim } = await startHarness({ tokenTtlSeconds: 900 });
    const answer = await tokenRequest(sim.tokenUrl, { authorization: basicAuth() });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 900 });
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('accepts custom credentials and the pair in the form body', async () => {
    const { sim } = await startHarness({ clientId: 'c1', clientSecret: 's1' });
    expect((await tokenRequest(sim.tokenUrl, { authorization: basicAuth('c1', 's1') })).status).toBe(200);
    const inBody = await tokenRequest(sim.tokenUrl, {
      body: 'grant_type=client_credentials&client_id=c1&client_secret=s1',
    });
    expect(inBody.status).toBe(200);
  });

  it('refuses wrong or missing credentials with 401 invalid_client', async () => {
    const { sim } = await startHarness();
    for (const authorization of [
      basicAuth('dirsync-local', 'wrong'),
      basicAuth('other', 'dirsync-local-secret'),
    ]) {
      const answer = await tokenRequest(sim.tokenUrl, { authorization });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: 'invalid_client' });
    }
    const none = await tokenRequest(sim.tokenUrl, {});
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('invalid_client');
  });

  it('refuses another grant with 400 unsupported_grant_type, and a missing one with invalid_request', async () => {
    const { sim } = await startHarness();
    const password = await tokenRequest(sim.tokenUrl, {
      authorization: basicAuth(),
      body: 'grant_type=password',
    });
    expect(password.status).toBe(400);
    expect(password.body.error).toBe('unsupported_grant_type');
    const missing = await tokenRequest(sim.tokenUrl, { authorization: basicAuth(), body: '' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
  });
});

describe('bearer authentication of the SCIM API', () => {
  it('answers 401 with a SCIM error body without, or with an unknown, token', async () => {
    const h = await startHarness();
    const none = await h.scim('GET', '/Users', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body).toEqual(scimError(401, undefined, expect.stringContaining('Bearer')));
    const unknown = await h.scim('GET', '/Users', { token: 'not-a-token' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(scimError(401, undefined, 'The access token is not valid'));
  });

  it('expires tokens after tokenTtlSeconds', async () => {
    const clock = new ManualClock();
    const h = await startHarness({ clock, tokenTtlSeconds: 300 });
    const token = await h.token();
    clock.advance(299_999);
    expect((await h.scim('GET', '/Users', { token })).status).toBe(200);
    clock.advance(1);
    const expired = await h.scim('GET', '/Users', { token });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual(scimError(401, undefined, 'The access token has expired'));
    expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await h.scim('GET', '/Users', { token: await h.token() })).status).toBe(200);
  });

  it('revokes every token on POST /__sim/tokens/revoke, and a new token works', async () => {
    const h = await startHarness();
    const token = await h.token();
    expect((await h.scim('GET', '/Users', { token })).status).toBe(200);
    expect(await h.sim.admin.revokeTokens()).toBe(1);
    expect((await h.scim('GET', '/Users', { token })).status).toBe(401);
    expect((await h.scim('GET', '/Users', { token: await h.token() })).status).toBe(200);
  });
});
