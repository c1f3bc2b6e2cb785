import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkWorkspace, packageOf } from '../scripts/check-deps.js';

let root: string | undefined;

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A throw-away workspace: `files` maps paths under it to contents (objects are written as JSON). */
function workspace(files: Record<string, unknown>): string {
  root = mkdtempSync(path.join(os.tmpdir(), 'check-deps-'));
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

describe('packageOf', () => {
  it.each([
    ['zod', 'zod'],
    ['csv-parse/sync', 'csv-parse'],
    ['@dirsync/testing/redis-server', '@dirsync/testing'],
    ['node:fs', undefined],
    ['fs/promises', undefined],
    ['./local.js', undefined],
  ])('%s → %s', (specifier, expected) => expect(packageOf(specifier)).toBe(expected));
});

describe('checkWorkspace', () => {
  it('names each package with an undeclared or unused dependency, and nothing else', () => {
    const dir = workspace({
      'package.json': { name: 'root', scripts: { lint: 'biome check .' }, devDependencies: { vitest: '1' } },
      'test/a.test.ts': "import { it } from 'vitest';\n",
      'packages/a/package.json': {
        name: '@w/a',
        dependencies: { zod: '1', '@w/b': 'workspace:*', 'left-over': '1' },
        devDependencies: { 'fast-check': '1', 'types-only': '1', '@types/ms': '1' },
      },
      'packages/a/src/index.ts': [
        "import { z } from 'zod';",
        "import type { T } from 'types-only';",
        "export { b } from '@w/b';",
        "import ms from 'ms';",
        '/** e.g. `import x from "in-a-comment"` is not an import */',
        // Split so that this repository's own check does not take the fixture for an import of this file.
        `const lazy = () => ${'imp'}ort('csv-parse/sync');`,
        "import { readFile } from 'node:fs/promises';",
        "import self from '@w/a';",
      ].join('\n'),
      'packages/a/src/index.test.ts': "import fc from 'fast-check';\nimport { it } from 'vitest';\n",
      'packages/b/package.json': { name: '@w/b', devDependencies: { '@w/a': 'workspace:*' } },
      'packages/b/src/b.ts': "import {\n  thing,\n  other,\n} from 'multi-line';\n",
    });
    const problems = checkWorkspace(dir).map((p) => `${p.pkg} ${p.dependency}: ${p.message}`);
    expect(problems.sort()).toEqual([
      'packages/a csv-parse: imported by src/index.ts but not declared',
      'packages/a left-over: declared in dependencies but never imported',
      'packages/a ms: imported by src/index.ts but not declared',
      'packages/b @w/a: declared in devDependencies but never imported',
      'packages/b multi-line: imported by src/b.ts but not declared',
    ]);
  });

  it('refuses a value import in source of a dependency declared only for development', () => {
    const dir = workspace({
      'package.json': { name: 'root' },
      'apps/x/package.json': { name: 'x', devDependencies: { express: '5' } },
      'apps/x/src/main.ts': "import express from 'express';\n",
    });
    expect(checkWorkspace(dir)).toEqual([
      {
        pkg: path.join('apps', 'x'),
        dependency: 'express',
        message: 'imported by src/main.ts but declared only in devDependencies',
      },
    ]);
  });
});
