/** A 1-based line and column in a source text. */
export interface SourceLocation {
  line: number;
  column: number;
}

/** The 1-based line and column of the character at `offset` (0-based) in `source`. */
export function locate(source: string, offset: number): SourceLocation {
  const at = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

/**
 * Where a JSONata error or AST node points. JSONata's `position` counts the characters up to the *end* of the
 * offending token, so the token's start is found by matching the token (bare, or quoted for a string) just before
 * `position`; failing that, the character just before `position`.
 */
export function locateJsonataPosition(source: string, position: number, token?: unknown): SourceLocation {
  if (typeof token === 'string' || typeof token === 'number') {
    const text = String(token);
    for (const candidate of [text, `"${text}"`, `'${text}'`]) {
      if (text !== '' && source.slice(position - candidate.length, position) === candidate) {
        return locate(source, position - candidate.length);
      }
    }
  }
  return locate(source, position - 1);
}
