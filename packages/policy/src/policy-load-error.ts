import { FileLoadError } from '@dirsync/core';

/** One problem in a policy file: where (`departments.Sales[1]`, `line 3, column 5`; none for the whole file) and what. */
export interface PolicyProblem {
  at?: string;
  message: string;
}

/**
 * The policy file cannot be used: unreadable, not valid YAML/JSON, or of the wrong shape. The message names the
 * file and each problem's exact place (`departments.Sales[1]: must be a non-empty string`). Raised at load, so a
 * bad policy stops start-up instead of blocking or allowing roles by accident.
 */
export class PolicyLoadError extends FileLoadError {
  readonly problems: readonly PolicyProblem[];

  constructor(file: string, problems: readonly PolicyProblem[], options: { cause?: unknown } = {}) {
    super(file, problems.map((p) => (p.at ? `${p.at}: ${p.message}` : p.message)).join('; '), {
      cause: options.cause,
      details: problems,
    });
    this.problems = problems;
  }
}
