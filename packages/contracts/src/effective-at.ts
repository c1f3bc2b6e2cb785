import { parseIsoInstant } from './iso-instant.js';

/** An `effectiveAt` further ahead than this is refused: a typo in the year would park a change for decades. */
export const MAX_EFFECTIVE_AHEAD_MS = 2 * 366 * 86_400_000;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

export type EffectiveAtResult = { ok: true; epochMs: number } | { ok: false; reason: string };

/** Whether `zone` is an IANA time zone this runtime knows (`Europe/Berlin`, `UTC`). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC (ms) at one instant, as the runtime's time-zone data says. */
function zoneOffsetAt(epochMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant of 00:00 on a calendar date in `zone`, with the offset in force at that local time (it differs
 * across a daylight-saving change). Where 00:00 happens twice the first is taken; where it does not exist (a zone
 * that springs forward at midnight), the first instant of that day.
 */
export function zonedMidnight(year: number, month: number, day: number, zone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  const before = zoneOffsetAt(wall - 86_400_000, zone);
  const after = zoneOffsetAt(wall + 86_400_000, zone);
  const valid = [before, after].map((o) => wall - o).filter((t) => wall - zoneOffsetAt(t, zone) === t);
  return valid.length > 0 ? Math.min(...valid) : wall - before;
}

/**
 * Reads an event's `effectiveAt`: an ISO-8601 date-time with an offset, or a `YYYY-MM-DD` date meaning 00:00 in
 * `zone` (an IANA zone). A date-time without an offset is refused with a reason that says so. Never throws.
 */
export function parseEffectiveAt(text: string, zone: string): EffectiveAtResult {
  const date = DATE_ONLY.exec(text);
  if (date) {
    const [year, month, day] = [date[1], date[2], date[3]].map(Number) as [number, number, number];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (month < 1 || month > 12 || check.getUTCDate() !== day) return { ok: false, reason: 'no such date' };
    return { ok: true, epochMs: zonedMidnight(year, month, day, zone) };
  }
  const read = parseIsoInstant(text);
  if (!read.ok) {
    return {
      ok: false,
      reason: `${read.reason}; or a date YYYY-MM-DD, read as 00:00 in HR_TIMEZONE`,
    };
  }
  return { ok: true, epochMs: read.instant.epochMs };
}

/**
 * Checks an `effectiveAt` instant against the accepted range: not before 1970, at most two years after `now`.
 * Returns the reason when it is outside, else undefined.
 */
export function effectiveAtOutOfRange(epochMs: number, now: number): string | undefined {
  if (epochMs < 0) return 'is before 1970';
  if (epochMs > now + MAX_EFFECTIVE_AHEAD_MS) return 'is more than 2 years in the future';
  return undefined;
}
