import { readFile } from 'node:fs/promises';
import { describeReadFailure } from '@dirsync/core';
import { compileMapping } from './compile-mapping.js';
import { DEFAULT_MAPPING_FILE } from './default-mapping.js';
import type { Mapping, MappingLimits } from './mapping.js';
import { MappingLoadError } from './mapping-load-error.js';

/** Options of {@link loadMapping}. */
export interface LoadMappingOptions extends MappingLimits {
  /** Path of the JSONata mapping; default the shipped Genesys mapping ({@link DEFAULT_MAPPING_FILE}). */
  file?: string;
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
    throw new MappingLoadError(file, `cannot read the mapping file: ${describeReadFailure(error)}`, {
      cause: error,
    });
  }
  return compileMapping(source, { ...options, file });
}
