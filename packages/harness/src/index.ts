export { APP_ENTRIES, type AppName, REPO_ROOT, resolveAppEntry } from './app-paths.js';
export { describeCheckout } from './checkout.js';
export {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  CHROMIUM_ARGS,
  type ChromiumLocation,
  type ChromiumLookup,
  ChromiumMissingError,
  type ConsoleMessage,
  findChromium,
  HOW_TO_INSTALL_CHROMIUM,
  type LaunchChromiumOptions,
  launchChromium,
  type Page,
  type Response,
  requireChromium,
  withChromium,
} from './chromium.js';
export { ensurePrivateDir, readEnvFile, writePrivateEnvFile } from './env-file.js';
export { findFreePort } from './free-port.js';
export {
  HOW_TO_INSTALL_REDIS,
  hasRedisServerBinary,
  launchRedisServer,
  requireRedisBinaries,
} from './launch-redis-server.js';
export {
  ManagedProcess,
  type ProcessExit,
  type ProcessOutput,
  type StartProcessOptions,
  type StoppedProcess,
} from './managed-process.js';
export {
  openWatchedPage,
  type PageProblems,
  type WatchedPage,
  watchPageProblems,
} from './page-problems.js';
export { pingRedis, waitForRedis } from './ping-redis.js';
export { type ExitRecord, ProcessGroup, type ProcessGroupOptions } from './process-group.js';
export { RedisClusterSet, type RedisClusterSetOptions } from './redis-cluster-set.js';
export { RedisNode } from './redis-node.js';
export { RedisSentinelSet, type RedisSentinelSetOptions } from './redis-sentinel-set.js';
export { RedisServer, type RedisServerOptions } from './redis-server.js';
export { httpOk, type WaitOptions, waitUntil } from './wait-until.js';
