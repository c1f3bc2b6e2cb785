#!/usr/bin/env node
// Runs one of the TypeScript scripts here through tsx, the way bench/run.mjs runs the bench:
// `node --conditions=@dirsync/source scripts/run.mjs <start|demo|report|screenshots>` (the condition loads
// workspace packages from their sources, so a script never runs against a stale build).
import { register } from 'tsx/esm/api';

const SCRIPTS = ['start', 'demo', 'report', 'screenshots'];
const name = process.argv[2] ?? '';
if (!SCRIPTS.includes(name)) {
  process.stderr.write(`usage: node scripts/run.mjs <${SCRIPTS.join('|')}>\n`);
  process.exit(2);
}
register();
await import(`./${name}.ts`);
