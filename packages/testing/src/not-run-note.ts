/**
 * A suite that could not run on this machine because a prerequisite is missing: what it needs and the command
 * that gets it. Carried in the suite's meta so the not-run reporter can name it in the summary.
 */
export interface NotRunNote {
  /** What is missing, e.g. "Debian's chromium". */
  needs: string;
  /** The command that gets it, e.g. "apt-get install chromium". */
  get: string;
}

/** What a not-run suite's meta carries: its note and its own name (its title says more). */
export interface NotRunMeta extends NotRunNote {
  suite: string;
}

/** The key under which a skipped suite's meta carries its NotRunMeta. */
export const NOT_RUN_META_KEY = 'dirsyncNotRun';

/** The title a not-run suite is listed under, so even a reporter that ignores meta names the prerequisite. */
export function notRunTitle(suite: string, note: NotRunNote): string {
  return `${suite} — NOT RUN: needs ${note.needs} (${note.get})`;
}

/** True when the environment says this is CI (`CI` set to anything but empty, 0 or false). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}
