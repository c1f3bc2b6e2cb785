import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = path.join(ROOT, 'test/e2e/results');

export interface Figures {
  /** The property this run proves. */
  property: string;
  /** Measured facts, in the order they should be shown. */
  figures: Record<string, number | string>;
}

/** Records what one end-to-end test measured; the suite's teardown turns them into the README's section. */
export function recordFigures(name: string, figures: Figures): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}
