export {
  type Browser,
  type BrowserContext,
  findFreePort,
  hasRedisServerBinary,
  openWatchedPage,
  type Page,
  type PageProblems,
  RedisClusterSet,
  type RedisClusterSetOptions,
  RedisNode,
  RedisSentinelSet,
  type RedisSentinelSetOptions,
  RedisServer,
  type RedisServerOptions,
  type WatchedPage,
  waitForRedis,
  waitUntil,
  watchPageProblems,
} from '@dirsync/harness';
export {
  CHROMIUM_NOTE,
  type ChromiumSuite,
  type ChromiumSuitePlan,
  describeWithChromium,
  planChromiumSuite,
} from './chromium-suite.js';
export { isCi, type NotRunNote, notRunTitle } from './not-run-note.js';
export { HOW_TO_GET_REDIS, type ProvidedRedis, provideRedis } from './provide-redis.js';
export { deleteKeysWithPrefix, type RedisFixtures, redisTest, uniquePrefix } from './redis-test.js';
