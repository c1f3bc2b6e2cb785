import { FileLoadError } from '@dirsync/core';
import type { SourceLocation } from './source-position.js';

/**
 * The mapping file cannot be used: unreadable, not valid JSONata (the message names the line and column), or its
 * owned attributes cannot be told. Raised at load, so a bad mapping stops start-up instead of failing every sync.
 */
export class MappingLoadError extends FileLoadError {
  /** Where in the file the problem is, when known. */
  readonly location: SourceLocation | undefined;
  /** The JSONata error code (e.g. `S0202`), for syntax errors. */
  readonly jsonataCode: string | undefined;

  constructor(
    file: string,
    message: string,
    options: { cause?: unknown; location?: SourceLocation; jsonataCode?: string } = {},
  ) {
    super(file, message, { cause: options.cause });
    this.location = options.location;
    this.jsonataCode = options.jsonataCode;
  }
}
