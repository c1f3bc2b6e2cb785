export {
  findFreePort,
  hasRedisServerBinary,
  RedisServer,
  type RedisServerOptions,
  waitForRedis,
} from '@dirsync/harness';
export { HOW_TO_GET_REDIS, type ProvidedRedis, provideRedis } from './provide-redis.js';
export { deleteKeysWithPrefix, type RedisFixtures, redisTest, uniquePrefix } from './redis-test.js';
