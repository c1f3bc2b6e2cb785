import { describe, expect, it } from 'vitest';
import { ENTERPRISE_USER_SCHEMA as E, SCIM_USER_SCHEMA } from './schema.js';
import { toWriteBody } from './user-body.js';

describe('toWriteBody', () => {
  it('drops read-only attributes and names every schema used', () => {
    expect(
      toWriteBody({
        schemas: [SCIM_USER_SCHEMA],
        id: 'x',
        meta: { version: '"1"' },
        groups: [{ value: 'g' }],
        userName: 'a@example.com',
        [E]: { department: 'Support' },
      }),
    ).toEqual({ schemas: [SCIM_USER_SCHEMA, E], userName: 'a@example.com', [E]: { department: 'Support' } });
  });

  it('adds the core schema when none is given', () => {
    expect(toWriteBody({ userName: 'a@example.com' }).schemas).toEqual([SCIM_USER_SCHEMA]);
  });
});
