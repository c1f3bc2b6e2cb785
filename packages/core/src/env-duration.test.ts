import { describe, expect, it } from 'vitest';
import { envDurationMs } from './env-duration.js';

describe('envDurationMs', () => {
  const schema = envDurationMs({ default: '24h', min: '1m' });

  it('reads units, defaults when unset or blank, and counts a bare number as seconds', () => {
    expect(schema.parse(undefined)).toBe(86_400_000);
    expect(schema.parse('  ')).toBe(86_400_000);
    expect(schema.parse('90s')).toBe(90_000);
    expect(schema.parse('30m')).toBe(1_800_000);
    expect(schema.parse('2d')).toBe(172_800_000);
    expect(schema.parse('3600')).toBe(3_600_000);
  });

  it('refuses what is not a duration, and durations under the minimum', () => {
    expect(schema.safeParse('soon').error?.issues[0]?.message).toContain('duration such as');
    expect(schema.safeParse('1.5h').success).toBe(false);
    expect(schema.safeParse('30s').error?.issues[0]?.message).toBe('must be at least 1m');
  });
});
