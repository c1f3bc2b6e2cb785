import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './processes.js';
import { type BenchResults, renderSummary } from './report.js';

/** The README's Benchmarks section: the fixed intro, then a complete run's summary (which names its commit). */
export function renderBenchmarksSection(results: BenchResults): string {
  const intro = fs.readFileSync(path.join(ROOT, 'bench', 'readme-intro.md'), 'utf8').trim();
  const latest = renderSummary(results).replace(/^### Benchmark results — (\S+)/, 'Latest run, $1:');
  const details = 'The details behind each row are in [`bench/results/latest.md`](bench/results/latest.md).';
  return `${intro}\n\n${latest}\n\n${details}`;
}
