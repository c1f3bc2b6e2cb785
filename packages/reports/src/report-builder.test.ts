import { describe, expect, it } from 'vitest';
import { ReportBuilder } from './report-builder.js';

describe('ReportBuilder', () => {
  it('counts each person under exactly one outcome, the latest recorded', () => {
    const builder = new ReportBuilder({
      id: 'r1',
      kind: 'sync',
      now: () => new Date('2026-11-28T10:00:00Z'),
    });
    builder.record({ externalId: 'a', outcome: 'created' });
    builder.record({ externalId: 'b', outcome: 'failed' }, [
      { externalId: 'b', correlationId: 'evt-b', type: 'policy_violation', detail: 'role admin not allowed' },
    ]);
    builder.record({ externalId: 'a', outcome: 'updated' });
    builder.markCoalesced('c');
    builder.markCoalesced('a');
    const report = builder.build();
    expect(report.counts).toEqual({
      created: 0,
      updated: 1,
      unchanged: 0,
      deactivated: 0,
      reactivated: 0,
      skipped: 0,
      failed: 1,
    });
    expect(report.generatedAt).toBe('2026-11-28T10:00:00.000Z');
    expect(report.discrepancies).toHaveLength(1);
    expect(report.coalesced).toEqual(['c']);
    expect(report.people.map((p) => p.externalId)).toEqual(['a', 'b']);
  });
});
