import { EVENT_TYPES, type HrRecord } from '@dirsync/contracts';
import { redisTest } from '@dirsync/testing';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { foldEvent } from '../src/fold-event.js';
import { IdempotencyConflictError } from '../src/idempotency-conflict.js';
import { createKeys } from '../src/keys.js';
import type { IncomingEvent, IngestStatus, PersonState } from '../src/person-state.js';
import { PersonStore } from '../src/person-store.js';

/**
 * Random events for a few people: few keys (duplicates and reused keys), few instants (equal and out-of-order
 * occurredAt, also within one millisecond: nanoseconds below it decide).
 */
const eventArb: fc.Arbitrary<IncomingEvent> = fc
  .record({
    key: fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'),
    person: fc.constantFrom('P-1', 'P-2'),
    type: fc.constantFrom(...EVENT_TYPES),
    at: fc.integer({ min: 0, max: 2 }),
    ns: fc.constantFrom(0, 456_000, 789_000, 999_999),
    title: fc.option(fc.constantFrom('Agent', 'Lead', 'Manager'), { nil: undefined }),
  })
  .map(({ key, person, type, at, ns, title }) => {
    // A record without a title stands for a bare event (only the id), as a bare deactivation is.
    const data: HrRecord = title
      ? { externalId: person, title, workEmail: `${person}@example.com` }
      : { externalId: person };
    return {
      idempotencyKey: key,
      type,
      occurredAtMs: 1_700_000_000_000 + at * 1000,
      occurredAtNs: ns,
      contentHash: `${type}|${at}|${ns}|${title}`,
      data,
    };
  });

/** The model of the idempotency keys: scoped to the person, remembered with the content they stood for. */
type SeenKeys = Map<string, string>;
const scopedKey = (e: IncomingEvent) => `${e.data.externalId}\n${e.idempotencyKey}`;

/** Whether the batch reuses a key (remembered, or earlier in the batch) with other content: all refused. */
function hasConflict(seen: SeenKeys, batch: readonly IncomingEvent[]): boolean {
  const inBatch = new Map(seen);
  for (const e of batch) {
    const known = inBatch.get(scopedKey(e));
    if (known !== undefined && known !== e.contentHash) return true;
    inBatch.set(scopedKey(e), e.contentHash ?? '');
  }
  return false;
}

/** The TypeScript twin plus the idempotency check the script makes before folding. */
function foldBatch(
  seen: SeenKeys,
  people: Map<string, PersonState>,
  events: readonly IncomingEvent[],
  now: number,
): IngestStatus[] {
  const statuses: IngestStatus[] = [];
  for (const event of events) {
    const externalId = event.data.externalId;
    if (seen.has(scopedKey(event))) {
      statuses.push({ status: 'duplicate', externalId });
      continue;
    }
    seen.set(scopedKey(event), event.contentHash ?? '');
    const next = foldEvent(people.get(externalId), event, now);
    if (!next) {
      statuses.push({ status: 'stale', externalId });
      continue;
    }
    people.set(externalId, next);
    statuses.push({ status: 'applied', externalId, rev: next.rev });
  }
  return statuses;
}

describe('the event fold', () => {
  redisTest(
    'the ingest script on Redis and foldEvent agree on random event sequences',
    async ({ redis, prefix }) => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(eventArb, { minLength: 1, maxLength: 12 }),
          fc.integer({ min: 1, max: 4 }),
          async (events, batchSize) => {
            const store = new PersonStore({ redis, keys: createKeys(`${prefix}:${++run}`) });
            const now = 1_800_000_000_000;
            const seen: SeenKeys = new Map();
            const people = new Map<string, PersonState>();
            for (let i = 0; i < events.length; i += batchSize) {
              const batch = events.slice(i, i + batchSize);
              if (hasConflict(seen, batch)) {
                await expect(store.ingest(batch, now)).rejects.toBeInstanceOf(IdempotencyConflictError);
                continue;
              }
              expect(await store.ingest(batch, now)).toEqual(foldBatch(seen, people, batch, now));
            }
            for (const person of ['P-1', 'P-2']) {
              expect(await store.get(person)).toEqual(people.get(person));
            }
          },
        ),
        { numRuns: 150 },
      );
    },
  );
});
