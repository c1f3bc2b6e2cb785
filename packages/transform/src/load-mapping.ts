import { readFile } from 'node:fs/promises';
import { compileMapping } from './compile-mapping.js';
import { DEFAULT_MAPPING_FILE } from './default-mapping.js';
import type { Mapping, MappingLimits } from './mapping.js';
import { MappingLoadError } from './mapping-load-error.js';

/** Options of {@link loadMapping}. */
export interface LoadMappingOptions extends MappingLimits {
  /** Path of the JSONata mapping; default the shipped Genesys mapping ({@link DEFAULT_MAPPING_FILE}). */
  file?: string;
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Reads and compiles a mapping file once (see {@link compileMapping}). Rejects with {@link MappingLoadError}
 * naming the file when it cannot be read, is not valid JSONata (with line and column), or does not say which
 * attributes it owns.
 */
export async function loadMapping(options: LoadMappingOptions = {}): Promise<Mapping> {
  const file = options.file ?? DEFAULT_MAPPING_FILE;
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new MappingLoadError(file, `cannot read the mapping file: ${readFailure(error)}`, { cause: error });
  }
  return compileMapping(source, { ...options, file });
}
