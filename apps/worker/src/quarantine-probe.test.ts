import { describe, expect, it } from 'vitest';
import { nextProbeDelay } from './quarantine-probe.js';

describe('nextProbeDelay: no quarantine flaps', () => {
  it('doubles after each failed probe up to the maximum, and starts over after a success', () => {
    const delays: number[] = [];
    let delay = 15_000;
    for (let i = 0; i < 8; i++) {
      delay = nextProbeDelay(delay, true, 15_000, 900_000);
      delays.push(delay);
    }
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
    expect(nextProbeDelay(delay, false, 15_000, 900_000)).toBe(15_000);
  });

  it('never goes below the base interval, even with a maximum below it', () => {
    expect(nextProbeDelay(0, true, 15_000, 5_000)).toBe(15_000);
  });
});
