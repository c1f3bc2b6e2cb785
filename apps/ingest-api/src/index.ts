export { type IngestConfig, loadIngestConfig } from './env.js';
export { createPreview } from './preview.js';
export { type RunningIngestApi, type StartOptions, startIngestApi } from './server.js';
