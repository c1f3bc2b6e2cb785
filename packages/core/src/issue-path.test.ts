import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues, formatIssuePath } from './issue-path.js';

describe('formatIssuePath', () => {
  it.each([
    [['events', 0, 'data', 'hireDate'], 'events[0].data.hireDate'],
    [['departments', 'Sales', 1], 'departments.Sales[1]'],
    [['departments', 'Customer Success'], 'departments["Customer Success"]'],
    [[0, 'x'], '[0].x'],
    [['__proto__'], '__proto__'],
  ] as const)('%j reads %s', (path, expected) => {
    expect(formatIssuePath(path)).toBe(expected);
  });

  it('names the whole input when the path is empty', () => {
    expect(formatIssuePath([])).toBe('(top level)');
    expect(formatIssuePath([], '(body)')).toBe('(body)');
  });
});

describe('describeIssues', () => {
  it('lists every zod issue with its path under a prefix', () => {
    const schema = z.object({
      event: z.enum(['user.created']),
      data: z.object({ externalId: z.string().min(1) }),
    });
    const parsed = schema.safeParse({ event: 'user.exploded', data: { externalId: '' } });
    expect(parsed.success).toBe(false);
    const problems = describeIssues(parsed.error?.issues ?? [], { prefix: ['events', 1] });
    expect(problems.map((p) => p.field).sort()).toEqual(['events[1].data.externalId', 'events[1].event']);
    expect(problems.every((p) => p.message.length > 0)).toBe(true);
  });

  it('uses `whole` for an issue about the whole input', () => {
    const parsed = z.object({}).safeParse(7);
    expect(describeIssues(parsed.error?.issues ?? [], { whole: '(body)' })).toEqual([
      { field: '(body)', message: expect.any(String) },
    ]);
  });
});
