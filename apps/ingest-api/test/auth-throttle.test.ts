import { describe, expect, it } from 'vitest';
import { AuthThrottle, clientKeyOf } from '../src/auth-throttle.js';

function clock() {
  let now = 1_000_000;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('AuthThrottle', () => {
  it('lets a client fail a few times, then blocks it for a time that doubles with each failure', () => {
    const time = clock();
    const throttle = new AuthThrottle({ now: time.now });
    const blocks: number[] = [];
    for (let i = 0; i < 9; i++) {
      throttle.recordFailure('10.0.0.2');
      blocks.push(throttle.waitMs('10.0.0.2'));
      // The client comes back exactly when allowed.
      time.advance(throttle.waitMs('10.0.0.2'));
    }
    expect(blocks).toEqual([0, 0, 0, 0, 1000, 2000, 4000, 8000, 16000]);
    // Another client is not affected.
    expect(throttle.waitMs('10.0.0.3')).toBe(0);
  });

  it('caps the block and forgets failures over quiet time', () => {
    const time = clock();
    const throttle = new AuthThrottle({ now: time.now });
    for (let i = 0; i < 40; i++) throttle.recordFailure('10.0.0.1');
    expect(throttle.waitMs('10.0.0.1')).toBe(15 * 60_000);
    time.advance(15 * 60_000);
    expect(throttle.waitMs('10.0.0.1')).toBe(0);
    // Forty minutes of quiet forgive forty failures: the next one is free again.
    time.advance(25 * 60_000);
    throttle.recordFailure('10.0.0.1');
    expect(throttle.waitMs('10.0.0.1')).toBe(0);
  });

  it('a correct sign-in clears the client and exempts it from a global block', () => {
    const time = clock();
    const throttle = new AuthThrottle({ now: time.now, global: { freeFailures: 10 } });
    throttle.recordFailure('10.0.0.1');
    throttle.recordSuccess('10.0.0.1');
    // A distributed guesser: one failure each from many addresses.
    for (let i = 0; i < 10; i++) throttle.recordFailure(`203.0.113.${i}`);
    expect(throttle.waitMs('203.0.113.200')).toBeGreaterThan(0);
    expect(throttle.waitMs('10.0.0.1')).toBe(0);
  });

  it('remembers a bounded number of clients', () => {
    const throttle = new AuthThrottle({ maxClients: 3, global: { freeFailures: 1_000 } });
    for (let i = 0; i < 6; i++) throttle.recordFailure('10.0.0.1');
    expect(throttle.waitMs('10.0.0.1')).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) throttle.recordFailure(`10.0.1.${i}`);
    expect(throttle.waitMs('10.0.0.1')).toBe(0);
  });

  it('counts an IPv6 client by its /64 and an IPv4-mapped one by its IPv4 address', () => {
    expect(clientKeyOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKeyOf('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKeyOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(clientKeyOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKeyOf('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(clientKeyOf('192.0.2.7')).toBe('192.0.2.7');
    expect(clientKeyOf(undefined)).toBe('unknown');
  });
});
