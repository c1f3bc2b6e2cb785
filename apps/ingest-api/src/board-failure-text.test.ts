import { describe, expect, it } from 'vitest';
import { boardJobName, oneLineReason } from './board-failure-text.js';

describe('oneLineReason', () => {
  it('keeps a coded reason, masking quoted HR values but not the job’s own externalId', () => {
    expect(oneLineReason('policy_violation: role "admin" for "maria.k" (report rep-1)', 'maria.k')).toBe(
      'policy_violation: role "…" for "maria.k" (report rep-1)',
    );
  });

  it('drops stack frames and file paths and joins the lines', () => {
    const text = [
      'TypeError: x is undefined',
      'while reading C:\\dirsync\\dist\\a.js:3:1 and file:///srv/b.mjs:9',
      '    at run (/srv/dirsync/packages/sync/dist/batch-runner.js:42:7)',
      '    at node:internal/process/task_queues:95:5',
    ].join('\n');
    expect(oneLineReason(text)).toBe('error: TypeError: x is undefined while reading … and …');
  });

  it('gives a reason without a code the code error, and bounds its length', () => {
    expect(oneLineReason('job stalled more than allowable limit')).toBe(
      'error: job stalled more than allowable limit',
    );
    expect(oneLineReason('')).toBe('error: failed without a reason');
    const long = oneLineReason(`sync_error: ${'x'.repeat(1000)}`);
    expect(long).toHaveLength(300);
    expect(long.endsWith('…')).toBe(true);
  });

  it('leaves SCIM paths alone (they are not source files)', () => {
    expect(oneLineReason('scim_error: POST /api/v2/scim/v2/Users answered 500')).toBe(
      'scim_error: POST /api/v2/scim/v2/Users answered 500',
    );
  });
});

describe('boardJobName', () => {
  it('names a job by its person, a batch by its first person and how many more', () => {
    expect(boardJobName({ name: 'sync-user', data: { externalId: 'maria.k' } })).toBe('maria.k');
    expect(boardJobName({ name: 'sync-batch', data: { externalIds: ['a', 'b', 'c'] } })).toBe('a (+2)');
    expect(boardJobName({ name: 'sync-batch', data: { externalIds: ['a'] } })).toBe('a');
    expect(boardJobName({ name: 'sweep', data: {} })).toBe('sweep');
  });
});
