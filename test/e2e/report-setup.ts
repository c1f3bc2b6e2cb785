import fs from 'node:fs';
import path from 'node:path';
import { type Figures, RESULTS_DIR, ROOT } from './figures.js';

const ORDER = ['crash', 'redis-restart', 'target-faults', 'ordering', 'hostile-input', 'access'];

/** Renders the recorded figures as Markdown. */
export function renderReliability(results: Map<string, Figures>, when: Date): string {
  const lines = [
    `Produced by the end-to-end suite (\`test/e2e\`, part of \`pnpm test\`) on ${when.toISOString().slice(0, 10)}:`,
    'the real apps as separate processes (ingest API, two workers, the Genesys simulator) and a private',
    '`redis-server` with AOF (`appendfsync always`). Each row is one test; it fails if its property breaks.',
    '',
    '| scenario | property proved | figures |',
    '|---|---|---|',
  ];
  const names = [
    ...ORDER.filter((n) => results.has(n)),
    ...[...results.keys()].filter((n) => !ORDER.includes(n)),
  ];
  for (const name of names) {
    const r = results.get(name);
    if (!r) continue;
    const figures = Object.entries(r.figures)
      .map(([k, v]) => `${k}: **${v}**`)
      .join(', ');
    lines.push(`| ${name} | ${r.property} | ${figures} |`);
  }
  return lines.join('\n');
}

/**
 * Global setup of the end-to-end project: clears old figures, and afterwards writes `results/latest.md` and —
 * outside CI — the README's Reliability section, so the figures there always come from a real run.
 */
export default function setup(): () => void {
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  return () => {
    if (!fs.existsSync(RESULTS_DIR)) return;
    const results = new Map<string, Figures>();
    for (const file of fs.readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json'))) {
      results.set(
        path.basename(file, '.json'),
        JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, file), 'utf8')),
      );
    }
    if (results.size === 0) return;
    const markdown = renderReliability(results, new Date());
    fs.writeFileSync(path.join(RESULTS_DIR, 'latest.md'), `${markdown}\n`);
    if (process.env.CI || results.size < ORDER.length) return;
    const readme = path.join(ROOT, 'README.md');
    const text = fs.readFileSync(readme, 'utf8');
    const start = '<!-- reliability:start -->';
    const end = '<!-- reliability:end -->';
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i < 0 || j < i) return;
    fs.writeFileSync(readme, `${text.slice(0, i + start.length)}\n${markdown}\n${text.slice(j)}`);
  };
}
