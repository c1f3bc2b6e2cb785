import { fileURLToPath } from 'node:url';

/** The shipped role policy (resolved from `src/` in tests and from `dist/` when built). */
export const DEFAULT_POLICY_FILE = fileURLToPath(new URL('../policies/default.yaml', import.meta.url));
