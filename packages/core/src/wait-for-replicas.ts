import type { Cluster, Redis } from 'ioredis';
import { ReplicationTimeoutError } from './replication-timeout-error.js';

/**
 * Resolves once at least `replicas` replicas have every write made so far on this connection (`WAIT replicas
 * timeoutMs`); throws `ReplicationTimeoutError` (retryable) when fewer confirm within `timeoutMs`, including when
 * fewer replicas are connected at all — never a silent downgrade. `replicas` 0 resolves at once without a command.
 *
 * `WAIT` covers the writes of the connection it runs on and holds that connection until it answers: run it on the
 * client that made the writes, and give request paths a client of their own for this, so one request's wait does
 * not hold up another's commands. On a Cluster it runs on every primary's connection (a primary with no writes from
 * this client answers at once), so each primary needs `replicas` replicas.
 */
export async function waitForReplicas(
  redis: Redis | Cluster,
  replicas: number,
  timeoutMs: number,
): Promise<void> {
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw new RangeError(`replicas must be a whole number ≥ 0, got ${replicas}`);
  }
  if (replicas === 0) return;
  // WAIT with timeout 0 blocks forever.
  const timeout = Math.max(1, Math.ceil(timeoutMs));
  const connections = redis.isCluster ? (redis as Cluster).nodes('master') : [redis as Redis];
  if (connections.length === 0) throw new ReplicationTimeoutError(replicas, 0, timeout);
  const answers = await Promise.all(connections.map((connection) => connection.wait(replicas, timeout)));
  const acknowledged = Math.min(...answers);
  if (acknowledged < replicas) {
    throw new ReplicationTimeoutError(
      replicas,
      acknowledged,
      timeout,
      await countConnectedReplicas(connections),
    );
  }
}

/** The fewest replicas any of `connections`' primaries has, for the error message; undefined when unreadable. */
async function countConnectedReplicas(connections: Redis[]): Promise<number | undefined> {
  try {
    const infos = await Promise.all(connections.map((connection) => connection.info('replication')));
    const counts = infos.map((info) => Number(/^connected_slaves:(\d+)/m.exec(info)?.[1] ?? Number.NaN));
    return counts.some(Number.isNaN) ? undefined : Math.min(...counts);
  } catch {
    return undefined;
  }
}
