import { describe, expect, it } from 'vitest';
import { ScimHttpError } from '../errors/scim-http-error.js';
import { parseAttributePath } from './attribute-path.js';
import { ENTERPRISE_USER_URN, GENESYS_USER_URN } from './urns.js';

function names(path: string) {
  const ref = parseAttributePath(path);
  if (ref.kind === 'extension') return { extension: ref.schema };
  return {
    schema: ref.schema,
    attribute: ref.attribute.name,
    sub: ref.subAttribute?.name,
    filter: ref.filter,
  };
}

describe('parseAttributePath', () => {
  it('resolves simple, sub-attribute and case-insensitive paths to the schema spelling', () => {
    expect(names('title')).toMatchObject({ schema: undefined, attribute: 'title', sub: undefined });
    expect(names('DISPLAYNAME')).toMatchObject({ attribute: 'displayName' });
    expect(names('urn:ietf:params:scim:schemas:core:2.0:User:userName')).toMatchObject({
      schema: undefined,
      attribute: 'userName',
    });
  });

  it('resolves filtered multi-valued paths with canonical filter names', () => {
    expect(names('emails[Type eq "work"].VALUE')).toEqual({
      schema: undefined,
      attribute: 'emails',
      sub: 'value',
      filter: { op: 'eq', attrPath: 'type', compValue: 'work' },
    });
    expect(names('roles[value eq "a:b"]')).toMatchObject({
      attribute: 'roles',
      sub: undefined,
      filter: { op: 'eq', attrPath: 'value', compValue: 'a:b' },
    });
  });

  it('resolves extension paths, including the bare extension URN', () => {
    expect(names(`${ENTERPRISE_USER_URN}:manager.value`)).toMatchObject({
      schema: ENTERPRISE_USER_URN,
      attribute: 'manager',
      sub: 'value',
    });
    expect(names(`${GENESYS_USER_URN}:routingSkills[name eq "x"].proficiency`)).toMatchObject({
      schema: GENESYS_USER_URN,
      attribute: 'routingSkills',
      sub: 'proficiency',
    });
    expect(names(ENTERPRISE_USER_URN.toUpperCase())).toEqual({ extension: ENTERPRISE_USER_URN });
  });

  it.each([
    'name.givenName',
    'customFields',
    'customFields["x"]',
    'costCenter',
    `${ENTERPRISE_USER_URN}:costCenter`,
    `${ENTERPRISE_USER_URN}:organization`,
    'urn:example:other:User:title',
    'title[value eq "x"]',
    'emails[foo eq "x"]',
    'emails.value.extra',
    'emails[type eq "work"].nope',
    '',
    '   ',
  ])('refuses %j with invalidPath', (path) => {
    const error = (() => {
      try {
        parseAttributePath(path);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ScimHttpError);
    expect(error).toMatchObject({ status: 400, scimType: 'invalidPath' });
  });
});
