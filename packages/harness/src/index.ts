export { APP_ENTRIES, type AppName, REPO_ROOT, resolveAppEntry } from './app-paths.js';
export { describeCheckout } from './checkout.js';
export { ensurePrivateDir, readEnvFile, writePrivateEnvFile } from './env-file.js';
export { findFreePort } from './free-port.js';
export {
  ManagedProcess,
  type ProcessExit,
  type ProcessOutput,
  type StartProcessOptions,
  type StoppedProcess,
} from './managed-process.js';
export { type ExitRecord, ProcessGroup, type ProcessGroupOptions } from './process-group.js';
export {
  HOW_TO_INSTALL_REDIS,
  hasRedisServerBinary,
  pingRedis,
  RedisServer,
  type RedisServerOptions,
  waitForRedis,
} from './redis-server.js';
export { httpOk, type WaitOptions, waitUntil } from './wait-until.js';
