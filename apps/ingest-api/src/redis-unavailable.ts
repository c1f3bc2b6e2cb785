import { ReplyError } from 'ioredis';

/** Socket failures: Redis could not be reached, or the connection broke under the command. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** ioredis's own messages for a command that never reached a connected Redis. */
const CLIENT_MESSAGES = new Set(['Connection is closed.', 'Command timed out']);
const OFFLINE_QUEUE_OFF = "Stream isn't writeable and enableOfflineQueue options is false";

/** Replies of a Redis that is up but cannot take the command now (loading, a replica, a failing disk, a cluster). */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MISCONF|TRYAGAIN|CLUSTERDOWN|MASTERDOWN)\b/;

function isUnavailableError(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (CLIENT_MESSAGES.has(error.message) || error.message === OFFLINE_QUEUE_OFF) return true;
  return error instanceof ReplyError && TRANSIENT_REPLY.test(error.message);
}

/**
 * True when `error` (or an error it wraps as `cause`) means Redis could not be reached or cannot take writes now,
 * so the request was refused before anything was promised. Classified by error type, code and ioredis's exact
 * messages: an unrelated error that merely mentions "connect" stays a 500.
 */
export function isRedisUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (isUnavailableError(current)) return true;
    current = current.cause;
  }
  return false;
}
