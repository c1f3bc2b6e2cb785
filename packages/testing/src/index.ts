export { HOW_TO_GET_REDIS, type ProvidedRedis, provideRedis } from './provide-redis.js';
export {
  findFreePort,
  hasRedisServerBinary,
  RedisServer,
  type RedisServerOptions,
  waitForRedis,
} from './redis-server.js';
export { deleteKeysWithPrefix, type RedisFixtures, redisTest, uniquePrefix } from './redis-test.js';
