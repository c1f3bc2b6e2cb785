import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { FaultInjector, mergeFaults } from './fault-injector.js';
import { DEFAULT_FAULTS } from './fault-settings.js';

const sequence = (injector: FaultInjector, n: number) =>
  Array.from({ length: n }, () => injector.decide('GET', '/Users')).map((d) =>
    d.kind === 'answer' ? d.status : d.kind,
  );

describe('FaultInjector', () => {
  it('repeats the same decisions for the same seed, and restarts on a new seed or reset', () => {
    const settings = mergeFaults(DEFAULT_FAULTS, { seed: 9, serverErrorRate: 0.3, connectionResetRate: 0.1 });
    const a = new FaultInjector(settings);
    const first = sequence(a, 50);
    expect(sequence(new FaultInjector(settings), 50)).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['none', 'reset', 500, 502, 503]));
    a.reset();
    expect(sequence(a, 50)).toEqual(first);
    a.update({ seed: 9 });
    expect(sequence(a, 50)).toEqual(first);
  });

  it('serves failNext rules in order, by method and path, until their count is used', () => {
    const injector = new FaultInjector(
      mergeFaults(DEFAULT_FAULTS, {
        failNext: [
          { method: 'patch', pathPattern: '/Users/[^/]+$', status: 409, count: 2 },
          { status: 503, retryAfterSeconds: 4 },
        ],
      }),
    );
    expect(injector.decide('PATCH', '/Users')).toMatchObject({ status: 503, retryAfterSeconds: 4 });
    expect(injector.decide('PATCH', '/Users/abc')).toMatchObject({ status: 409, source: 'failNext' });
    expect(injector.decide('PATCH', '/Users/abc')).toMatchObject({ status: 409 });
    expect(injector.decide('PATCH', '/Users/abc')).toEqual({ kind: 'none' });
    expect(injector.current.failNext).toEqual([]);
  });

  it('counts a throttle burst down', () => {
    const injector = new FaultInjector();
    injector.update({ throttleBurst: { count: 1, retryAfterSeconds: 5 } });
    expect(injector.decide('GET', '/Users')).toMatchObject({ status: 429, retryAfterSeconds: 5 });
    expect(injector.decide('GET', '/Users')).toEqual({ kind: 'none' });
  });

  it('refuses out-of-range or unknown settings and keeps the old ones', () => {
    const injector = new FaultInjector();
    expect(() => injector.update({ conflictRate: 1.5 })).toThrow(ZodError);
    expect(() => injector.update({ failNext: [{ status: 500, pathPattern: '(' }] })).toThrow(ZodError);
    expect(() => injector.update({ typo: 1 })).toThrow(ZodError);
    expect(injector.current).toEqual(DEFAULT_FAULTS);
  });

  it('draws nothing at rate 0, so conflicts and spikes stay off', () => {
    const injector = new FaultInjector();
    expect(Array.from({ length: 20 }, () => injector.conflict())).not.toContain(true);
    expect(injector.spikeMs()).toBe(0);
  });
});
