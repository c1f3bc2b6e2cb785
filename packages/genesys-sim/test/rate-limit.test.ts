import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/index.js';
import { scimError, startHarness } from './harness.js';

describe('per-token rate limit', () => {
  it('answers the request over the limit with 429 and Retry-After until the window slides', async () => {
    const clock = new ManualClock();
    const h = await startHarness({ clock, rateLimitPerMinute: 5 });
    const token = await h.token();
    for (let i = 0; i < 5; i++) {
      expect((await h.scim('GET', '/Users', { token })).status).toBe(200);
      clock.advance(10_000);
    }
    // Requests at 0, 10, 20, 30, 40 s; now 50 s: the first leaves the window at 60 s.
    const limited = await h.scim('GET', '/Users', { token });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    expect(limited.body).toEqual(scimError(429, undefined, expect.stringContaining('5 requests per minute')));

    clock.advance(9_500);
    const stillLimited = await h.scim('GET', '/Users', { token });
    expect(stillLimited.status).toBe(429);
    expect(stillLimited.headers.get('retry-after')).toBe('1');

    clock.advance(500);
    expect((await h.scim('GET', '/Users', { token })).status).toBe(200);
    expect((await h.scim('GET', '/Users', { token })).status).toBe(429);
  });

  it('counts writes and reads alike, and keeps a separate budget per token', async () => {
    const clock = new ManualClock();
    const h = await startHarness({ clock, rateLimitPerMinute: 2 });
    const first = await h.token();
    const second = await h.token();
    expect((await h.scim('POST', '/Users', { token: first, body: {} })).status).toBe(400);
    expect((await h.scim('GET', '/Users', { token: first })).status).toBe(200);
    expect((await h.scim('GET', '/Users', { token: first })).status).toBe(429);
    expect((await h.scim('GET', '/Users', { token: second })).status).toBe(200);
    const counters = await h.sim.admin.counters();
    expect(counters.throttled429).toBe(1);
  });

  it('does not count /oauth/token or /__sim, and reports the busiest 60-second window of all tokens', async () => {
    const clock = new ManualClock();
    const h = await startHarness({ clock, rateLimitPerMinute: 3 });
    const tokens = [await h.token(), await h.token()];
    await h.sim.admin.counters();
    for (const token of tokens) for (let i = 0; i < 3; i++) await h.scim('GET', '/Users', { token });
    // A refused request is a request too: the budget check must see everything the client sent.
    expect((await h.scim('GET', '/Users', { token: tokens[0] })).status).toBe(429);
    expect((await h.scim('GET', '/Users', { token: null })).status).toBe(401);
    let counters = await h.sim.admin.counters();
    expect(counters.requests).toBe(8);
    expect(counters.maxRequestsInAnyWindow).toBe(8);

    clock.advance(60_000);
    await h.scim('GET', '/Users', { token: tokens[1] });
    counters = await h.sim.admin.counters();
    expect(counters.requests).toBe(9);
    expect(counters.maxRequestsInAnyWindow).toBe(8);
  });
});
