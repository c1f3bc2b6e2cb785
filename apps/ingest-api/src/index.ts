export { type IngestConfig, loadIngestConfig } from './env.js';
