import type { Logger } from '@dirsync/core';
import type { Report } from '@dirsync/reports';

const REFUSALS = new Set(['attribute_refused', 'permission_denied', 'sync_failure']);

/**
 * One warn line per target refusal in a batch's report, with the target's correlation id (Genesys support asks for
 * `ININ-Correlation-Id`); ids and SCIM paths only, never HR values.
 */
export function logTargetRefusals(logger: Logger, report: Report): void {
  for (const d of report.discrepancies) {
    if (!REFUSALS.has(d.type) || !d.targetCorrelationId) continue;
    logger.warn(`target refused: ${d.type}`, {
      externalId: d.externalId,
      ...(d.field ? { field: d.field } : {}),
      correlationId: d.correlationId,
      targetCorrelationId: d.targetCorrelationId,
      reportId: report.id,
    });
  }
}
