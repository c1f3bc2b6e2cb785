/**
 * One instant read from an ISO-8601 date-time, at the precision it was sent.
 *
 * `canonical` is the same instant in UTC, fixed width (`2026-01-02T07:30:00.123456000Z`: always 9 fraction digits,
 * 30 characters), so plain string order is instant order. `epochMs` is what `Date.parse` gives (floored to the
 * millisecond); `nanosOfMs` the 0–999,999 nanoseconds below it, so `(epochMs, nanosOfMs)` orders the same way in
 * places without strings or big integers (Lua numbers are doubles: epoch nanoseconds do not fit).
 */
export interface IsoInstant {
  canonical: string;
  epochMs: number;
  nanosOfMs: number;
}

export type IsoInstantResult = { ok: true; instant: IsoInstant } | { ok: false; reason: string };

// Date and time both extended (`2026-01-02T07:30:00`) or both basic (`20260102T073000`); seconds and fraction
// optional (ISO-8601 reduced precision); `.` or `,` before the fraction (ISO-8601 allows both). RFC 3339 allows a
// lower-case `t`/`z`.
const EXTENDED = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(.*)$/;
const BASIC = /^(\d{4})(\d{2})(\d{2})[Tt](\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(.*)$/;
// Every offset form: `Z`, `±hh:mm` (extended), `±hhmm` (basic), `±hh` (either).
const OFFSET = /^(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

const FORMAT_HINT = 'must be an ISO-8601 date-time with a time zone, e.g. 2026-11-28T09:00:00Z';
const MISSING_OFFSET =
  'has no UTC offset: add Z or an offset such as +02:00 (e.g. 2026-11-28T09:00:00+02:00)';
const NANOS_PER_MS = 1_000_000;

/**
 * Reads an ISO-8601 date-time with an offset: `Z`, `+02:00`, `+0200` or `+02`; fractional seconds of any length
 * (digits past the ninth are dropped: instants differing only below a nanosecond are equal); `24:00` as the end of
 * the day. A date-time without an offset is refused with a reason that says so. Never throws.
 */
export function parseIsoInstant(text: string): IsoInstantResult {
  const m = EXTENDED.exec(text) ?? BASIC.exec(text);
  if (!m) return { ok: false, reason: FORMAT_HINT };
  const [, y, mo, d, h, mi, s = '00', fraction = '', rest = ''] = m;
  if (rest === '') return { ok: false, reason: MISSING_OFFSET };
  const offset = OFFSET.exec(rest);
  if (!offset)
    return { ok: false, reason: `${FORMAT_HINT} (the offset "${rest}" is not Z, ±hh:mm, ±hhmm or ±hh)` };
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const nanos = Number(fraction.slice(0, 9).padEnd(9, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
    return { ok: false, reason: `${FORMAT_HINT} (no such date)` };
  }
  const endOfDay = hour === 24 && minute === 0 && second === 0 && nanos === 0;
  if ((hour > 23 && !endOfDay) || minute > 59 || second > 59) {
    return { ok: false, reason: `${FORMAT_HINT} (no such time of day)` };
  }
  let offsetMinutes = 0;
  if (!offset[1]) {
    const oh = Number(offset[3]);
    const om = Number(offset[4] ?? '0');
    if (oh > 23 || om > 59) return { ok: false, reason: `${FORMAT_HINT} (no such offset)` };
    offsetMinutes = (offset[2] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const local = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, Math.floor(nanos / NANOS_PER_MS));
  const epochMs = local.getTime() - offsetMinutes * 60_000;
  const utc = new Date(epochMs);
  const utcYear = utc.getUTCFullYear();
  if (utcYear < 0 || utcYear > 9999)
    return { ok: false, reason: `${FORMAT_HINT} (outside the years 0000–9999 in UTC)` };
  const canonical = `${pad(utcYear, 4)}-${pad(utc.getUTCMonth() + 1, 2)}-${pad(utc.getUTCDate(), 2)}T${pad(
    utc.getUTCHours(),
    2,
  )}:${pad(utc.getUTCMinutes(), 2)}:${pad(utc.getUTCSeconds(), 2)}.${pad(nanos, 9)}Z`;
  return { ok: true, instant: { canonical, epochMs, nanosOfMs: nanos % NANOS_PER_MS } };
}

/**
 * Orders two canonical instants ({@link IsoInstant.canonical}): negative when `a` is earlier, 0 when equal,
 * positive when later. Their fixed width makes this plain string order.
 */
export function compareInstants(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
