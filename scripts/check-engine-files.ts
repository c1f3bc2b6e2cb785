// `pnpm lint`: each engine file has one job, so none grows past 300 lines (issue 12's symptom check; functions
// are held under 80 lines by biome's noExcessiveLinesPerFunction).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_LINES = 300;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const engine = path.join(root, 'packages', 'sync', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const tooLong = sourceFiles(engine)
  .map((file) => ({
    file: path.relative(root, file),
    lines: fs.readFileSync(file, 'utf8').split('\n').length,
  }))
  .filter(({ lines }) => lines > MAX_LINES);
for (const { file, lines } of tooLong) {
  console.error(`${file}: ${lines} lines (at most ${MAX_LINES}): split it by responsibility`);
}
if (tooLong.length > 0) process.exit(1);
console.log(`check-engine-files: every engine file is at most ${MAX_LINES} lines`);
