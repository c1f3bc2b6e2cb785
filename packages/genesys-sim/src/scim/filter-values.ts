import type { Filter } from 'scim2-parse-filter';

const COMPARISON = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le']);
const LITERALS = new Set(['true', 'false', 'null']);
const TOKEN = /\s+|"(?:[^"\\]|\\.)*"|[()[\]]|[^\s()[\]"]+/y;
const MARK = '\uE001';
const PLACEHOLDER = new RegExp(`^${MARK}(\\d+)${MARK}$`);

export interface ProtectedFilter {
  /** The filter with every comparison value replaced by a plain quoted placeholder. */
  text: string;
  /** Puts the real values back into the parsed filter. */
  restore(filter: Filter): Filter;
}

/**
 * Shields comparison values from scim2-parse-filter's tokenizer, which doubles every backslash inside a quoted
 * string (`"a\\b"` parses as two backslashes, `"a\\"` not at all) and takes no bare values (`externalId eq
 * HR-1`, `userName eq a@b.c`). Each value is decoded here, swapped for a placeholder without escapes, and
 * restored after parsing. Text it cannot tokenize is passed through for the parser to refuse.
 */
export function protectFilterValues(text: string): ProtectedFilter {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (!m) return { text, restore: (f) => f };
    tokens.push(m[0]);
  }
  const values: string[] = [];
  let previous: string | undefined;
  tokens.forEach((token, index) => {
    if (token.trim() === '') return;
    if (previous !== undefined && COMPARISON.has(previous.toLowerCase()) && !/^[()[\]]/.test(token)) {
      let value: unknown = token;
      if (token.startsWith('"')) {
        try {
          value = JSON.parse(token);
        } catch {
          value = undefined;
        }
      } else if (LITERALS.has(token.toLowerCase())) {
        value = undefined;
      }
      if (typeof value === 'string') {
        tokens[index] = `"${MARK}${values.length}${MARK}"`;
        values.push(value);
      }
    }
    previous = token;
  });
  const restore = (filter: Filter): Filter => {
    switch (filter.op) {
      case 'and':
      case 'or':
        return { op: filter.op, filters: filter.filters.map(restore) };
      case 'not':
        return { op: 'not', filter: restore(filter.filter) };
      case '[]':
        return { op: '[]', attrPath: filter.attrPath, valFilter: restore(filter.valFilter) };
      case 'pr':
        return filter;
      default: {
        const m = typeof filter.compValue === 'string' ? PLACEHOLDER.exec(filter.compValue) : null;
        const value = m ? values[Number(m[1])] : undefined;
        return value === undefined ? filter : { ...filter, compValue: value };
      }
    }
  };
  return { text: tokens.join(''), restore };
}
