import { describe, expect, it } from 'vitest';
import { eventEntryHead, oneLineMessage } from './person-timeline.js';

describe('timeline entries', () => {
  it('an event entry head completes to the entry once the script adds its status', () => {
    const head = eventEntryHead({ at: 5, eventId: 'wh-1#0', type: 'user.updated', occurredAtMs: 0 });
    expect(JSON.parse(`${head}duplicate"}`)).toEqual({
      kind: 'event',
      at: 5,
      eventId: 'wh-1#0',
      type: 'user.updated',
      occurredAt: '1970-01-01T00:00:00.000Z',
      status: 'duplicate',
    });
  });

  it('a failure message keeps one line: no stack, no file paths, no credentials', () => {
    const message = [
      'request failed at /srv/dirsync/packages/scim/src/scim-client.ts:512:7 with Bearer abc.def-123',
      '    at ScimClient.request (/srv/dirsync/packages/scim/src/scim-client.ts:512:7)',
    ].join('\n');
    const line = oneLineMessage(message);
    expect(line).not.toMatch(/\n|scim-client\.ts|abc\.def/);
    expect(line).toMatch(/^request failed at … with Bearer /);
    expect(oneLineMessage('x'.repeat(400))).toHaveLength(300);
  });
});
