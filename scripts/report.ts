// `pnpm report`: writes the README's generated sections from the last measurements — Reliability from the figures
// the end-to-end suite left in test/e2e/results (git-ignored), Benchmarks from bench/results/latest.json — each
// naming the commit it measured. The only writer of those sections besides a complete `pnpm bench`; tests never
// touch the README.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@dirsync/harness';
import { renderBenchmarksSection } from '../bench/src/readme-summary.js';
import type { BenchResults } from '../bench/src/report.js';
import { replaceReadmeSection } from './report/readme-section.js';
import { renderReliabilitySection } from './report/reliability-section.js';

function main(): number {
  let failed = false;
  try {
    replaceReadmeSection('reliability', renderReliabilitySection());
    process.stdout.write('README.md: Reliability section written from test/e2e/results\n');
  } catch (error) {
    failed = true;
    process.stderr.write(`Reliability section left as it was: ${(error as Error).message}\n`);
  }
  const benchFile = path.join(REPO_ROOT, 'bench/results/latest.json');
  if (fs.existsSync(benchFile)) {
    const results = JSON.parse(fs.readFileSync(benchFile, 'utf8')) as BenchResults;
    replaceReadmeSection('bench', renderBenchmarksSection(results));
    process.stdout.write(`README.md: Benchmarks section written from bench/results/latest.json\n`);
  } else {
    process.stderr.write(
      'Benchmarks section left as it was: no bench/results/latest.json (run pnpm bench)\n',
    );
  }
  return failed ? 1 : 0;
}

process.exitCode = main();
