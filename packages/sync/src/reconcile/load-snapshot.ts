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

const MAX_SNAPSHOT_FILE_BYTES = 200 * 1024 * 1024;
/** Default cap on a downloaded snapshot: far above a real HR export, far below what would exhaust the worker. */
export const DEFAULT_MAX_SNAPSHOT_DOWNLOAD_BYTES = 50 * 1024 * 1024;

/** Options of {@link loadSnapshot}. */
export interface LoadSnapshotOptions {
  /** Bound on reading the source, download included (ms); default 30 000. */
  timeoutMs?: number;
  /** Refuse a plain `http:` URL (set it in production); default false. */
  requireHttps?: boolean;
  /** Cap on a downloaded snapshot's size in bytes; default {@link DEFAULT_MAX_SNAPSHOT_DOWNLOAD_BYTES}. */
  maxDownloadBytes?: number;
  /** The clock a snapshot time is clamped to; default `() => new Date()`. */
  now?: () => Date;
}

interface ReadOptions {
  timeoutMs: number;
  requireHttps: boolean;
  maxDownloadBytes: number;
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The URL without credentials, query or fragment: safe to name in a message. */
function describeUrl(source: string): string {
  try {
    const url = new URL(source);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

async function readCapped(res: Response, maxBytes: number, abort: AbortController): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  const tooLarge = () =>
    new SnapshotError(`HR_SNAPSHOT: the snapshot download is larger than the cap of ${maxBytes} bytes`);
  if (Number.isFinite(declared) && declared > maxBytes) {
    abort.abort();
    throw tooLarge();
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += chunk.byteLength;
    // A missing or false Content-Length must not let an endless body fill the heap: stop at the cap.
    if (total > maxBytes) {
      abort.abort();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function download(source: string, options: ReadOptions): Promise<{ text: string; takenAt: Date }> {
  const where = describeUrl(source);
  if (options.requireHttps && !/^https:\/\//i.test(source))
    throw new SnapshotError(`HR_SNAPSHOT: ${where} is not https; plain http is refused in production`);
  const abort = new AbortController();
  const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(options.timeoutMs)]);
  try {
    // Redirects are refused: a redirect could lead a production worker to plain http or an internal address.
    const res = await fetch(source, { signal, redirect: 'manual' });
    if (res.status >= 300 && res.status < 400) {
      abort.abort();
      throw new SnapshotError(
        `HR_SNAPSHOT: the snapshot URL answered ${res.status} (a redirect); redirects are refused, set HR_SNAPSHOT to the final URL`,
      );
    }
    if (!res.ok) {
      abort.abort();
      throw new SnapshotError(`HR_SNAPSHOT: the snapshot URL answered ${res.status}`);
    }
    const text = await readCapped(res, options.maxDownloadBytes, abort);
    const lastModified = res.headers.get('last-modified');
    return { text, takenAt: lastModified ? new Date(lastModified) : new Date(Number.NaN) };
  } catch (error) {
    if (error instanceof SnapshotError) throw error;
    throw new SnapshotError(`HR_SNAPSHOT: could not fetch ${where} (${(error as Error).message})`, {
      cause: error,
    });
  }
}

async function readSource(source: string, options: ReadOptions): Promise<{ text: string; takenAt: Date }> {
  if (isUrl(source)) return download(source, options);
  try {
    const info = await stat(source);
    if (info.size > MAX_SNAPSHOT_FILE_BYTES)
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

/**
 * The snapshot's time, never later than now: a snapshot dated in the future would make every later webhook look
 * stale. An unreadable date counts as now.
 */
function clampTakenAt(takenAt: Date, now: Date): Date {
  const at = takenAt.getTime();
  return Number.isNaN(at) || at > now.getTime() ? now : takenAt;
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
 * snapshot, naming the row. A URL is fetched without following redirects, within `maxDownloadBytes`, and only
 * over https when `requireHttps`; the snapshot's time (mtime or `Last-Modified`) is clamped to now.
 */
export async function loadSnapshot(source: string, options: LoadSnapshotOptions = {}): Promise<HrSnapshot> {
  const read = await readSource(source, {
    timeoutMs: options.timeoutMs ?? 30_000,
    requireHttps: options.requireHttps ?? false,
    maxDownloadBytes: options.maxDownloadBytes ?? DEFAULT_MAX_SNAPSHOT_DOWNLOAD_BYTES,
  });
  const { text } = read;
  const takenAt = clampTakenAt(read.takenAt, (options.now ?? (() => new Date()))());
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
