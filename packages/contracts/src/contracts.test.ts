import { describe, expect, it } from 'vitest';
import { hrEventSchema, webhookBodySchema } from './events.js';
import { deriveId, hashJson, idempotencyKey } from './ids.js';
import { MAX_USERS_PER_JOB, syncBatchJobSchema, syncUserJobSchema } from './jobs.js';

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
      data: { externalId: ' HR-1 ', level: 3, costCenter: null, badge: 'B-7' },
    });
    expect(parsed.data).toEqual({ externalId: 'HR-1', level: 3, costCenter: null, badge: 'B-7' });
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
