export { sleep } from './abortable-sleep.js';
export {
  type Env,
  envFlag,
  envHttpUrl,
  envInt,
  envList,
  envLogLevel,
  envPort,
  envRedisUrl,
  envString,
  LOG_LEVELS,
  parseEnv,
  unsetIfEmpty,
} from './env.js';
export { ConfigError, type ConfigProblem, DirsyncError, FileLoadError } from './errors.js';
export { describeIssues, type FieldProblem, formatIssuePath, type PathIssue } from './issue-path.js';
export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export { describeReadFailure } from './read-failure.js';
export { REDACTED, redact, redactString, withoutQuotedValues } from './redact.js';
export {
  createRedis,
  createRedisClient,
  type RedisClient,
  type RedisConnectionOptions,
} from './redis.js';
export { hashTagOf, parseHostPortList, type RedisNodeAddress, type RedisTopology } from './redis-topology.js';
export { redisTopologyEnv } from './redis-topology-env.js';
export { ReplicationTimeoutError } from './replication-timeout-error.js';
export { runService, type StartedService } from './run-service.js';
export { commonEnv, loginUrlFor, sharedEngineSettings, syncEnv, targetEnv } from './service-env.js';
export { waitForReplicas } from './wait-for-replicas.js';
