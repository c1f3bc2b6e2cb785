import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (this file sits in packages/harness/src or packages/harness/dist). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Each app's built entry point, relative to the repository root: operators run `node <entry>`. */
export const APP_ENTRIES = {
  api: 'apps/ingest-api/dist/main.js',
  worker: 'apps/worker/dist/main.js',
  sim: 'apps/genesys-sim/dist/main.js',
} as const;

export type AppName = keyof typeof APP_ENTRIES;

/** The absolute path of a built app's entry point; throws when it has not been built. */
export function resolveAppEntry(app: AppName): string {
  const entry = path.join(REPO_ROOT, APP_ENTRIES[app]);
  if (!fs.existsSync(entry)) throw new Error(`${APP_ENTRIES[app]} is missing: run pnpm build first`);
  return entry;
}
