import { describe, expect, it } from 'vitest';
import { eventIdSchema, hrEventSchema, webhookBodySchema } from './events.js';
import { deriveId, hashJson, idempotencyKey } from './ids.js';
import {
  MAX_USERS_PER_JOB,
  reconcileJobSchema,
  reconcileRequestSchema,
  syncBatchJobSchema,
  syncUserJobSchema,
} from './jobs.js';

describe('ids', () => {
  it('derives BullMQ-safe ids: no colon, never an integer, stable', () => {
    for (const key of ['evt:1', '12345', 'msg_abc#3', 'ünïcødé']) {
      const id = deriveId('k', key);
      expect(id).toMatch(/^k-[0-9a-f]{32}$/);
      expect(deriveId('k', key)).toBe(id);
    }
    expect(deriveId('k', 'a')).not.toBe(deriveId('k', 'b'));
  });

  it('idempotency key: the event id, else webhook-id (with #index in a batch), else a content hash', () => {
    const contentHash = () => 'h';
    expect(idempotencyKey({ eventId: 'e', webhookId: 'w', index: 2, batch: true, contentHash })).toBe('e');
    expect(idempotencyKey({ eventId: undefined, webhookId: 'w', index: 2, batch: true, contentHash })).toBe(
      'w#2',
    );
    expect(idempotencyKey({ eventId: undefined, webhookId: 'w', index: 0, batch: false, contentHash })).toBe(
      'w',
    );
    expect(
      idempotencyKey({ eventId: undefined, webhookId: undefined, index: 0, batch: false, contentHash }),
    ).toBe('sha256:h');
  });

  it('hashes JSON independent of key order', () => {
    expect(hashJson({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(hashJson({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(hashJson({ a: 1 })).not.toBe(hashJson({ a: 2 }));
  });
});

describe('schemas', () => {
  it('accepts the contract event and keeps unknown HR fields for custom mappings', () => {
    const parsed = hrEventSchema.parse({
      event: 'user.updated',
      occurredAt: '2026-11-28T09:00:00+01:00',
      data: { externalId: 'HR-1', level: 3, costCenter: null, badge: 'B-7' },
    });
    expect(parsed.data).toEqual({ externalId: 'HR-1', level: 3, costCenter: null, badge: 'B-7' });
  });

  it('keeps occurredAt as sent and adds its milliseconds and full-precision instant', () => {
    const parsed = hrEventSchema.parse({
      event: 'user.updated',
      occurredAt: '2026-11-28T10:30:00.123456+0100',
      data: { externalId: 'HR-1' },
    });
    expect(parsed).toMatchObject({
      occurredAt: '2026-11-28T10:30:00.123456+0100',
      occurredAtMs: Date.parse('2026-11-28T09:30:00.123Z'),
      occurredAtInstant: '2026-11-28T09:30:00.123456000Z',
    });
    const bare = hrEventSchema.parse({ event: 'user.updated', data: { externalId: 'HR-1' } });
    expect(Object.keys(bare).sort()).toEqual(['data', 'event']);
  });

  it('says a date-time without an offset has none', () => {
    const result = hrEventSchema.safeParse({
      event: 'user.updated',
      occurredAt: '2026-11-28T09:00:00.123456',
      data: { externalId: 'HR-1' },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['occurredAt'], message: expect.stringMatching(/^has no UTC offset/) }),
    ]);
  });

  it.each([
    [' HR-1 ', 'must not start or end with whitespace'],
    ['HR-1\t', 'must not start or end with whitespace'],
    ['\u00a0HR-1', 'must not start or end with whitespace'],
    ['\ufeffHR-1', 'must not start or end with whitespace'],
    ['HR\u00001', 'must not contain control characters'],
    ['HR-\u00851', 'must not contain control characters'],
    ['', 'must not be empty'],
  ])('refuses the externalId %j, never trimming it', (externalId, message) => {
    for (const field of ['externalId', 'managerExternalId'] as const) {
      if (field === 'managerExternalId' && externalId === '') continue;
      const data = { externalId: 'HR-9', [field]: externalId };
      const result = hrEventSchema.safeParse({ event: 'user.created', data });
      const issues = result.error?.issues ?? [];
      expect(new Set(issues.map((i) => i.path.join('.')))).toEqual(new Set([`data.${field}`]));
      expect(issues.map((i) => i.message)).toContain(message);
    }
  });

  it('keeps inner spaces and non-ASCII letters in ids; a blank or null manager is no manager', () => {
    const data = { externalId: 'HR 1 ü', managerExternalId: 'Mgr 2' };
    expect(hrEventSchema.parse({ event: 'user.created', data }).data).toEqual(data);
    for (const managerExternalId of ['', '  ', null]) {
      const parsed = hrEventSchema.parse({
        event: 'user.created',
        data: { externalId: 'a', managerExternalId },
      });
      expect(parsed.data.managerExternalId).toBe(managerExternalId);
    }
  });

  it.each([['evt\n1'], ['evt-☃'], [' evt-1'], ['evt-1 '], ['evt\u007f'], [''], ['x'.repeat(257)]])(
    'refuses the event id %j: printable ASCII only',
    (id) => {
      const result = hrEventSchema.safeParse({ id, event: 'user.created', data: { externalId: 'a' } });
      expect(result.success).toBe(false);
      expect(new Set(result.error?.issues.map((i) => i.path.join('.')))).toEqual(new Set(['id']));
    },
  );

  it('accepts event ids of printable ASCII, inner spaces included', () => {
    for (const id of ['evt-1', 'msg_2Lw:9#3', 'a b', '~!"{}']) {
      expect(hrEventSchema.parse({ id, event: 'user.created', data: { externalId: 'a' } }).id).toBe(id);
    }
    expect(eventIdSchema.safeParse('x'.repeat(256)).success).toBe(true);
  });

  it('refuses an unknown event type, a missing data, a bare date without a zone, prototype keys', () => {
    expect(hrEventSchema.safeParse({ event: 'user.deleted', data: { externalId: 'a' } }).success).toBe(false);
    expect(hrEventSchema.safeParse({ event: 'user.created' }).success).toBe(false);
    expect(
      hrEventSchema.safeParse({
        event: 'user.created',
        occurredAt: '2026-11-28 09:00',
        data: { externalId: 'a' },
      }).success,
    ).toBe(false);
    const proto = JSON.parse('{"event":"user.created","data":{"externalId":"a","x":{"constructor":{}}}}');
    expect(hrEventSchema.safeParse(proto).success).toBe(false);
  });

  it('a batch holds 1 to 1,000 events', () => {
    const event = { event: 'user.created', data: { externalId: 'a' } };
    expect(webhookBodySchema.safeParse({ events: [] }).success).toBe(false);
    expect(webhookBodySchema.safeParse({ events: Array(1000).fill(event) }).success).toBe(true);
    expect(webhookBodySchema.safeParse({ events: Array(1001).fill(event) }).success).toBe(false);
  });

  it('a sync job carries ids only, at most 25 distinct people', () => {
    const ids = Array.from({ length: MAX_USERS_PER_JOB }, (_, i) => `p${i}`);
    expect(syncBatchJobSchema.safeParse({ externalIds: ids, origin: 'webhook' }).success).toBe(true);
    expect(syncBatchJobSchema.safeParse({ externalIds: [...ids, 'p25'], origin: 'webhook' }).success).toBe(
      false,
    );
    expect(syncBatchJobSchema.safeParse({ externalIds: ['a', 'a'], origin: 'webhook' }).success).toBe(false);
    expect(syncUserJobSchema.safeParse({ externalId: 'a', origin: 'retry' }).success).toBe(true);
  });
});

describe('reconcile request', () => {
  const problems = (body: unknown) => {
    const parsed = reconcileRequestSchema.safeParse(body);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('takes a dry run, an apply, and an override that names the deactivations it confirms', () => {
    for (const body of [
      {},
      { apply: true },
      { apply: false },
      { apply: true, overrideBrake: true, expectedDeactivations: 6 },
      { apply: true, overrideBrake: true, expectedDeactivations: 0 },
    ]) {
      expect(problems(body), JSON.stringify(body)).toEqual([]);
    }
  });

  it('refuses an override without the number, a number without the override, and anything but a count', () => {
    expect(problems({ apply: true, overrideBrake: true })).toEqual([
      expect.stringMatching(/^expectedDeactivations: required with overrideBrake/),
    ]);
    expect(problems({ apply: true, expectedDeactivations: 3 })).toEqual([
      'expectedDeactivations: only makes sense with overrideBrake: true',
    ]);
    expect(problems({ overrideBrake: true, expectedDeactivations: 3 })).toEqual([
      'overrideBrake: only makes sense with apply: true',
    ]);
    for (const n of [-1, 2.5, '6', null]) {
      expect(problems({ apply: true, overrideBrake: true, expectedDeactivations: n })).toEqual([
        'expectedDeactivations: must be a whole number, 0 or more',
      ]);
    }
  });

  it('reads jobs queued before the number existed', () => {
    expect(reconcileJobSchema.parse({ apply: true, overrideBrake: true, trigger: 'api' })).toEqual({
      apply: true,
      overrideBrake: true,
      trigger: 'api',
    });
  });
});
