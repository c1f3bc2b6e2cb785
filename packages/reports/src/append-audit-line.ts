import { open } from 'node:fs/promises';

/** Owner read/write only: the audit log names people and what was done to their accounts. */
const AUDIT_LOG_MODE = 0o600;

/**
 * Appends one line to the audit log, creating it with mode `0600`. A file that already exists with wider
 * permissions (made by an older version, or by hand) is narrowed to `0600` before anything is written to it.
 */
export async function appendAuditLine(file: string, line: string): Promise<void> {
  const handle = await open(file, 'a', AUDIT_LOG_MODE);
  try {
    const { mode } = await handle.stat();
    if ((mode & 0o777) !== AUDIT_LOG_MODE) await handle.chmod(AUDIT_LOG_MODE);
    await handle.appendFile(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
  } finally {
    await handle.close();
  }
}
