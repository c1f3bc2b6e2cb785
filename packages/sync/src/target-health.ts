import type { Cluster, Redis } from 'ioredis';
import type { SyncKeys } from './keys.js';

export interface Quarantine {
  reason: 'auth' | 'server';
  detail: string;
  since: string;
  /** What exactly was refused (`credentials`, `read_forbidden`, `writes_forbidden`, `server`), for the dashboard. */
  cause?: string;
  /** A write quarantine: the probe re-sends this person's write instead of a read. */
  probeExternalId?: string;
}

export interface TargetHealthOptions {
  redis: Redis | Cluster;
  keys: SyncKeys;
  /** How long the target may fail (5xx, network) without a single success before the sync is quarantined. */
  serverFailureWindowMs: number;
  /** Called once, by the process that started the quarantine. */
  onQuarantine?: (quarantine: Quarantine) => Promise<void> | void;
}

/**
 * Decides when the target is down for everyone, so the queues pause instead of burning every job's attempts.
 * Shared through Redis: one process's success clears the failure streak of all.
 */
export class TargetHealth {
  private readonly redis: Redis | Cluster;
  private readonly keys: SyncKeys;
  private readonly windowMs: number;
  private readonly onQuarantine: TargetHealthOptions['onQuarantine'];
  /** Whether this process saw a failure since its last success (saves a Redis write per healthy request). */
  private failingLocally = false;

  constructor(options: TargetHealthOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.windowMs = options.serverFailureWindowMs;
    this.onQuarantine = options.onQuarantine;
  }

  /** The target answered sensibly (any answer that is not a 5xx, network error, 401 or 403). */
  async healthy(): Promise<void> {
    if (!this.failingLocally) return;
    this.failingLocally = false;
    await this.redis.del(this.keys.failingSince);
  }

  /** The target failed (5xx or no answer). Quarantines once failures have lasted longer than the window. */
  async failing(detail = 'the target kept failing'): Promise<void> {
    this.failingLocally = true;
    const now = Date.now();
    await this.redis.set(this.keys.failingSince, String(now), 'EX', 24 * 3600, 'NX');
    const since = Number(await this.redis.get(this.keys.failingSince));
    if (Number.isFinite(since) && now - since >= this.windowMs) {
      await this.quarantine(
        'server',
        `${detail} for ${Math.round((now - since) / 1000)} s without a success`,
      );
    }
  }

  /** Starts a quarantine unless one is on; true when this call started it. */
  async quarantine(
    reason: Quarantine['reason'],
    detail: string,
    extra: Pick<Quarantine, 'cause' | 'probeExternalId'> = {},
  ): Promise<boolean> {
    const quarantine: Quarantine = { reason, detail, since: new Date().toISOString(), ...extra };
    const started = (await this.redis.set(this.keys.quarantine, JSON.stringify(quarantine), 'NX')) === 'OK';
    if (started) await this.onQuarantine?.(quarantine);
    return started;
  }

  async current(): Promise<Quarantine | undefined> {
    const raw = await this.redis.get(this.keys.quarantine);
    return raw ? (JSON.parse(raw) as Quarantine) : undefined;
  }

  /** Ends the quarantine (a probe succeeded); true when this call ended it. */
  async lift(): Promise<boolean> {
    this.failingLocally = false;
    const [[, removed] = [null, 0]] =
      (await this.redis.multi().del(this.keys.quarantine).del(this.keys.failingSince).exec()) ?? [];
    return Number(removed) === 1;
  }
}
