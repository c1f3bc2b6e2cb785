export {
  findFreePort,
  hasRedisServerBinary,
  RedisServer,
  type RedisServerOptions,
  waitForRedis,
} from '@dirsync/harness';
export { pollUntil } from './poll-until.js';
export { HOW_TO_GET_REDIS, type ProvidedRedis, provideRedis } from './provide-redis.js';
export { RedisClusterSet, type RedisClusterSetOptions } from './redis-cluster-set.js';
export { RedisProcess } from './redis-process.js';
export { RedisSentinelSet, type RedisSentinelSetOptions } from './redis-sentinel-set.js';
export { deleteKeysWithPrefix, type RedisFixtures, redisTest, uniquePrefix } from './redis-test.js';
