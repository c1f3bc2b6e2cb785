import { describe, expect, it } from 'vitest';
import { oneLineMessage } from './person-timeline.js';

describe('timeline entries', () => {
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
