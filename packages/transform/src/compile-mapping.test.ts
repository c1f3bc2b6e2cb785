import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HrRecord } from '@dirsync/contracts';
import { FileLoadError } from '@dirsync/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  compileMapping as compileMappingOnly,
  loadMapping,
  MappingLoadError,
  TransformError,
} from './index.js';

/** Compiles a mapping whose evaluation worker is stopped when the test ends. */
const compileMapping: typeof compileMappingOnly = (source, options) => {
  const mapping = compileMappingOnly(source, options);
  onTestFinished(() => mapping.close());
  return mapping;
};

const record: HrRecord = { externalId: 'HR-42', firstName: 'Alice', workEmail: 'alice@example.com' };

async function failure(promise: Promise<unknown>): Promise<TransformError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransformError);
  return error as TransformError;
}

function loadFailure(run: () => unknown): MappingLoadError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MappingLoadError);
    expect(error).toBeInstanceOf(FileLoadError);
    return error as MappingLoadError;
  }
  throw new Error('expected a MappingLoadError');
}

describe('loading a mapping', () => {
  it('refuses a division or phone number built as an object, where the expression shows it', () => {
    const division = loadFailure(() =>
      compileMapping(
        '{\n  "userName": workEmail,\n  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {\n    "division": { "name": division }\n  }\n}',
      ),
    );
    expect(division.message).toMatch(/line 4, column \d+: the division is an object; it must be a string/);
    const phone = loadFailure(() =>
      compileMapping(
        '{ "userName": workEmail, "phoneNumbers": [{ "type": "work", "value": phone ? [phone] }] }',
      ),
    );
    expect(phone.message).toContain('a phone number is a list; it must be a string');
    // A string-valued division, however computed, loads.
    expect(
      compileMapping(
        '{ "userName": workEmail, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "division": division ? $uppercase(division) } }',
      ).owned,
    ).toContain('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division');
  });

  it('refuses a syntax error, naming the file, line, column and JSONata message', () => {
    const source = '{\n  "userName": workEmail,\n  "title": (title +\n}';
    const error = loadFailure(() => compileMapping(source, { file: '/etc/dirsync/bad.jsonata' }));
    expect(error.message).toBe(
      '/etc/dirsync/bad.jsonata: line 4, column 1: JSONata S0211: The symbol "}" cannot be used as a unary operator',
    );
    expect(error.location).toEqual({ line: 4, column: 1 });
    expect(error.jsonataCode).toBe('S0211');
    expect(error.code).toBe('invalid_file');
    expect(error.file).toBe('/etc/dirsync/bad.jsonata');
  });

  it('points at the start of a multi-character token', () => {
    const missingComma = loadFailure(() => compileMapping('{\n  "userName": workEmail\n  "title": title\n}'));
    expect(missingComma.message).toBe(
      '(inline mapping): line 3, column 3: JSONata S0202: Expected "}", got "title"',
    );
    const stray = loadFailure(() => compileMapping('(\n  $x := 1;\n  $x +* 22\n)'));
    expect(stray.location).toEqual({ line: 3, column: 9 });
  });

  it('reads a mapping file and refuses an unreadable one clearly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dirsync-mapping-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'custom.jsonata');
    await writeFile(file, '{ "userName": workEmail, "displayName": firstName }');
    const mapping = await loadMapping({ file });
    expect(mapping.file).toBe(file);
    expect(mapping.owned).toEqual(['userName', 'displayName']);

    const missing = join(dir, 'missing.jsonata');
    await expect(loadMapping({ file: missing })).rejects.toThrow(
      new MappingLoadError(missing, 'cannot read the mapping file: no such file'),
    );
    await expect(loadMapping({ file: dir })).rejects.toThrow(
      /cannot read the mapping file: it is a directory/,
    );
  });

  it('refuses a mapping that never writes userName', () => {
    const error = loadFailure(() => compileMapping('{ "displayName": firstName }', { file: 'm.jsonata' }));
    expect(error.message).toBe(
      'm.jsonata: the mapping does not write userName (it owns displayName); every SCIM user needs one',
    );
  });

  it('refuses a key that is not a SCIM attribute name', () => {
    const error = loadFailure(() => compileMapping('{ "userName": workEmail, "cost center": costCenter }'));
    expect(error.message).toMatch(/writes "cost center", which is not a SCIM attribute path/);
  });

  it('refuses bad limits', () => {
    expect(() => compileMapping('{ "userName": "x" }', { timeoutMs: 0 })).toThrow(RangeError);
    expect(() => compileMapping('{ "userName": "x" }', { maxDepth: 1.5 })).toThrow(RangeError);
  });
});

describe('evaluating a mapping', () => {
  it('yields null when the expression yields nothing or null (out of scope)', async () => {
    const mapping = compileMapping('workEmail = "in@example.com" ? { "userName": workEmail } : null');
    await expect(mapping.evaluate(record)).resolves.toBeNull();
    await expect(mapping.evaluate({ externalId: 'x', workEmail: 'in@example.com' })).resolves.toEqual({
      userName: 'in@example.com',
    });
  });

  it('returns plain JSON: no JSONata sequences, ordinary prototypes, nulls dropped', async () => {
    const mapping = compileMapping(
      '{ "userName": workEmail, "title": null, "roles": ["a", "b"].{ "value": $ } }',
    );
    const user = await mapping.evaluate(record);
    expect(user).toStrictEqual({ userName: 'alice@example.com', roles: [{ value: 'a' }, { value: 'b' }] });
    expect(Object.getPrototypeOf(user)).toBe(Object.prototype);
    expect(Object.keys(user?.roles ?? [])).toEqual(['0', '1']);
  });

  it('turns a runtime error into a TransformError naming the externalId and JSONata code, not the value', async () => {
    const mapping = compileMapping('{\n  "userName": workEmail,\n  "title": $number(firstName)\n}');
    const error = await failure(mapping.evaluate(record));
    expect(error.code).toBe('transform_failed');
    expect(error.retryable).toBe(false);
    expect(error.externalId).toBe('HR-42');
    expect(error.jsonataCode).toBe('D3030');
    expect(error.message).toBe(
      'mapping failed for externalId "HR-42": JSONata D3030 at line 3, column 19: Unable to cast value to a number: (value withheld)',
    );
    expect(error.message).not.toContain('Alice');
    expect(error.cause).toBeUndefined();
  });

  it('reports a type error with its operator', async () => {
    const mapping = compileMapping('{ "userName": workEmail, "title": firstName + 1 }');
    const error = await failure(mapping.evaluate(record));
    expect(error.message).toMatch(
      /^mapping failed for externalId "HR-42": JSONata T2001 at line 1, column \d+: /,
    );
    expect(error.message).not.toContain('Alice');
  });

  it.each([
    ['a string', '"just text"', 'the mapping must yield an object, not a string'],
    ['an array', '[{ "userName": workEmail }]', 'the mapping must yield an object, not an array'],
    ['a number', '42', 'the mapping must yield an object, not a number'],
    ['a function', 'function($x) { $x }', 'the mapping must yield an object, not a function'],
  ])('refuses %s as output', async (_what, body, problem) => {
    const mapping = compileMapping(`/* dirsync:owns userName */ ${body}`);
    const error = await failure(mapping.evaluate(record));
    expect(error.code).toBe('transform_failed');
    expect(error.message).toBe(`mapping failed for externalId "HR-42": ${problem}`);
  });

  it.each([
    ['missing', '{ "userName": lastName, "title": firstName }', 'the output has no "userName"'],
    ['not a string', '{ "userName": 7 }', '"userName" must be a string, not a number'],
    ['blank', '{ "userName": "  " }', '"userName" is empty'],
    ['an object', '{ "userName": { "v": firstName } }', '"userName" must be a string, not an object'],
  ])('refuses a userName that is %s', async (_what, source, problem) => {
    const error = await failure(compileMapping(`/* dirsync:owns userName */ ${source}`).evaluate(record));
    expect(error.message).toBe(`mapping failed for externalId "HR-42": ${problem}`);
    expect(error.message).not.toContain('Alice');
  });

  it.each([
    ['"emails": "a@b.c"', '"emails" must be an array of objects, not a string'],
    ['"emails": ["a@b.c"]', '"emails[0]" must be an object, not a string'],
    ['"emails": [{ "value": 1 }]', '"emails[0].value" must be a string, not a number'],
    ['"active": "yes"', '"active" must be a boolean, not a string'],
    ['"title": ["x"]', '"title" must be a string, not an array'],
    ['"title": function($x) { $x }', 'title is a function'],
    [
      '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "manager": firstName }',
      '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager" must be an object, not a string',
    ],
  ])('refuses a well-known attribute of the wrong type: %s', async (member, problem) => {
    const mapping = compileMapping(`/* dirsync:owns userName */ { "userName": workEmail, ${member} }`);
    const error = await failure(mapping.evaluate(record));
    expect(error.message).toBe(`mapping failed for externalId "HR-42": ${problem}`);
  });
});
