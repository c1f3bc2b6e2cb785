import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileMapping, DEFAULT_MAPPING_FILE } from './index.js';

const reads = (body: string) => compileMapping(`{ "userName": workEmail, "title": ${body} }`).reads;

describe('the HR fields a mapping reads', () => {
  it('lists the fields the shipped mapping reads, and no others', async () => {
    const mapping = compileMapping(fs.readFileSync(DEFAULT_MAPPING_FILE, 'utf8'));
    expect(mapping.reads).toEqual({
      fields: [
        'departmentCode',
        'division',
        'externalId',
        'firstName',
        'groups',
        'hireDate',
        'languages',
        'lastName',
        'managerExternalId',
        'mobilePhone',
        // Entry fields of skills/languages: names inside a filter count as read (on the safe side).
        'name',
        'phone',
        'proficiency',
        'role',
        'skills',
        'title',
        'workEmail',
      ],
    });
    await mapping.close();
  });

  it('follows $.field, $$.field, $.{…} and names inside filters and function calls', () => {
    expect(reads('$.jobTitle & $$.level & $string(costCenter) & teams[kind = "x"].name')).toEqual({
      fields: ['costCenter', 'jobTitle', 'kind', 'level', 'name', 'teams', 'workEmail'],
    });
    expect(compileMapping('$.{ "userName": workEmail, "title": role }').reads).toEqual({
      fields: ['role', 'workEmail'],
    });
  });

  it.each([
    // The body starts at column 35; the column is that of the `$` (or wildcard) that reads wholesale.
    ['$lookup($, "title")', 'line 1, column 43'],
    ['$string($keys($))', 'line 1, column 49'],
    ['($r := $; $r.title)', 'line 1, column 42'],
    ['$.*', 'line 1, column'],
    ['**.title', 'line 1, column'],
  ])('cannot tell for %s: says so and where', (body, column) => {
    const result = reads(body);
    expect(result).toMatchObject({
      dynamic: expect.stringContaining('reads the HR record as a whole or by computed field names'),
    });
    expect('dynamic' in result && result.dynamic).toContain(column);
  });
});
