import { ScimError } from '@dirsync/scim';
import type { Cluster, Redis } from 'ioredis';
import type { SyncKeys } from './keys.js';

/** What an authorization refusal means for the sync. */
export type AuthVerdict =
  /** Not an authorization refusal. */
  | { kind: 'none' }
  /** This person alone: a 403 on a write (a division the OAuth client has no grant for). */
  | { kind: 'person' }
  /** Everyone: stop the sync until a probe succeeds. */
  | { kind: 'quarantine'; cause: 'credentials' | 'read_forbidden' | 'writes_forbidden' };

/**
 * The quarantine decision table. A 401 that survived a token refresh refuses everyone; so does a 403 on a read
 * (the client cannot even look). A 403 on a write concerns one person, until `threshold` different people in a
 * row were refused with no successful write between (`deniedPeople`, this one included).
 */
export function judgeAuthRefusal(
  refusal: { status: number | undefined; method: string },
  deniedPeople: number,
  threshold: number,
): AuthVerdict {
  if (refusal.status === 401) return { kind: 'quarantine', cause: 'credentials' };
  if (refusal.status !== 403) return { kind: 'none' };
  if (refusal.method === 'GET') return { kind: 'quarantine', cause: 'read_forbidden' };
  return deniedPeople >= threshold ? { kind: 'quarantine', cause: 'writes_forbidden' } : { kind: 'person' };
}

/** A 403 on a write: the request was sent, the target refused this person. */
export function isWriteForbidden(error: unknown): error is ScimError {
  return error instanceof ScimError && error.status === 403 && error.details.method !== 'GET';
}

/**
 * The run of write 403s since the last successful write, shared by every process in Redis: the people refused,
 * oldest first (the write quarantine's probe re-sends the oldest one's write).
 */
export class DeniedWrites {
  private readonly redis: Redis | Cluster;
  private readonly keys: SyncKeys;

  constructor(options: { redis: Redis | Cluster; keys: SyncKeys }) {
    this.redis = options.redis;
    this.keys = options.keys;
  }

  /** Records a 403 on a write for `externalId`; answers how many different people are in the run, oldest first. */
  async denied(externalId: string): Promise<string[]> {
    const key = this.keys.deniedWrites;
    const [, [, people] = [null, []]] =
      (await this.redis
        .multi()
        .zadd(key, 'NX', String(Date.now()), externalId)
        .zrange(key, '0', '-1')
        .expire(key, 86_400)
        .exec()) ?? [];
    return people as string[];
  }

  /** A write succeeded (in any process): the run is broken. */
  async written(): Promise<void> {
    await this.redis.del(this.keys.deniedWrites);
  }
}
