import { readFile, stat } from 'node:fs/promises';
import { type HrRecord, hrRecordSchema } from '@dirsync/contracts';
import { DirsyncError, formatIssuePath } from '@dirsync/core';
import { parse as parseCsv } from 'csv-parse/sync';

/** The HR directory as of one moment: every person currently employed. */
export interface HrSnapshot {
  records: HrRecord[];
  /** When the snapshot was taken (file mtime or Last-Modified), so a newer webhook always beats it. */
  takenAt: Date;
  source: string;
}

/** The snapshot could not be read or is malformed; nothing is compared, nothing changes. */
export class SnapshotError extends DirsyncError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('invalid_snapshot', message, { ...options, retryable: false });
  }
}

const MAX_SNAPSHOT_BYTES = 200 * 1024 * 1024;

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

async function readSource(source: string, timeoutMs: number): Promise<{ text: string; takenAt: Date }> {
  if (isUrl(source)) {
    let res: Response;
    try {
      res = await fetch(source, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new SnapshotError(`HR_SNAPSHOT: could not fetch the snapshot URL (${(error as Error).message})`, {
        cause: error,
      });
    }
    if (!res.ok) throw new SnapshotError(`HR_SNAPSHOT: the snapshot URL answered ${res.status}`);
    const text = await res.text();
    const lastModified = res.headers.get('last-modified');
    return { text, takenAt: lastModified ? new Date(lastModified) : new Date() };
  }
  try {
    const info = await stat(source);
    if (info.size > MAX_SNAPSHOT_BYTES)
      throw new SnapshotError(`HR_SNAPSHOT: ${source} is larger than 200 MB`);
    return { text: await readFile(source, 'utf8'), takenAt: info.mtime };
  } catch (error) {
    if (error instanceof SnapshotError) throw error;
    throw new SnapshotError(
      `HR_SNAPSHOT: cannot read ${source} (${(error as NodeJS.ErrnoException).code ?? error})`,
      {
        cause: error,
      },
    );
  }
}

function fromCsv(text: string): unknown[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new SnapshotError(`HR_SNAPSHOT: not valid CSV: ${(error as Error).message}`, { cause: error });
  }
  // An empty cell is an absent field (the record is the full state: absent means "clear").
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== '')));
}

/**
 * Reads the HR snapshot from a path or URL: a JSON array of HR records (the webhook's `data` shape) or a CSV with
 * those column names. Every record is validated; a bad record or a repeated externalId refuses the whole
 * snapshot, naming the row.
 */
export async function loadSnapshot(
  source: string,
  options: { timeoutMs?: number } = {},
): Promise<HrSnapshot> {
  const { text, takenAt } = await readSource(source, options.timeoutMs ?? 30_000);
  const trimmed = text.trimStart();
  let raw: unknown[];
  if (trimmed.startsWith('[')) {
    try {
      raw = JSON.parse(trimmed) as unknown[];
    } catch (error) {
      throw new SnapshotError(`HR_SNAPSHOT: not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  } else if (trimmed.startsWith('{')) {
    throw new SnapshotError(
      'HR_SNAPSHOT: expected a JSON array of HR records (or a CSV), found a JSON object',
    );
  } else {
    raw = fromCsv(text);
  }
  const records: HrRecord[] = [];
  const seen = new Map<string, number>();
  raw.forEach((item, i) => {
    const parsed = hrRecordSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue ? formatIssuePath(issue.path, '(record)') : '(record)';
      throw new SnapshotError(`HR_SNAPSHOT: record ${i + 1}: ${field}: ${issue?.message ?? 'invalid'}`);
    }
    const previous = seen.get(parsed.data.externalId);
    if (previous !== undefined) {
      throw new SnapshotError(
        `HR_SNAPSHOT: record ${i + 1} repeats externalId "${parsed.data.externalId}" (first at record ${previous + 1})`,
      );
    }
    seen.set(parsed.data.externalId, i);
    records.push(parsed.data);
  });
  return { records, takenAt, source };
}
