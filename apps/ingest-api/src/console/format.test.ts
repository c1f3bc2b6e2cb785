import { describe, expect, it } from 'vitest';
import { flattenForTable, formatTime, formatValue } from './format.js';

describe('format', () => {
  it('flattens a SCIM user into readable rows: extensions by short name, multi-values on one line', () => {
    const rows = flattenForTable(
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'maria@example.com',
        emails: [{ value: 'maria@example.com', type: 'work', primary: true }],
        roles: [{ value: 'Supervisor' }, { value: 'Employee' }],
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
          manager: { value: 'scim-2' },
          department: 'Sales',
        },
        'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User': {
          routingSkills: [{ name: 'fr', proficiency: 3 }],
        },
        active: true,
      },
      ['schemas'],
    );
    expect(rows).toEqual([
      ['userName', 'maria@example.com'],
      ['emails', 'maria@example.com (work)'],
      ['roles', 'Supervisor, Employee'],
      ['enterprise.manager.value', 'scim-2'],
      ['enterprise.department', 'Sales'],
      ['genesys:purecloud.routingSkills', '[{"name":"fr","proficiency":3}]'],
      ['active', 'true'],
    ]);
  });

  it('formats times in UTC and any value as one line', () => {
    expect(formatTime(Date.parse('2026-11-28T10:03:12.345Z'))).toBe('2026-11-28 10:03:12Z');
    expect(formatTime('2026-11-28T11:03:12+01:00')).toBe('2026-11-28 10:03:12Z');
    expect(formatTime('not a date')).toBe('not a date');
    expect(formatValue({ a: [1, null] })).toBe('{"a":[1,null]}');
    expect(formatValue(undefined)).toBe('');
  });
});
