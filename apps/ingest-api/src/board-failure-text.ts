import { redact, redactString } from '@dirsync/core';

/**
 * A failure text as the board shows it: codes, ids and report ids stay; quoted values (roles, departments,
 * attribute values the engine quotes in its messages) become "…", except the job's own externalId.
 */
export function maskFailureText(text: string, externalId?: string): string {
  const keep = externalId === undefined ? undefined : JSON.stringify(externalId);
  return redactString(text).replace(/"(?:[^"\\]|\\.)*"/g, (quoted) => (quoted === keep ? quoted : '"…"'));
}

/** Where a stack trace starts inside a message (V8's `    at …` frames). */
const STACK_FRAME = /\n\s*at\s[\s\S]*$/;
/** A source file path with its line and column (`/app/dist/x.js:12:3`, `file:///…`, `C:\…`, `node:internal/…`). */
const FILE_PATH =
  /(?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^\s"'()]*\.(?:[cm]?[jt]s|json|lua)(?::\d+){0,2}|node:internal\/[^\s"'()]*/g;
/** The engine's errors start with their code: `policy_violation: …`. */
const CODED = /^[a-z][a-z0-9_]*: /;
/** Long enough for a code, a message and a report id; the job data and the console have the rest. */
const MAX_REASON = 300;

/**
 * A failed reason as one line `code: message`: no stack trace, no file path, HR values masked as in
 * {@link maskFailureText}. A reason without a code (BullMQ's own, say "job stalled more than allowable limit")
 * gets `error:`.
 */
export function oneLineReason(text: string, externalId?: string): string {
  const line = text.replace(STACK_FRAME, '').replace(FILE_PATH, '…').replace(/\s+/g, ' ').trim();
  const masked = maskFailureText(line, externalId);
  const coded = CODED.test(masked) ? masked : `error: ${masked || 'failed without a reason'}`;
  return coded.length > MAX_REASON ? `${coded.slice(0, MAX_REASON - 1)}…` : coded;
}

interface JobJson {
  data?: unknown;
  failedReason?: unknown;
  stacktrace?: unknown;
}

function externalIdOf(data: unknown): string | undefined {
  const id = (data as { externalId?: unknown } | null)?.externalId;
  return typeof id === 'string' ? id : undefined;
}

/** The people a sync job covers: a failed person job's one, a batch's list; none for other jobs. */
export function peopleOfJob(data: unknown): string[] {
  const one = externalIdOf(data);
  if (one !== undefined) return [one];
  const many = (data as { externalIds?: unknown } | null)?.externalIds;
  return Array.isArray(many) ? many.filter((id): id is string => typeof id === 'string') : [];
}

/** A job's name on the board: the person it is about (`maria.k`, `maria.k (+3)` for a batch), else its kind. */
export function boardJobName(job: { name?: unknown; data?: unknown }): string {
  const [first, ...others] = peopleOfJob(job.data);
  if (first === undefined) return typeof job.name === 'string' ? job.name : '';
  return others.length > 0 ? `${first} (+${others.length})` : first;
}

/** Job data for the board: sensitive keys masked, and a recorded failure's message masked like a failed reason. */
export function formatJobData(data: unknown): unknown {
  const shown = redact(data);
  const failure = (shown as { failure?: { message?: unknown } } | null)?.failure;
  if (failure && typeof failure.message === 'string') {
    failure.message = maskFailureText(failure.message, externalIdOf(data));
  }
  return shown;
}

/**
 * A job's JSON (as BullMQ's `toJSON` gives it) as the board may show it: the failed reason one line, and no stack
 * trace (the board then shows the reason where it would show the trace; file paths and frames help no operator).
 */
export function maskJobJson<T extends object>(json: T): T {
  const out: T & JobJson = { ...json };
  const externalId = externalIdOf(out.data);
  if (typeof out.failedReason === 'string' && out.failedReason !== '') {
    out.failedReason = oneLineReason(out.failedReason, externalId);
  }
  if (Array.isArray(out.stacktrace)) out.stacktrace = [];
  return out;
}
