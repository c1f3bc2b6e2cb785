import { describe, expect, it } from 'vitest';
import { readVersion, toIfMatch } from './entity-tag.js';

describe('entity tags', () => {
  it('prefers the ETag header, then meta.version', () => {
    expect(readVersion({ etag: '"9"' }, { meta: { version: '"4"' } })).toBe('"9"');
    expect(readVersion({}, { meta: { version: '"4"' } })).toBe('"4"');
    expect(readVersion({}, { meta: { version: 5 as unknown as string } })).toBe('5');
    expect(readVersion({}, {})).toBeUndefined();
  });

  it('quotes a bare version for If-Match and keeps entity tags as they are', () => {
    expect(toIfMatch('42')).toBe('"42"');
    expect(toIfMatch('"42"')).toBe('"42"');
    expect(toIfMatch('W/"abc"')).toBe('W/"abc"');
  });
});
