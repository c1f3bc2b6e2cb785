import fs from 'node:fs';
import path from 'node:path';
import { describeCheckout } from '@dirsync/harness';
import { RESULTS_DIR, RUN_FILE, type RunInfo } from './figures.js';

/**
 * Global setup of the end-to-end project: clears the last run's figures and notes which commit this run measures.
 * The tests add one file of figures each; nothing tracked is written (`pnpm report` puts them in the README).
 */
export default function setup(): void {
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const run: RunInfo = { commit: describeCheckout(), startedAt: new Date().toISOString() };
  fs.writeFileSync(path.join(RESULTS_DIR, RUN_FILE), `${JSON.stringify(run, null, 2)}\n`);
}
