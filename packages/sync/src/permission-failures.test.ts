import { describe, expect, it } from 'vitest';
import { judgeAuthRefusal } from './permission-failures.js';

describe('judgeAuthRefusal: when refusals quarantine the sync', () => {
  it.each([
    ['a 401 that survived a token refresh', { status: 401, method: 'PATCH' }, 1, 'credentials'],
    ['a 401 on a read', { status: 401, method: 'GET' }, 0, 'credentials'],
    ['a 403 on a read', { status: 403, method: 'GET' }, 0, 'read_forbidden'],
    [
      '403s on writes for 5 different people in a row',
      { status: 403, method: 'PATCH' },
      5,
      'writes_forbidden',
    ],
    [
      '403s on writes for 6 different people in a row',
      { status: 403, method: 'POST' },
      6,
      'writes_forbidden',
    ],
  ])('quarantines on %s', (_what, refusal, people, cause) => {
    expect(judgeAuthRefusal(refusal, people, 5)).toEqual({ kind: 'quarantine', cause });
  });

  it.each([
    ['a 403 on a write for one person', { status: 403, method: 'PATCH' }, 1],
    ['403s on writes for 4 different people', { status: 403, method: 'POST' }, 4],
  ])('fails only the person on %s', (_what, refusal, people) => {
    expect(judgeAuthRefusal(refusal, people, 5)).toEqual({ kind: 'person' });
  });

  it('is not about authorization for other statuses', () => {
    expect(judgeAuthRefusal({ status: 400, method: 'PATCH' }, 9, 5)).toEqual({ kind: 'none' });
    expect(judgeAuthRefusal({ status: undefined, method: 'GET' }, 9, 5)).toEqual({ kind: 'none' });
  });
});
