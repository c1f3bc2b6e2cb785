import fs from 'node:fs';
import path from 'node:path';
import { type Figures, RESULTS_DIR, RUN_FILE, type RunInfo } from '../../test/e2e/figures.js';

/** Every scenario of the end-to-end suite, in the order the README shows them. */
export const SCENARIOS = ['crash', 'redis-restart', 'target-faults', 'ordering', 'hostile-input', 'access'];

/**
 * The README's Reliability section from the figures the last end-to-end run left in `test/e2e/results`; throws
 * when there was no run or a scenario is missing (a partial run would make the table lie by omission).
 */
export function renderReliabilitySection(dir = RESULTS_DIR): string {
  const runFile = path.join(dir, RUN_FILE);
  if (!fs.existsSync(runFile)) {
    throw new Error(`no end-to-end figures in ${path.relative(process.cwd(), dir)}: run pnpm test first`);
  }
  const run = JSON.parse(fs.readFileSync(runFile, 'utf8')) as RunInfo;
  const read = (name: string): Figures | undefined => {
    const file = path.join(dir, `${name}.json`);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Figures) : undefined;
  };
  const missing = SCENARIOS.filter((name) => read(name) === undefined);
  if (missing.length > 0) {
    throw new Error(`the last end-to-end run has no figures for ${missing.join(', ')}: run the whole suite`);
  }
  const lines = [
    `Produced by the end-to-end suite (\`test/e2e\`, part of \`pnpm test\`) on ${run.startedAt.slice(0, 10)}, ` +
      `commit ${run.commit}:`,
    'the real apps as separate processes (ingest API, two workers, the Genesys simulator) and a private',
    '`redis-server` with AOF (`appendfsync always`). Each row is one test; it fails if its property breaks.',
    '',
    '| scenario | property proved | figures |',
    '|---|---|---|',
  ];
  for (const name of SCENARIOS) {
    const result = read(name);
    if (!result) continue;
    const figures = Object.entries(result.figures)
      .map(([key, value]) => `${key}: **${value}**`)
      .join(', ');
    lines.push(`| ${name} | ${result.property} | ${figures} |`);
  }
  return lines.join('\n');
}
