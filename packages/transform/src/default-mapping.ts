import { fileURLToPath } from 'node:url';

/** The shipped mapping for Genesys Cloud (resolved from `src/` in tests and from `dist/` when built). */
export const DEFAULT_MAPPING_FILE = fileURLToPath(new URL('../mappings/genesys.jsonata', import.meta.url));
