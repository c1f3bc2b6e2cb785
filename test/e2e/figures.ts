import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@dirsync/harness';

/** Where the suite leaves its figures (git-ignored); `pnpm report` turns them into the README's section. */
export const RESULTS_DIR = path.join(REPO_ROOT, 'test/e2e/results');
/** What the run measured: `{ commit, startedAt }`. */
export const RUN_FILE = 'run.json';

export interface Figures {
  /** The property this run proves. */
  property: string;
  /** Measured facts, in the order they should be shown. */
  figures: Record<string, number | string>;
}

export interface RunInfo {
  /** `git rev-parse --short HEAD`, plus ` (dirty)` for uncommitted changes. */
  commit: string;
  startedAt: string;
}

/** Records what one end-to-end test measured, next to the run's commit. */
export function recordFigures(name: string, figures: Figures): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}
