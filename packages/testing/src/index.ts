export {
  findFreePort,
  hasRedisServerBinary,
  RedisClusterSet,
  type RedisClusterSetOptions,
  RedisNode,
  RedisSentinelSet,
  type RedisSentinelSetOptions,
  RedisServer,
  type RedisServerOptions,
  waitForRedis,
  waitUntil,
} from '@dirsync/harness';
export { HOW_TO_GET_REDIS, type ProvidedRedis, provideRedis } from './provide-redis.js';
export { deleteKeysWithPrefix, type RedisFixtures, redisTest, uniquePrefix } from './redis-test.js';
