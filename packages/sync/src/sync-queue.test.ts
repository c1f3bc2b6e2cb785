import { MAX_USERS_PER_JOB } from '@dirsync/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TRIGGER_SPREAD, triggerChunks } from './sync-queue.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `HR-${i}`);

describe('triggerChunks', () => {
  it('spreads a small group over several jobs so every worker process can take a share', () => {
    expect(triggerChunks(ids(16)).map((c) => c.length)).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(triggerChunks(ids(3)).map((c) => c.length)).toEqual([1, 1, 1]);
    expect(triggerChunks(ids(1))).toEqual([['HR-0']]);
    expect(triggerChunks([])).toEqual([]);
  });

  it('fills jobs of 25 for a batch delivery, as before', () => {
    expect(triggerChunks(ids(100)).map((c) => c.length)).toEqual([25, 25, 25, 25]);
  });

  it('keeps every person once, in order, never more than 25 to a job', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), (n) => {
        const chunks = triggerChunks(ids(n));
        expect(chunks.flat()).toEqual(ids(n));
        expect(chunks.every((c) => c.length >= 1 && c.length <= MAX_USERS_PER_JOB)).toBe(true);
        if (n <= MAX_USERS_PER_JOB) expect(chunks.length).toBe(Math.min(n, TRIGGER_SPREAD));
      }),
    );
  });
});
