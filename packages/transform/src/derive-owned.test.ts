import { describe, expect, it } from 'vitest';
import { compileMapping, MappingLoadError } from './index.js';

const EXT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const owned = (source: string) => compileMapping(source).owned;

function refusal(source: string): MappingLoadError {
  try {
    compileMapping(source, { file: 'custom.jsonata' });
  } catch (error) {
    expect(error).toBeInstanceOf(MappingLoadError);
    return error as MappingLoadError;
  }
  throw new Error('expected the mapping to be refused');
}

describe('ownership derived from the expression', () => {
  it('takes the keys of a plain object constructor', () => {
    expect(
      owned('{ "userName": workEmail, "displayName": firstName, "title": title, "active": true }'),
    ).toEqual(['userName', 'displayName', 'title', 'active']);
  });

  it('follows blocks and the variables they bind', () => {
    const source = `(
      $mail := $lowercase(workEmail);
      $user := { "userName": $mail, "title": title };
      $user
    )`;
    expect(owned(source)).toEqual(['userName', 'title']);
  });

  it('unites both branches of conditionals, an out-of-scope branch adding nothing', () => {
    const source = `workEmail
      ? (contractor ? { "userName": workEmail, "title": "Contractor" } : { "userName": workEmail, "displayName": firstName })
      : null`;
    expect(owned(source)).toEqual(['userName', 'title', 'displayName']);
    expect(owned('workEmail ? { "userName": workEmail }')).toEqual(['userName']);
  });

  it('owns sub-attributes of a complex attribute', () => {
    expect(owned('{ "userName": u, "name": { "givenName": firstName, "familyName": lastName } }')).toEqual([
      'userName',
      'name.givenName',
      'name.familyName',
    ]);
  });

  it('owns typed elements of multi-valued attributes, by literal type, through conditionals', () => {
    const source = `{
      "userName": u,
      "emails": [{ "type": "work", "value": workEmail, "primary": true }],
      "phoneNumbers": [
        phone ? { "type": "work", "value": phone },
        mobile ? { "type": "mobile", "value": mobile }
      ],
      "addresses": [{ "type": remote ? "home" : "work", "locality": city }]
    }`;
    expect(owned(source)).toEqual([
      'userName',
      'emails[type eq "work"]',
      'phoneNumbers[type eq "work"]',
      'phoneNumbers[type eq "mobile"]',
      'addresses[type eq "home"]',
      'addresses[type eq "work"]',
    ]);
    expect(owned('{ "userName": u, "phoneNumbers": phone ? [{ "type": "work", "value": phone }] }')).toEqual([
      'userName',
      'phoneNumbers[type eq "work"]',
    ]);
  });

  it('owns a multi-valued attribute whole when an element type is not a literal', () => {
    expect(owned('{ "userName": u, "roles": [{ "value": role }] }')).toEqual(['userName', 'roles']);
    expect(owned('{ "userName": u, "emails": mails.{ "type": kind, "value": address } }')).toEqual([
      'userName',
      'emails',
    ]);
    expect(
      owned('{ "userName": u, "emails": [{ "type": kind, "value": a }, { "type": "work", "value": b }] }'),
    ).toEqual(['userName', 'emails']);
  });

  it('lets a whole attribute absorb its typed elements when branches disagree', () => {
    const source = `x ? { "userName": u, "emails": [{ "type": "work", "value": a }] } : { "userName": u, "emails": list }`;
    expect(owned(source)).toEqual(['userName', 'emails']);
  });

  it('expands extension URNs to URN:attribute, without descending into the attribute', () => {
    const source = `{
      "userName": u,
      "${EXT}": {
        "department": departmentCode,
        "manager": managerExternalId ? { "externalId": managerExternalId }
      }
    }`;
    expect(owned(source)).toEqual(['userName', `${EXT}:department`, `${EXT}:manager`]);
  });

  it('follows $merge, a trailing object step and leaves out schemas', () => {
    expect(owned('$merge([{ "userName": u }, title ? { "title": title }])')).toEqual(['userName', 'title']);
    expect(owned('$.{ "userName": u, "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"] }')).toEqual([
      'userName',
    ]);
  });

  it.each([
    [
      'the input itself',
      '$',
      /the mapping’s result can be the input itself \(\$\), not an object constructor \(line 1, column 1\)/,
    ],
    [
      'a function call',
      '$lookup(table, code)',
      /can be a function call, not an object constructor \(line 1, column 1\)/,
    ],
    [
      'a computed key',
      '{ "userName": u, kind: v }',
      /the mapping’s result has a computed key \(line 1, column 18\)/,
    ],
    ['an unknown variable', '($x := { "userName": u }; $y)', /can be the variable \$y/],
    [
      'an extension that is not an object',
      `{ "userName": u, "${EXT}": ext }`,
      /the extension "urn:.*:User" can be a path/,
    ],
  ])('refuses %s, asking for the directive', (_what, source, problem) => {
    const error = refusal(source);
    expect(error.message).toMatch(/^custom\.jsonata: cannot tell which attributes this mapping writes: /);
    expect(error.message).toMatch(problem);
    expect(error.message).toContain('/* dirsync:owns userName, displayName, emails[type eq "work"] */');
  });

  it('refuses a mapping that never yields an object', () => {
    expect(refusal('null').message).toMatch(/the mapping never yields an object constructor/);
  });
});

describe('the dirsync:owns directive', () => {
  it('wins over derivation and makes an undeterminable mapping loadable', () => {
    const mapping = compileMapping('/* dirsync:owns userName, title, emails[type eq "work"] */ $build($)');
    expect(mapping.owned).toEqual(['userName', 'title', 'emails[type eq "work"]']);
    expect(mapping.ownedFrom).toBe('directive');
    expect(owned('/* dirsync:owns userName */ { "userName": u, "title": t }')).toEqual(['userName']);
  });

  it('may follow other leading comments and span lines', () => {
    const source = `/*
 * A custom mapping.
 */
/* dirsync:owns userName, displayName,
 *   ${EXT}:department
 */
$`;
    expect(owned(source)).toEqual(['userName', 'displayName', `${EXT}:department`]);
  });

  it('is ignored when it is not leading', () => {
    expect(owned('{ "userName": u } /* dirsync:owns userName, title */')).toEqual(['userName']);
  });

  it('refuses a bad path or an empty list, with the line and column', () => {
    const bad = refusal('\n/* dirsync:owns userName, customFields["x"] */ $');
    expect(bad.message).toMatch(
      /^custom\.jsonata: line 2, column 1: the dirsync:owns directive names "customFields\["x"\]"/,
    );
    expect(bad.location).toEqual({ line: 2, column: 1 });
    expect(refusal('/* dirsync:owns */ $').message).toMatch(/names no attribute/);
    expect(refusal('/* dirsync:owns title */ $').message).toMatch(/does not write userName/);
  });
});

describe('owned-path notation (the SCIM package parser)', () => {
  it('accepts spaces inside a filter and writes the path the way the SCIM diff does', () => {
    expect(owned('/* dirsync:owns userName, emails[ type eq "work" ], emails[type eq "work"] */ $')).toEqual([
      'userName',
      'emails[type eq "work"]',
    ]);
  });

  it('accepts a sub-attribute of an extension attribute', () => {
    expect(owned(`/* dirsync:owns userName, ${EXT}:manager.value */ $`)).toEqual([
      'userName',
      `${EXT}:manager.value`,
    ]);
  });

  it.each(['cost center', 'emails[type eq work]', 'name.given.name', `${EXT}:`, 'urn:x'])(
    'refuses %s in a directive',
    (path) =>
      expect(refusal(`/* dirsync:owns userName, ${path} */ $`).message).toMatch(/is not an attribute path/),
  );
});
