import { describe, expect, it } from 'vitest';
import { fillPath, PAGES } from '../scripts/screenshots/pages.js';

describe('the pages pnpm screenshots saves', () => {
  it('fills placeholders URL-encoded, and names the first one without a value', () => {
    expect(fillPath('/admin/people/{failedPerson}', { failedPerson: 'a b/1' })).toEqual({
      path: '/admin/people/a%20b%2F1',
    });
    expect(fillPath('/admin/people?q={searchTerm}', {})).toEqual({ missing: 'searchTerm' });
    expect(fillPath('/admin', {})).toEqual({ path: '/admin' });
  });

  it('has one file name per page, and every placeholder is a fact the script reads', () => {
    const names = PAGES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    const full = { failedPerson: 'x', searchTerm: 'x', reportWithDiscrepancies: 'x' };
    for (const page of PAGES) expect(fillPath(page.path, full), page.name).toHaveProperty('path');
  });
});
