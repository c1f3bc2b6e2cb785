import { describe, expect, it } from 'vitest';
import { effectiveAtOutOfRange, isValidTimeZone, parseEffectiveAt, zonedMidnight } from './effective-at.js';
import { hrEventSchema } from './events.js';

describe('effectiveAt', () => {
  it('reads a date-time with any offset form', () => {
    expect(parseEffectiveAt('2026-12-04T17:00:00+01:00', 'UTC')).toEqual({
      ok: true,
      epochMs: Date.parse('2026-12-04T16:00:00Z'),
    });
  });

  it('refuses a date-time without an offset, saying so', () => {
    const read = parseEffectiveAt('2026-12-04T17:00:00', 'UTC');
    expect(read.ok).toBe(false);
    expect(!read.ok && read.reason).toMatch(/no UTC offset/);
  });

  it('reads a date as 00:00 in the zone, with the offset of that day across daylight saving', () => {
    expect(parseEffectiveAt('2026-12-01', 'UTC')).toEqual({
      ok: true,
      epochMs: Date.parse('2026-12-01T00:00:00Z'),
    });
    // Berlin: CET (+01:00) in winter, CEST (+02:00) in summer; the switch days themselves keep midnight's offset.
    expect(zonedMidnight(2026, 1, 15, 'Europe/Berlin')).toBe(Date.parse('2026-01-14T23:00:00Z'));
    expect(zonedMidnight(2026, 7, 1, 'Europe/Berlin')).toBe(Date.parse('2026-06-30T22:00:00Z'));
    expect(zonedMidnight(2026, 3, 29, 'Europe/Berlin')).toBe(Date.parse('2026-03-28T23:00:00Z'));
    expect(zonedMidnight(2026, 10, 25, 'Europe/Berlin')).toBe(Date.parse('2026-10-24T22:00:00Z'));
    expect(zonedMidnight(2026, 3, 8, 'America/New_York')).toBe(Date.parse('2026-03-08T05:00:00Z'));
    expect(zonedMidnight(2026, 3, 9, 'America/New_York')).toBe(Date.parse('2026-03-09T04:00:00Z'));
  });

  it('takes the first instant of a day whose midnight does not exist', () => {
    // Santiago springs forward at 24:00 on 2026-09-05: 2026-09-06 starts at 01:00 (-03:00).
    expect(zonedMidnight(2026, 9, 6, 'America/Santiago')).toBe(Date.parse('2026-09-06T04:00:00Z'));
  });

  it('refuses impossible dates and knows which zones exist', () => {
    expect(parseEffectiveAt('2026-02-30', 'UTC').ok).toBe(false);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('accepts at most two years ahead and nothing before 1970', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(effectiveAtOutOfRange(Date.parse('2028-11-30T00:00:00Z'), now)).toBeUndefined();
    expect(effectiveAtOutOfRange(Date.parse('2029-01-01T00:00:00Z'), now)).toMatch(/2 years/);
    expect(effectiveAtOutOfRange(Date.parse('1969-12-31T00:00:00Z'), now)).toMatch(/1970/);
  });

  it('the event schema keeps effectiveAt as sent and names it when malformed', () => {
    const ok = hrEventSchema.parse({
      event: 'user.deactivated',
      effectiveAt: '2026-12-04',
      data: { externalId: 'e1' },
    });
    expect(ok.effectiveAt).toBe('2026-12-04');
    const bad = hrEventSchema.safeParse({
      event: 'user.deactivated',
      effectiveAt: '2026-12-04T17:00',
      data: { externalId: 'e1' },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['effectiveAt']);
    expect(bad.error?.issues[0]?.message).toMatch(/no UTC offset/);
  });
});
