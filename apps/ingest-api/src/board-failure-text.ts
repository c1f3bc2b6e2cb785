import { redact, redactString } from '@dirsync/core';

/**
 * A failure text as the board shows it: codes, ids and report ids stay; quoted values (roles, departments,
 * attribute values the engine quotes in its messages) become "…", except the job's own externalId.
 */
export function maskFailureText(text: string, externalId?: string): string {
  const keep = externalId === undefined ? undefined : JSON.stringify(externalId);
  return redactString(text).replace(/"(?:[^"\\]|\\.)*"/g, (quoted) => (quoted === keep ? quoted : '"…"'));
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

/** Job data for the board: sensitive keys masked, and a recorded failure's message masked like a failed reason. */
export function formatJobData(data: unknown): unknown {
  const shown = redact(data);
  const failure = (shown as { failure?: { message?: unknown } } | null)?.failure;
  if (failure && typeof failure.message === 'string') {
    failure.message = maskFailureText(failure.message, externalIdOf(data));
  }
  return shown;
}

/** A job's JSON (as BullMQ's `toJSON` gives it) with the failed reason and stack trace masked for the board. */
export function maskJobJson<T extends object>(json: T): T {
  const out: T & JobJson = { ...json };
  const externalId = externalIdOf(out.data);
  if (typeof out.failedReason === 'string') out.failedReason = maskFailureText(out.failedReason, externalId);
  if (Array.isArray(out.stacktrace)) {
    out.stacktrace = out.stacktrace.map((entry) =>
      typeof entry === 'string' ? maskFailureText(entry, externalId) : entry,
    );
  }
  return out;
}
