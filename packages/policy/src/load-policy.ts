import { readFile } from 'node:fs/promises';
import { describeReadFailure } from '@dirsync/core';
import { DEFAULT_POLICY_FILE } from './default-policy.js';
import { parsePolicy, policyFormatOf } from './parse-policy.js';
import { PolicyLoadError } from './policy-load-error.js';
import type { RolePolicy } from './role-policy.js';

/** Options of {@link loadPolicy}. */
export interface LoadPolicyOptions {
  /** Path of the policy file (`.yaml`, `.yml` or `.json`); default the shipped {@link DEFAULT_POLICY_FILE}. */
  file?: string;
}

/**
 * Reads and validates a role policy file, its format chosen by extension. Rejects with {@link PolicyLoadError}
 * naming the file and the problem (unreadable, unknown extension, bad YAML/JSON, wrong shape with its exact path).
 */
export async function loadPolicy(options: LoadPolicyOptions = {}): Promise<RolePolicy> {
  const file = options.file ?? DEFAULT_POLICY_FILE;
  const format = policyFormatOf(file);
  if (!format) {
    throw new PolicyLoadError(file, [
      { message: 'unknown extension; a policy file ends in .yaml, .yml or .json' },
    ]);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PolicyLoadError(
      file,
      [{ message: `cannot read the policy file: ${describeReadFailure(error)}` }],
      {
        cause: error,
      },
    );
  }
  return parsePolicy(text, { file, format });
}
