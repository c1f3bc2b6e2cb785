import { describe, expect, it } from 'vitest';
import { projectUser } from './project-attributes.js';
import { ENTERPRISE_USER_URN } from './urns.js';
import type { ScimUser } from './user-types.js';

const user: ScimUser = {
  schemas: ['s'],
  id: 'u1',
  userName: 'a@example.com',
  displayName: 'A',
  title: 'T',
  active: true,
  emails: [{ type: 'other', value: 'a@example.com' }],
  [ENTERPRISE_USER_URN]: { department: 'D', division: 'Home' },
  meta: { resourceType: 'User', created: 'c', lastModified: 'l', location: 'x', version: '"1"' },
};

describe('projectUser', () => {
  it('returns everything without parameters', () => {
    expect(projectUser(user, {})).toEqual(user);
  });

  it('keeps the always-returned attributes with `attributes`, ignoring unknown names', () => {
    expect(projectUser(user, { attributes: 'title,bogus,emails.type' })).toEqual({
      schemas: ['s'],
      id: 'u1',
      userName: 'a@example.com',
      active: true,
      meta: user.meta,
      title: 'T',
      emails: [{ type: 'other' }],
    });
    expect(projectUser(user, { attributes: ENTERPRISE_USER_URN })[ENTERPRISE_USER_URN]).toEqual(
      user[ENTERPRISE_USER_URN],
    );
  });

  it('never removes always-returned attributes with `excludedAttributes`, and drops emptied extensions', () => {
    const out = projectUser(user, {
      excludedAttributes: `id,meta,title,${ENTERPRISE_USER_URN}:department,${ENTERPRISE_USER_URN}:division`,
    });
    expect(out.id).toBe('u1');
    expect(out.meta).toEqual(user.meta);
    expect(out.title).toBeUndefined();
    expect(out[ENTERPRISE_USER_URN]).toBeUndefined();
    expect(user.title).toBe('T');
  });
});
