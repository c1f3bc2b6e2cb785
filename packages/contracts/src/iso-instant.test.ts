import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareInstants, parseIsoInstant } from './iso-instant.js';

function canonical(text: string): string {
  const read = parseIsoInstant(text);
  if (!read.ok) throw new Error(`refused ${text}: ${read.reason}`);
  return read.instant.canonical;
}

function reason(text: string): string {
  const read = parseIsoInstant(text);
  if (read.ok) throw new Error(`accepted ${text}`);
  return read.reason;
}

describe('parseIsoInstant', () => {
  it.each([
    ['2026-01-02T07:30:00Z', '2026-01-02T07:30:00.000000000Z'],
    ['2026-01-02T09:30:00+02:00', '2026-01-02T07:30:00.000000000Z'],
    ['2026-01-02T09:30:00+0200', '2026-01-02T07:30:00.000000000Z'],
    ['2026-01-02T09:30:00+02', '2026-01-02T07:30:00.000000000Z'],
    ['2026-01-02T02:00:00-05:30', '2026-01-02T07:30:00.000000000Z'],
    ['2026-01-02T07:30:00-00:00', '2026-01-02T07:30:00.000000000Z'],
    ['2026-01-02t07:30:00z', '2026-01-02T07:30:00.000000000Z'],
    ['2026-01-02T07:30Z', '2026-01-02T07:30:00.000000000Z'],
    ['20260102T093000+0200', '2026-01-02T07:30:00.000000000Z'],
    ['2026-01-02T07:30:00.1Z', '2026-01-02T07:30:00.100000000Z'],
    ['2026-01-02T07:30:00,5Z', '2026-01-02T07:30:00.500000000Z'],
    ['2026-01-02T07:30:00.123456Z', '2026-01-02T07:30:00.123456000Z'],
    ['2026-01-02T07:30:00.123456789Z', '2026-01-02T07:30:00.123456789Z'],
    // Past nine digits: dropped, not rounded (rounding could carry into the next second).
    ['2026-01-02T07:30:00.1234567899999Z', '2026-01-02T07:30:00.123456789Z'],
    ['2026-01-01T01:00:00+02:00', '2025-12-31T23:00:00.000000000Z'],
    ['2026-01-01T24:00:00Z', '2026-01-02T00:00:00.000000000Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000000000Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000000000Z'],
  ])('reads %s as %s', (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it('gives Date.parse’s milliseconds and the nanoseconds below them', () => {
    const read = parseIsoInstant('2026-01-02T09:30:00.123456789+02:00');
    expect(read).toEqual({
      ok: true,
      instant: {
        canonical: '2026-01-02T07:30:00.123456789Z',
        epochMs: Date.parse('2026-01-02T07:30:00.123Z'),
        nanosOfMs: 456_789,
      },
    });
  });

  it('says when the offset is missing', () => {
    for (const text of ['2026-01-02T07:30:00', '2026-01-02T07:30:00.123456', '20260102T073000']) {
      expect(reason(text)).toMatch(/^has no UTC offset/);
    }
  });

  it.each([
    'yesterday',
    '2026-01-02',
    '2026-01-02 07:30:00Z',
    '2026-01-02T07:30:00+2',
    '2026-01-02T07:30:00+02:0',
    '2026-01-02T07:30:00 Z',
    '2026-01-02T07:30:00+24:00',
    '2026-01-02T07:30:00+02:60',
    '2026-02-29T07:30:00Z',
    '2026-13-01T07:30:00Z',
    '2026-01-02T24:00:01Z',
    '2026-01-02T07:60:00Z',
    '2026-01-02T07:30:60Z',
    '2026-01-02T07:30:00.Z',
    '0000-01-01T00:30:00+01:00',
    '9999-12-31T23:30:00-01:00',
    '2026-01-02T0730:00Z',
  ])('refuses %s', (text) => {
    expect(reason(text)).toMatch(/must be an ISO-8601 date-time with a time zone/);
  });
});

const NS_PER_MS = 1_000_000n;
// Years 1000–9998 in UTC, so every offset keeps the local time a four-digit year too.
const MIN_NS = BigInt(Date.parse('1000-01-02T00:00:00Z')) * NS_PER_MS;
const MAX_NS = BigInt(Date.parse('9998-12-30T00:00:00Z')) * NS_PER_MS;

/** Division rounding toward the past, as the calendar does (bigint `/` rounds toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

function nanosOfSecond(ns: bigint): string {
  return String(ns - floorDiv(ns, 1_000_000_000n) * 1_000_000_000n).padStart(9, '0');
}

/** The canonical string of an instant given as nanoseconds since the epoch, computed independently. */
function expectedCanonical(ns: bigint): string {
  const ms = floorDiv(ns, NS_PER_MS);
  const fraction = nanosOfSecond(ns);
  return `${new Date(Number(ms)).toISOString().slice(0, 19)}.${fraction}Z`;
}

/** One way an HR system might write `ns`: a local time at some offset, in one of the offset forms. */
const written = fc
  .record({
    ns: fc.bigInt(MIN_NS, MAX_NS),
    offsetMinutes: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
    form: fc.constantFrom('colon', 'basic', 'hours', 'Z'),
    basicDateTime: fc.boolean(),
    extraDigits: fc.stringMatching(/^\d{0,4}$/),
    trimZeros: fc.boolean(),
  })
  .map(({ ns, offsetMinutes, form, basicDateTime, extraDigits, trimZeros }) => {
    const offset = form === 'Z' ? 0 : form === 'hours' ? Math.trunc(offsetMinutes / 60) * 60 : offsetMinutes;
    const localMs = Number(floorDiv(ns, NS_PER_MS)) + offset * 60_000;
    const local = new Date(localMs).toISOString();
    let fraction = nanosOfSecond(ns);
    if (trimZeros && extraDigits === '') fraction = fraction.replace(/0+$/, '');
    fraction += extraDigits;
    const sign = offset < 0 ? '-' : '+';
    const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
    const mm = String(Math.abs(offset) % 60).padStart(2, '0');
    const zone =
      form === 'Z'
        ? 'Z'
        : form === 'colon'
          ? `${sign}${hh}:${mm}`
          : form === 'basic'
            ? `${sign}${hh}${mm}`
            : `${sign}${hh}`;
    const dateTime = basicDateTime
      ? `${local.slice(0, 10).replaceAll('-', '')}T${local.slice(11, 19).replaceAll(':', '')}`
      : local.slice(0, 19);
    return { ns, text: `${dateTime}${fraction === '' ? '' : `.${fraction}`}${zone}` };
  });

describe('canonical instants, as a property', () => {
  it('read every offset form and fraction length to the same instant', () => {
    fc.assert(
      fc.property(written, ({ ns, text }) => {
        expect(canonical(text)).toBe(expectedCanonical(ns));
        const read = parseIsoInstant(text);
        expect(read.ok && read.instant.epochMs).toBe(Number(floorDiv(ns, NS_PER_MS)));
        expect(read.ok && read.instant.epochMs).toBe(Date.parse(expectedCanonical(ns)));
      }),
      { numRuns: 2000 },
    );
  });

  it('string order is instant order, across offsets', () => {
    fc.assert(
      fc.property(written, written, (a, b) => {
        const order = compareInstants(canonical(a.text), canonical(b.text));
        expect(Math.sign(order)).toBe(a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0);
        expect(Math.sign(compareInstants(canonical(b.text), canonical(a.text)))).toBe(-Math.sign(order) || 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('orders instants a few microseconds apart, which milliseconds cannot', () => {
    const older = canonical('2026-11-28T09:30:00.123456Z');
    const newer = canonical('2026-11-28T11:30:00.123789+02:00');
    expect(compareInstants(older, newer)).toBeLessThan(0);
    expect(Date.parse('2026-11-28T09:30:00.123456Z')).toBe(Date.parse('2026-11-28T09:30:00.123789Z'));
  });
});
