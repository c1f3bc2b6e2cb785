/**
 * The base of every error dirsync raises on purpose. `code` is stable and machine-readable (the API maps it to a
 * status, the worker to a retry decision); `retryable` says whether trying the same thing again can help.
 */
export class DirsyncError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; retryable?: boolean; details?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/** One bad environment variable: its name and why it is bad (never its value, which may be a secret). */
export interface ConfigProblem {
  variable: string;
  problem: string;
}

/** Bad configuration: start-up stops with one message naming each bad variable. */
export class ConfigError extends DirsyncError {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(
      'invalid_config',
      `Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.problem}`).join('\n')}`,
      { details: problems },
    );
    this.problems = problems;
  }
}

/** A file the operator supplies (mapping, policy, snapshot) is malformed; refused at load. */
export class FileLoadError extends DirsyncError {
  readonly file: string;

  constructor(file: string, message: string, options: { cause?: unknown; details?: unknown } = {}) {
    super('invalid_file', `${file}: ${message}`, options);
    this.file = file;
  }
}
