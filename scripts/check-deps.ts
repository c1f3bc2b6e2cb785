/**
 * `pnpm lint`'s dependency check: every workspace package declares exactly what its code imports.
 *
 * For each package (the root, `apps/*`, `packages/*`) it reads the bare specifiers of `src/` and `test/` (static
 * `import … from`, `import '…'`, `export … from`, `import()`, `require()`, `/// <reference types>`) and reports:
 * - an import of a package that is not declared (source needs `dependencies`, unless the import is type-only;
 *   tests may use either, and `vitest`, which the root runs);
 * - a declared dependency that nothing imports (a tool whose command a `scripts` entry runs counts as used;
 *   `@types/x` counts as used when `x` or, for `@types/node`, a Node builtin is imported).
 * Run: `tsx scripts/check-deps.ts` (exits 1 and names each package and dependency on a problem).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DependencyProblem {
  /** The package's folder relative to the workspace root (`.` for the root). */
  pkg: string;
  dependency: string;
  message: string;
}

interface Manifest {
  name?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface ImportSite {
  specifier: string;
  file: string;
  typeOnly: boolean;
  inTest: boolean;
}

const CODE_FILE = /\.(?:[cm]?ts|[cm]?js|tsx)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.data', 'fixtures']);
/** Folders the root package owns (besides its own config files). */
const ROOT_CODE = ['test', 'bench', 'scripts'];
/** Provided to every package's tests by the root, which runs them. */
const ROOT_TEST_RUNNER = 'vitest';
const BUILTINS = new Set(builtinModules);

const IMPORT_PATTERNS: Array<{ pattern: RegExp; typeGroup?: number; specifierGroup: number }> = [
  {
    // import x from '…', import { a } from '…', import type …, export { a } from '…', export * from '…'
    pattern:
      /^\s*(?:import|export)\s+(type\s+)?(?:[\w$]+\s*,\s*)?(?:[\w$]+|\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*['"]([^'"\n]+)['"]/gm,
    typeGroup: 1,
    specifierGroup: 2,
  },
  { pattern: /^\s*import\s*['"]([^'"\n]+)['"]/gm, specifierGroup: 1 },
  { pattern: /\bimport\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g, specifierGroup: 1 },
  { pattern: /\brequire(?:\.resolve)?\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g, specifierGroup: 1 },
  { pattern: /^\s*\/\/\/\s*<reference\s+types=["']([^"']+)["']/gm, specifierGroup: 1 },
];

/** The package a bare specifier names (`@a/b/c` → `@a/b`, `csv-parse/sync` → `csv-parse`); undefined otherwise. */
export function packageOf(specifier: string): string | undefined {
  if (/^(?:\.|\/|node:|#|[a-z]+:\/\/|data:|virtual:)/.test(specifier)) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  if (!name || BUILTINS.has(name)) return undefined;
  return name;
}

/** Every import site in `text`. */
export function readImports(text: string, file: string, inTest: boolean): ImportSite[] {
  const sites: ImportSite[] = [];
  for (const { pattern, typeGroup, specifierGroup } of IMPORT_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const specifier = match[specifierGroup];
      if (specifier === undefined) continue;
      const typeOnly = typeGroup !== undefined && match[typeGroup] !== undefined;
      sites.push({ specifier, file, typeOnly, inTest });
    }
  }
  return sites;
}

function listCodeFiles(target: string): string[] {
  if (!existsSync(target)) return [];
  if (statSync(target).isFile()) return CODE_FILE.test(target) ? [target] : [];
  const files: string[] = [];
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...listCodeFiles(path.join(target, entry.name)));
    } else if (CODE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      files.push(path.join(target, entry.name));
    }
  }
  return files;
}

/** The packages of the workspace: the root, then every folder under `apps/` and `packages/` with a manifest. */
function listPackages(root: string): string[] {
  const dirs = ['.'];
  for (const group of ['apps', 'packages']) {
    const base = path.join(root, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      const dir = path.join(group, entry.name);
      if (entry.isDirectory() && existsSync(path.join(root, dir, 'package.json'))) dirs.push(dir);
    }
  }
  return dirs;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Command names a dependency installs (its `bin`), looked up from the package folder upwards. */
function binsOf(dependency: string, fromDir: string, root: string): string[] {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'node_modules', dependency, 'package.json');
    if (existsSync(manifest)) {
      const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: string | Record<string, string> })
        .bin;
      if (typeof bin === 'string') return [dependency.split('/').pop() ?? dependency];
      return bin ? Object.keys(bin) : [];
    }
    if (path.resolve(dir) === path.resolve(root) || path.dirname(dir) === dir) return [];
  }
}

function importSitesOf(root: string, pkg: string): ImportSite[] {
  const dir = path.join(root, pkg);
  const targets =
    pkg === '.'
      ? [
          ...ROOT_CODE.map((d) => path.join(dir, d)),
          ...readdirSync(dir)
            .filter((f) => CODE_FILE.test(f))
            .map((f) => path.join(dir, f)),
        ]
      : [path.join(dir, 'src'), path.join(dir, 'test')];
  const sites: ImportSite[] = [];
  for (const target of targets) {
    for (const file of listCodeFiles(target)) {
      const relative = path.relative(dir, file);
      const inTest =
        pkg === '.' || relative.startsWith(`test${path.sep}`) || /\.test\.[cm]?[jt]s$/.test(file);
      sites.push(...readImports(readFileSync(file, 'utf8'), relative, inTest));
    }
  }
  return sites;
}

/** Every mismatch between what the workspace's packages import and what they declare. */
export function checkWorkspace(root: string): DependencyProblem[] {
  const problems: DependencyProblem[] = [];
  const packages = listPackages(root);
  const sitesByPackage = new Map(packages.map((pkg) => [pkg, importSitesOf(root, pkg)]));
  const importedAnywhere = new Set(
    [...sitesByPackage.values()].flat().map((site) => packageOf(site.specifier) ?? site.specifier),
  );
  const usesBuiltins = [...sitesByPackage.values()]
    .flat()
    .some((site) => site.specifier.startsWith('node:') || BUILTINS.has(site.specifier.split('/')[0] ?? ''));

  for (const pkg of packages) {
    const manifest = readManifest(path.join(root, pkg));
    const runtime = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    const dev = new Set(Object.keys(manifest.devDependencies ?? {}));
    const imported = new Set<string>();
    const reported = new Set<string>();

    for (const site of sitesByPackage.get(pkg) ?? []) {
      const name = packageOf(site.specifier);
      if (name === undefined || name === manifest.name) continue;
      imported.add(name);
      if (runtime.has(name) || reported.has(name)) continue;
      if (site.inTest && (dev.has(name) || name === ROOT_TEST_RUNNER)) continue;
      if (!site.inTest && site.typeOnly && dev.has(name)) continue;
      const declared = dev.has(name) ? 'declared only in devDependencies' : 'not declared';
      reported.add(name);
      problems.push({ pkg, dependency: name, message: `imported by ${site.file} but ${declared}` });
    }

    const scripts = Object.values(manifest.scripts ?? {}).join('\n');
    for (const [field, names] of [
      ['dependencies', runtime],
      ['devDependencies', dev],
    ] as const) {
      for (const name of names) {
        if (imported.has(name)) continue;
        if (name.startsWith('@types/')) {
          const typed = name.slice('@types/'.length).replace(/^(.+)__(.+)$/, '@$1/$2');
          if (
            typed === 'node' ? usesBuiltins : pkg === '.' ? importedAnywhere.has(typed) : imported.has(typed)
          )
            continue;
        }
        const bins = binsOf(name, path.join(root, pkg), root);
        if (
          bins.some((bin) =>
            new RegExp(`(^|[\\s&|;(])${bin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'm').test(scripts),
          )
        )
          continue;
        problems.push({ pkg, dependency: name, message: `declared in ${field} but never imported` });
      }
    }
  }
  return problems;
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const problems = checkWorkspace(root);
  for (const p of problems)
    console.error(`${p.pkg === '.' ? '(root)' : p.pkg}: ${p.dependency}: ${p.message}`);
  if (problems.length > 0) {
    console.error(`check-deps: ${problems.length} problem(s); fix the package.json files named above`);
    process.exitCode = 1;
  } else {
    console.log('check-deps: every workspace package declares exactly what it imports');
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
