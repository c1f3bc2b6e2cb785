/**
 * Redaction for anything that may reach a log line. Logs may carry ids (externalId, scimId, jobId, correlation
 * ids) and operational facts; never credentials, signatures, or the HR/SCIM attributes of a person.
 */

export const REDACTED = '[redacted]';

/** Keys whose values are credentials. Matched case-insensitively as substrings. */
const SECRET_KEY = /authorization|token|secret|password|passwd|signature|cookie|api[-_]?key|credential/i;

/**
 * Keys whose values are personal data (HR fields and SCIM user attributes) or containers of it.
 * Ids (`externalId`, `managerExternalId`, `scimId`, `id`) stay readable: operators trace people by them.
 */
const PERSONAL_KEYS = new Set(
  [
    'firstName',
    'lastName',
    'givenName',
    'familyName',
    'middleName',
    'formatted',
    'name',
    'displayName',
    'nickName',
    'userName',
    'workEmail',
    'email',
    'emails',
    'phone',
    'phoneNumbers',
    'mobile',
    'title',
    'hireDate',
    'dateHire',
    'birthDate',
    'costCenter',
    'level',
    'departmentCode',
    'department',
    'division',
    'role',
    'roles',
    'addresses',
    'address',
    'manager',
    'employeeNumber',
    'data',
    'record',
    'payload',
    'body',
    'rawBody',
    'resource',
    'user',
    'desired',
    'current',
    'expected',
    'actual',
    'operations',
  ].map((k) => k.toLowerCase()),
);

const STRING_PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/whsec_[A-Za-z0-9+/=]+/g, `whsec_${REDACTED}`],
  [/\bv1,[A-Za-z0-9+/=]{20,}/g, `v1,${REDACTED}`],
  [/access_token["'=:\s]+[A-Za-z0-9._~+/=-]+/gi, `access_token=${REDACTED}`],
  // An e-mail address is a person's userName in Genesys: never log it, even inside a message from the target.
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
];

/**
 * Drops quoted values from a message: dirsync's own messages quote the values they got from HR or the target
 * (`role "admin" is not allowed for department "Sales"`), so a log line can keep the sentence without them.
 */
export function withoutQuotedValues(text: string): string {
  return redactString(text).replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
}

// Every pattern above needs whitespace, '@', ',' or '_': a string with none of them (a route, a method, most
// ids) has nothing to mask, and a log line of such fields skips the five regular expressions.
const MAY_HOLD_SECRET = /[\s@,_]/;

/** Masks credentials and e-mail addresses inside free text (error messages, target answers). */
export function redactString(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of STRING_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export function isSensitiveKey(key: string): boolean {
  return SECRET_KEY.test(key) || PERSONAL_KEYS.has(key.toLowerCase());
}

/**
 * Returns a copy of `value` with sensitive keys masked and strings scrubbed. Cycles and depth are bounded so a
 * hostile object cannot hang the logger.
 */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[depth]';
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  if (value instanceof Error) {
    // `type`, not `name`: `name` is a personal field wherever else it appears.
    const out: Record<string, unknown> = { type: value.name, message: redactString(value.message) };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.stack) out.stack = redactString(value.stack);
    if (value.cause !== undefined) out.cause = redact(value.cause, depth + 1, seen);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = isSensitiveKey(key) ? REDACTED : redact(v, depth + 1, seen);
  }
  return out;
}
