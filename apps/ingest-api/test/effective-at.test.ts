import { createKeys, PersonStore } from '@dirsync/sync';
import { redisTest } from '@dirsync/testing';
import { describe, expect, it } from 'vitest';
import { loadIngestConfig } from '../src/env.js';
import { ADMIN, errorCode, person, postWebhook, securedEnv, startTestApi } from './harness.js';

const auth = { authorization: `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}` };

describe('effectiveAt at the API', () => {
  it('an unknown HR_TIMEZONE stops start-up naming it; PREHIRE_DAYS must be a whole number', () => {
    expect(() => loadIngestConfig({ ALLOW_UNSIGNED_WEBHOOKS: '1', HR_TIMEZONE: 'Mars/Olympus' })).toThrow(
      /HR_TIMEZONE/,
    );
    expect(() => loadIngestConfig({ ALLOW_UNSIGNED_WEBHOOKS: '1', PREHIRE_DAYS: 'soon' })).toThrow(
      /PREHIRE_DAYS/,
    );
    const config = loadIngestConfig({ ALLOW_UNSIGNED_WEBHOOKS: '1' });
    expect([config.HR_TIMEZONE, config.PREHIRE_DAYS]).toEqual(['UTC', 0]);
  });

  redisTest(
    'a zone-less date-time, a date more than 2 years ahead or before 1970: 400 naming the field, nothing stored',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const farAhead = new Date(Date.now() + 3 * 365 * 86_400_000).toISOString();
        const cases: Array<[string, RegExp]> = [
          ['2030-01-01T17:00:00', /no UTC offset/],
          [farAhead, /2 years/],
          ['1969-12-31', /1970/],
        ];
        for (const [effectiveAt, message] of cases) {
          const res = await postWebhook(api, {
            events: [
              { id: 'ok-1', event: 'user.updated', data: person('HR-1') },
              { id: 'bad-1', event: 'user.deactivated', effectiveAt, data: { externalId: 'HR-2' } },
            ],
          });
          expect(res.status).toBe(400);
          expect(errorCode(res)).toBe('invalid_event');
          const details = (res.body?.error as { details?: unknown } | undefined)?.details;
          expect(details).toEqual([
            { field: 'events[1].effectiveAt', message: expect.stringMatching(message) },
          ]);
        }
        // BullMQ's queue metadata is all there is: no person, idempotency key or schedule entry.
        expect((await redis.keys(`${prefix}:*`)).filter((k) => !k.endsWith(':meta'))).toEqual([]);
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'a future-dated event is scheduled, not applied; GET /admin/scheduled lists it without HR values',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix, { HR_TIMEZONE: 'Europe/Berlin' }));
      try {
        expect(
          (await postWebhook(api, { id: 'hire', event: 'user.created', data: person('HR-3') })).status,
        ).toBe(202);
        const year = new Date().getUTCFullYear() + 1;
        const res = await postWebhook(api, {
          id: 'promo',
          event: 'user.updated',
          effectiveAt: `${year}-01-01`,
          data: person('HR-3', { title: 'Principal' }),
        });
        expect(res.status).toBe(202);
        expect(res.body).toMatchObject({ status: 'queued', accepted: 1, ids: ['promo'] });
        const state = await new PersonStore({ redis, keys: createKeys(prefix) }).get('HR-3');
        expect(state?.data.title).toBe('Analyst');

        const list = await fetch(`${api.url}/admin/scheduled`, { headers: auth });
        expect(list.status).toBe(200);
        const body = await list.json();
        // 00:00 in Berlin on 1 January is 23:00 UTC the day before (CET, +01:00).
        expect(body).toEqual({
          total: 1,
          offset: 0,
          scheduled: [
            {
              externalId: 'HR-3',
              dueAt: `${year - 1}-12-31T23:00:00.000Z`,
              effectiveAt: `${year - 1}-12-31T23:00:00.000Z`,
              kind: 'update',
              stage: 'final',
              sourceEventId: 'promo',
              fields: ['title'],
            },
          ],
        });
        expect(JSON.stringify(body)).not.toContain('Principal');
        expect((await fetch(`${api.url}/admin/scheduled`)).status).toBe(401);
        expect((await fetch(`${api.url}/admin/scheduled?limit=0`, { headers: auth })).status).toBe(400);
        // The same event again is a duplicate.
        const again = await postWebhook(api, {
          id: 'promo',
          event: 'user.updated',
          effectiveAt: `${year}-01-01`,
          data: person('HR-3', { title: 'Principal' }),
        });
        expect(again.body).toMatchObject({ status: 'duplicate', duplicates: 1 });
      } finally {
        await api.close();
      }
    },
  );
});
