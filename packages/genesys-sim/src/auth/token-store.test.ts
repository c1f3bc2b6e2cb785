import { describe, expect, it } from 'vitest';
import { ManualClock } from '../state/clock.js';
import { TokenStore } from './token-store.js';

describe('TokenStore', () => {
  it('issues distinct tokens with public ids, expiring after the TTL', () => {
    const clock = new ManualClock();
    const store = new TokenStore(clock, 60);
    const a = store.issue();
    const b = store.issue();
    expect(a.accessToken).not.toBe(b.accessToken);
    expect([a.tokenId, b.tokenId]).toEqual(['tok-1', 'tok-2']);
    expect(a.tokenId).not.toContain(a.accessToken);
    expect(store.check(a.accessToken)).toEqual({ ok: true, tokenId: 'tok-1' });
    clock.advance(60_000);
    expect(store.check(a.accessToken)).toEqual({ ok: false, reason: 'expired' });
    expect(store.check('nope')).toEqual({ ok: false, reason: 'unknown' });
  });

  it('revokes every live token', () => {
    const store = new TokenStore(new ManualClock(), 60);
    const a = store.issue();
    store.issue();
    expect(store.revokeAll()).toBe(2);
    expect(store.check(a.accessToken)).toEqual({ ok: false, reason: 'unknown' });
  });
});
