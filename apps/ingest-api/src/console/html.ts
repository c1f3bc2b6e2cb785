/**
 * The console's only way to produce markup. `html` is a tagged template: its literal parts are the code's own
 * markup, and every interpolated value is escaped with `escapeHtml` unless it is a `SafeHtml` that `html` itself
 * produced. There is no other constructor of `SafeHtml` and no raw-output helper: markup that must not be escaped
 * can only come from a template literal in this codebase (grep for `html\``), never from data.
 *
 * Attributes are always written double-quoted, so one escaping function serves text and attribute contexts;
 * `html` refuses (throws) an interpolation after an unquoted `=`, inside an event-handler attribute, or a URL
 * attribute (`href`, `src`, `action`) whose value is not a same-origin path.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for HTML text and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] as string);
}

/** Markup built by `html` (its literal parts plus escaped values): safe to insert as is. */
export class SafeHtml {
  readonly #markup: string;

  private constructor(markup: string) {
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }

  /** Only `html` below may call this (a static method reaches the private constructor). */
  static fromTemplate(strings: TemplateStringsArray, values: readonly Interpolation[]): SafeHtml {
    let out = strings[0] ?? '';
    for (let i = 0; i < values.length; i++) {
      const before = strings[i] ?? '';
      out += render(values[i], before) + (strings[i + 1] ?? '');
    }
    return new SafeHtml(out);
  }
}

/** What a template may interpolate: text and numbers (escaped), markup from `html`, lists of these; nothing else. */
export type Interpolation = string | number | SafeHtml | null | undefined | false | readonly Interpolation[];

const UNQUOTED_ATTRIBUTE = /=\s*$/;
const EVENT_HANDLER = /\son[a-z]+\s*=\s*"$/i;
const URL_ATTRIBUTE = /\s(?:href|src|action|formaction|xlink:href)\s*=\s*"$/i;
/** A path on this origin (`/…` but not `//…`), a query or a fragment. */
const SAME_ORIGIN = /^(?:\/(?!\/)|\?|#)/;

function render(value: Interpolation, before: string): string {
  if (UNQUOTED_ATTRIBUTE.test(before)) throw new Error('html: attribute values must be double-quoted');
  if (EVENT_HANDLER.test(before)) throw new Error('html: no values in event-handler attributes');
  if (URL_ATTRIBUTE.test(before) && !(typeof value === 'string' && SAME_ORIGIN.test(value))) {
    throw new Error('html: URL attributes take same-origin paths only');
  }
  return renderValue(value);
}

function renderValue(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(renderValue).join('');
  if (typeof value === 'number') return escapeHtml(String(value));
  if (typeof value === 'string') return escapeHtml(value);
  throw new Error(`html: cannot interpolate a ${typeof value}`);
}

/** The markup template: `html\`<td>${name}</td>\`` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  return SafeHtml.fromTemplate(strings, values);
}
