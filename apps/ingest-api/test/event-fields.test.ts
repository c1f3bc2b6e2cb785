import { createKeys, PersonStore } from '@dirsync/sync';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { person, postWebhook, securedEnv, signedHeaders, startTestApi } from './harness.js';

function problems(res: {
  body: Record<string, unknown> | undefined;
}): Array<{ field: string; message: string }> {
  return (
    (res.body?.error as { details?: Array<{ field: string; message: string }> } | undefined)?.details ?? []
  );
}

describe('event fields HR systems send in many shapes', () => {
  redisTest(
    'occurredAt in every ISO-8601 offset form is accepted and stored as the same instant',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const forms = ['+02:00', '+0200', '+02'];
        const res = await postWebhook(api, {
          events: forms.map((zone, i) => ({
            event: 'user.created',
            occurredAt: `2026-11-28T11:30:00.123456${zone}`,
            data: person(`HR-TZ${i}`),
          })),
        });
        expect(res.status).toBe(202);
        const people = new PersonStore({ redis, keys: createKeys(prefix) });
        for (let i = 0; i < forms.length; i++) {
          expect((await people.get(`HR-TZ${i}`))?.occurredAtMs).toBe(Date.parse('2026-11-28T09:30:00.123Z'));
        }
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'a date-time without an offset, or far in the future in any offset form, is a 400 saying so',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const res = await postWebhook(api, {
          events: [
            { event: 'user.created', occurredAt: '2026-11-28T09:30:00.123456', data: person('HR-N1') },
            // Date.parse cannot read `+02`: such a date once slipped past the future check.
            { event: 'user.created', occurredAt: '2999-01-01T00:00:00+02', data: person('HR-N2') },
          ],
        });
        expect(res.status).toBe(400);
        expect(problems(res)).toEqual([
          { field: 'events[0].occurredAt', message: expect.stringMatching(/^has no UTC offset/) },
          { field: 'events[1].occurredAt', message: 'is more than 5 minutes in the future' },
        ]);
        const people = new PersonStore({ redis, keys: createKeys(prefix) });
        expect(await people.get('HR-N1')).toBeUndefined();
        expect(await people.get('HR-N2')).toBeUndefined();
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'an externalId or managerExternalId with whitespace at an end is refused, not trimmed into another person',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const res = await postWebhook(api, {
          events: [
            { event: 'user.created', data: person(' HR-1 ') },
            { event: 'user.created', data: person('HR-2', { managerExternalId: 'HR-1\t' }) },
          ],
        });
        expect(res.status).toBe(400);
        const fields = problems(res).map((p) => p.field);
        expect(fields).toContain('events[0].data.externalId');
        expect(fields).toContain('events[1].data.managerExternalId');
        expect(new Set(fields)).toEqual(
          new Set(['events[0].data.externalId', 'events[1].data.managerExternalId']),
        );
        const people = new PersonStore({ redis, keys: createKeys(prefix) });
        expect(await people.get('HR-1')).toBeUndefined();
        expect(await people.get(' HR-1 ')).toBeUndefined();
        expect(await people.get('HR-2')).toBeUndefined();
      } finally {
        await api.close();
      }
    },
  );

  redisTest('event ids and webhook-id must be printable ASCII', async ({ redisUrl, redis, prefix }) => {
    const api = await startTestApi(securedEnv(redisUrl, prefix));
    try {
      for (const id of ['evt\n1', 'evt-☃']) {
        const res = await postWebhook(api, { id, event: 'user.created', data: person('HR-ID') });
        expect(res.status).toBe(400);
        expect(problems(res).map((p) => p.field)).toEqual(['id']);
      }
      // A sender writing ☃ into the header sends its UTF-8 bytes, which arrive as three Latin-1 characters.
      const mangled = Buffer.from('msg-☃').toString('latin1');
      const body = JSON.stringify({ event: 'user.created', data: person('HR-ID') });
      const res = await fetch(`${api.url}/webhooks/directory-sync`, {
        method: 'POST',
        headers: signedHeaders(body, { id: mangled }),
        body,
      });
      expect(res.status).toBe(400);
      const answer = (await res.json()) as { error: { details: Array<{ field: string }> } };
      expect(answer.error.details.map((d) => d.field)).toEqual(['webhook-id']);
      expect(await new PersonStore({ redis, keys: createKeys(prefix) }).get('HR-ID')).toBeUndefined();
      const plain = await postWebhook(api, { event: 'user.created', data: person('HR-ID') }, { id: 'msg-1' });
      expect(plain.body).toMatchObject({ status: 'queued', ids: ['msg-1'] });
    } finally {
      await api.close();
    }
  });
});
