export { loadWorkerConfig, type WorkerConfig } from './env.js';
export { type RunningWorker, type StartWorkerOptions, startWorker } from './worker.js';
