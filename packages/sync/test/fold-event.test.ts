import { EVENT_TYPES, type HrRecord } from '@dirsync/contracts';
import { redisTest } from '@dirsync/testing';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { foldEvent } from '../src/fold-event.js';
import { createKeys } from '../src/keys.js';
import type { IncomingEvent, IngestStatus, PersonState } from '../src/person-state.js';
import { PersonStore } from '../src/person-store.js';

/** Random events for a few people: few keys (duplicates), few instants (equal and out-of-order occurredAt). */
const eventArb: fc.Arbitrary<IncomingEvent> = fc
  .record({
    key: fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'),
    person: fc.constantFrom('P-1', 'P-2'),
    type: fc.constantFrom(...EVENT_TYPES),
    at: fc.integer({ min: 0, max: 4 }),
    title: fc.option(fc.constantFrom('Agent', 'Lead', 'Manager'), { nil: undefined }),
  })
  .map(({ key, person, type, at, title }) => {
    // A record without a title stands for a bare event (only the id), as a bare deactivation is.
    const data: HrRecord = title
      ? { externalId: person, title, workEmail: `${person}@example.com` }
      : { externalId: person };
    return { idempotencyKey: key, type, occurredAtMs: 1_700_000_000_000 + at * 1000, data };
  });

/** The TypeScript twin plus the idempotency check the script makes before folding. */
function foldAll(events: readonly IncomingEvent[], now: number) {
  const seen = new Set<string>();
  const people = new Map<string, PersonState>();
  const statuses: IngestStatus[] = [];
  for (const event of events) {
    const externalId = event.data.externalId;
    if (seen.has(event.idempotencyKey)) {
      statuses.push({ status: 'duplicate', externalId });
      continue;
    }
    seen.add(event.idempotencyKey);
    const next = foldEvent(people.get(externalId), event, now);
    if (!next) {
      statuses.push({ status: 'stale', externalId });
      continue;
    }
    people.set(externalId, next);
    statuses.push({ status: 'applied', externalId, rev: next.rev });
  }
  return { people, statuses };
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
            const statuses: IngestStatus[] = [];
            for (let i = 0; i < events.length; i += batchSize) {
              statuses.push(...(await store.ingest(events.slice(i, i + batchSize), now)));
            }
            const expected = foldAll(events, now);
            expect(statuses).toEqual(expected.statuses);
            for (const person of ['P-1', 'P-2']) {
              expect(await store.get(person)).toEqual(expected.people.get(person));
            }
          },
        ),
        { numRuns: 150 },
      );
    },
  );
});
