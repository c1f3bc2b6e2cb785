import { describe, expect, it } from 'vitest';
import { normalizeTerm, searchDoc, searchTerms } from './search-terms.js';

describe('people search terms', () => {
  it('index the externalId, userName, e-mails and names whole and word by word, in lower case', () => {
    const terms = searchTerms('EMP-7', {
      userName: 'Maria.Lopez@Example.com',
      displayName: 'María  López-Díaz',
      emails: [{ value: 'm.lopez@example.org', type: 'work' }],
    });
    expect(terms).toEqual(
      expect.arrayContaining([
        'emp-7',
        'emp',
        '7',
        'maria.lopez@example.com',
        'maria',
        'lopez',
        'example',
        'maría lópez-díaz',
        'maría',
        'lópez',
        'díaz',
        'm.lopez@example.org',
      ]),
    );
    expect(new Set(terms).size).toBe(terms.length);
    expect(terms.every((t) => t === t.toLowerCase() && !t.includes('\0'))).toBe(true);
  });

  it('keep only what the results show besides the terms', () => {
    const doc = searchDoc('EMP-7', {
      userName: 'a@example.com',
      displayName: 'A B',
      title: 'Lead',
      phoneNumbers: [],
    });
    expect(Object.keys(doc).sort()).toEqual(['d', 't', 'u']);
    expect(JSON.stringify(doc)).not.toContain('Lead');
    expect(searchDoc('EMP-8', undefined)).toEqual({ t: ['emp-8', 'emp', '8'] });
  });

  it('normalize a query the way terms are normalized', () => {
    expect(normalizeTerm('  MARÍA   Ló\0 ')).toBe('maría ló');
  });
});
