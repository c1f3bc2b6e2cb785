export {
  type Counts,
  type DeletionBrake,
  type Discrepancy,
  type DiscrepancyType,
  DRIFT_DISCREPANCY_TYPES,
  emptyCounts,
  OUTCOMES,
  type Outcome,
  type PersonResult,
  type Report,
  SYNC_DISCREPANCY_TYPES,
} from './model.js';
export { ReportBuilder, type ReportBuilderOptions } from './report-builder.js';
export {
  type ReportFilter,
  ReportStore,
  type ReportStoreOptions,
  type ReportSummary,
} from './report-store.js';
