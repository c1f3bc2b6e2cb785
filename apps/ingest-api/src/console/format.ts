import { html, type SafeHtml } from './html.js';

/** `2026-11-28 10:03:12Z` from epoch ms or an ISO string (the text as given when it is not a date). */
export function formatTime(at: number | string | undefined): string {
  if (at === undefined) return '';
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (Number.isNaN(ms)) return String(at);
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** A `<time>` element: machine-readable ISO in `datetime`, the short form as text. */
export function time(at: number | string | undefined): SafeHtml | string {
  if (at === undefined) return '';
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (Number.isNaN(ms)) return String(at);
  return html`<time datetime="${new Date(ms).toISOString()}">${formatTime(ms)}</time>`;
}

/** Shortens text to `max` characters, marking the cut. */
export function truncate(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Any value as one line of text: strings as they are, everything else as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A SCIM multi-valued attribute (`[{value, type, primary}]`) as `a (work), b`. */
function formatMultiValue(items: unknown[]): string | undefined {
  const parts: string[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || !('value' in item)) return undefined;
    const { value, type, display } = item as { value: unknown; type?: unknown; display?: unknown };
    const label = typeof display === 'string' && display !== value ? ` ${display}` : '';
    parts.push(`${formatValue(value)}${label}${typeof type === 'string' ? ` (${type})` : ''}`);
  }
  return parts.join(', ');
}

const EXTENSION_PREFIX = /^urn:ietf:params:scim:schemas:extension:/;
const EXTENSION_SUFFIX = /(?::\d+(?:\.\d+)*)?:User$/;

/**
 * An object as `[path, text]` rows for a two-column table: nested objects flattened to dotted paths (a SCIM
 * extension's URN is shortened: `enterprise`, `genesys:purecloud`), multi-valued attributes joined on one line.
 */
export function flattenForTable(
  value: Record<string, unknown>,
  skip: readonly string[] = [],
): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const walk = (object: Record<string, unknown>, path: string, depth: number) => {
    for (const [key, item] of Object.entries(object)) {
      if (depth === 0 && skip.includes(key)) continue;
      const name = EXTENSION_PREFIX.test(key)
        ? key.replace(EXTENSION_PREFIX, '').replace(EXTENSION_SUFFIX, '')
        : key;
      const at = path ? `${path}.${name}` : name;
      if (Array.isArray(item)) {
        rows.push([at, formatMultiValue(item) ?? formatValue(item)]);
      } else if (typeof item === 'object' && item !== null && depth < 2) {
        walk(item as Record<string, unknown>, at, depth + 1);
      } else {
        rows.push([at, formatValue(item)]);
      }
    }
  };
  walk(value, '', 0);
  return rows;
}

/** A status or outcome as a coloured badge; `tone` picks the colour class (see console.css). */
export function badge(text: string, tone: string = toneOf(text)): SafeHtml {
  return html`<span class="badge tone-${tone}">${text}</span>`;
}

const TONES: Record<string, string> = {
  created: 'good',
  updated: 'good',
  reactivated: 'good',
  synced: 'good',
  accepted: 'good',
  applied: 'good',
  unchanged: 'quiet',
  skipped: 'quiet',
  duplicate: 'quiet',
  unknown: 'quiet',
  scheduled: 'info',
  pending: 'info',
  cache: 'quiet',
  live: 'info',
  deactivated: 'warn',
  stale: 'warn',
  failed: 'bad',
  network_error: 'bad',
};

/** The colour of an outcome, state or HTTP status. */
export function toneOf(text: string | number): string {
  if (typeof text === 'number') return text >= 500 ? 'bad' : text >= 400 ? 'warn' : 'good';
  return TONES[text] ?? 'info';
}
