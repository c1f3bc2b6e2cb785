import { describe, expect, it } from 'vitest';
import { locate, locateJsonataPosition } from './source-position.js';

describe('source positions', () => {
  const source = 'ab\ncde\n\nf';

  it('turns a character offset into a 1-based line and column', () => {
    expect(locate(source, 0)).toEqual({ line: 1, column: 1 });
    expect(locate(source, 2)).toEqual({ line: 1, column: 3 });
    expect(locate(source, 3)).toEqual({ line: 2, column: 1 });
    expect(locate(source, 8)).toEqual({ line: 4, column: 1 });
    expect(locate(source, 99)).toEqual({ line: 4, column: 2 });
    expect(locate(source, -5)).toEqual({ line: 1, column: 1 });
  });

  it('reads JSONata positions, which point past the end of the token', () => {
    expect(locateJsonataPosition('x +\n  foo', 9, 'foo')).toEqual({ line: 2, column: 3 });
    expect(locateJsonataPosition('{\n "title" 1}', 10, 'title')).toEqual({ line: 2, column: 2 });
    expect(locateJsonataPosition('{\n}', 3, '}')).toEqual({ line: 2, column: 1 });
    expect(locateJsonataPosition('abc', 3)).toEqual({ line: 1, column: 3 });
  });
});
