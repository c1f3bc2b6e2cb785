import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort } from './free-port.js';
import { requireRedisBinaries } from './launch-redis-server.js';
import { RedisNode } from './redis-node.js';
import { waitUntil } from './wait-until.js';

export interface RedisSentinelSetOptions {
  /** Master name the sentinels monitor (default `dirsync-test`). */
  masterName?: string;
  /** Replicas of the primary (default 2). */
  replicas?: number;
  /** Sentinels (default 3; quorum is a majority of them). */
  sentinels?: number;
  /** `sentinel down-after-milliseconds` (default 1000; Redis's own default is 30 s). */
  downAfterMs?: number;
  /** `requirepass` of the data nodes. */
  password?: string;
  /** `requirepass` of the sentinels. */
  sentinelPassword?: string;
}

/**
 * A Sentinel-managed primary for tests, from `redis-server` on PATH: a primary, its replicas and sentinels on free
 * loopback ports, each with its own config file in a temporary directory. Data nodes allow `DEBUG` (to make a
 * replica lag with `DEBUG SLEEP`). `stop()` kills every process and removes the directory.
 */
export class RedisSentinelSet {
  readonly masterName: string;
  readonly dir: string;
  /** Data nodes; the first started as primary (see `primary()` for the current one). */
  readonly dataNodes: RedisNode[];
  readonly sentinelNodes: RedisNode[];
  readonly password: string | undefined;
  readonly sentinelPassword: string | undefined;

  private constructor(
    options: RedisSentinelSetOptions & { masterName: string },
    dir: string,
    dataNodes: RedisNode[],
    sentinelNodes: RedisNode[],
  ) {
    this.masterName = options.masterName;
    this.password = options.password;
    this.sentinelPassword = options.sentinelPassword;
    this.dir = dir;
    this.dataNodes = dataNodes;
    this.sentinelNodes = sentinelNodes;
  }

  /** Starts the set and resolves when every replica is in sync and every sentinel sees all the others. */
  static async start(options: RedisSentinelSetOptions = {}): Promise<RedisSentinelSet> {
    requireRedisBinaries('The Sentinel tests', ['redis-server']);
    const masterName = options.masterName ?? 'dirsync-test';
    const replicaCount = options.replicas ?? 2;
    const sentinelCount = options.sentinels ?? 3;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-sentinel-'));
    const set = new RedisSentinelSet({ ...options, masterName }, dir, [], []);
    try {
      const auth = options.password
        ? [`requirepass ${options.password}`, `masterauth ${options.password}`]
        : [];
      const dataConfig = [
        `dir ${dir}`,
        'save ""',
        'appendonly no',
        'enable-debug-command yes',
        'repl-diskless-sync no',
        ...auth,
      ];
      const primaryPort = await findFreePort();
      set.dataNodes.push(await set.startDataNode(primaryPort, dataConfig));
      for (let i = 0; i < replicaCount; i++) {
        const port = await findFreePort();
        set.dataNodes.push(
          await set.startDataNode(port, [...dataConfig, `replicaof 127.0.0.1 ${primaryPort}`]),
        );
      }
      const sentinelConfig = [
        `dir ${dir}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${primaryPort} ${Math.floor(sentinelCount / 2) + 1}`,
        `sentinel down-after-milliseconds ${masterName} ${options.downAfterMs ?? 1000}`,
        `sentinel failover-timeout ${masterName} 5000`,
        `sentinel parallel-syncs ${masterName} ${replicaCount}`,
        ...(options.password ? [`sentinel auth-pass ${masterName} ${options.password}`] : []),
        ...(options.sentinelPassword ? [`requirepass ${options.sentinelPassword}`] : []),
      ];
      for (let i = 0; i < sentinelCount; i++) {
        const port = await findFreePort();
        set.sentinelNodes.push(
          await RedisNode.start({
            port,
            configFile: path.join(dir, `sentinel-${port}.conf`),
            config: sentinelConfig,
            extraArgs: ['--sentinel'],
            password: options.sentinelPassword,
          }),
        );
      }
      await set.waitUntilSettled();
      return set;
    } catch (error) {
      await set.stop();
      throw error;
    }
  }

  private startDataNode(port: number, config: string[]): Promise<RedisNode> {
    return RedisNode.start({
      port,
      configFile: path.join(this.dir, `redis-${port}.conf`),
      config: [...config, `dbfilename dump-${port}.rdb`],
      password: this.password,
    });
  }

  /** `host:port` of each sentinel. */
  get sentinels(): { host: string; port: number }[] {
    return this.sentinelNodes.map((s) => ({ host: s.host, port: s.port }));
  }

  /** The topology `createRedisClient` takes (structurally `RedisTopology` of `@dirsync/core`). */
  get topology() {
    return {
      kind: 'sentinel' as const,
      sentinels: this.sentinels,
      masterName: this.masterName,
      ...(this.sentinelPassword ? { sentinelPassword: this.sentinelPassword } : {}),
      ...(this.password ? { password: this.password } : {}),
    };
  }

  /** The environment variables (contract names) that point an app at this set. */
  get env(): Record<string, string> {
    return {
      REDIS_SENTINELS: this.sentinels.map((s) => `${s.host}:${s.port}`).join(','),
      REDIS_SENTINEL_MASTER: this.masterName,
      ...(this.sentinelPassword ? { REDIS_SENTINEL_PASSWORD: this.sentinelPassword } : {}),
    };
  }

  /** The data node on `port`. */
  node(port: number): RedisNode {
    const node = this.dataNodes.find((n) => n.port === port);
    if (!node) throw new Error(`no data node on port ${port}`);
    return node;
  }

  /** The primary as the sentinels' majority reports it now. */
  async primary(): Promise<RedisNode> {
    const answers = await Promise.all(
      this.sentinelNodes.filter((s) => s.running).map((s) => this.askSentinel(s, 'get-master-addr-by-name')),
    );
    const ports = answers.map((a) => Number((a as string[] | null)?.[1]));
    const port = ports.find((p) => ports.filter((q) => q === p).length > ports.length / 2);
    if (port === undefined) throw new Error(`sentinels disagree about the primary: ${ports.join(', ')}`);
    return this.node(port);
  }

  /**
   * Resolves with the new primary once the sentinels have promoted a node other than `formerPort` and that node
   * answers as primary; rejects after `timeoutMs`.
   */
  async waitForPromotion(formerPort: number, timeoutMs = 30_000): Promise<RedisNode> {
    const promoted = await waitUntil(
      async () => {
        const primary = await this.primary();
        if (primary.port === formerPort || !primary.running) return undefined;
        return (await this.roleOf(primary)) === 'master' ? primary : undefined;
      },
      (value) => value !== undefined,
      { what: `a replica of ${formerPort} to be promoted`, timeoutMs, intervalMs: 50, retryErrors: true },
    );
    if (!promoted) throw new Error(`no replica of ${formerPort} was promoted`);
    return promoted;
  }

  /** `master` or `slave`, as the node itself says (`ROLE`). */
  async roleOf(node: RedisNode): Promise<string> {
    const client = this.connect(node.url);
    try {
      const role = (await client.call('ROLE')) as unknown[];
      return String(role[0]);
    } finally {
      client.disconnect();
    }
  }

  private async askSentinel(sentinel: RedisNode, ...args: string[]): Promise<unknown> {
    const client = this.connect(sentinel.url);
    try {
      return await client.call('SENTINEL', ...args, this.masterName);
    } finally {
      client.disconnect();
    }
  }

  private connect(url: string): Redis {
    const client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    return client;
  }

  /**
   * Resolves when every running sentinel sees the current primary, its replicas (none down, links up) and the other
   * sentinels; rejects after `timeoutMs`. A test calls it before a failover it means to cause.
   */
  async waitUntilSettled(timeoutMs = 30_000): Promise<void> {
    const sentinels = this.sentinelNodes.filter((s) => s.running);
    const replicas = this.dataNodes.filter((n) => n.running).length - 1;
    await waitUntil(
      async () => {
        for (const sentinel of sentinels) {
          const master = fieldsOf((await this.askSentinel(sentinel, 'master')) as string[]);
          if (Number(master.get('num-other-sentinels')) !== sentinels.length - 1) return undefined;
          const seen = ((await this.askSentinel(sentinel, 'replicas')) as string[][]).map(fieldsOf);
          const healthy = seen.filter(
            (r) =>
              !/s_down|o_down|disconnected/.test(r.get('flags') ?? '') &&
              r.get('master-link-status') === 'ok',
          );
          if (healthy.length !== replicas) return undefined;
        }
        return true;
      },
      (value) => value !== undefined,
      {
        what: `the Sentinel set to settle (${replicas} healthy replicas, ${sentinels.length} sentinels aware)`,
        timeoutMs: timeoutMs,
        intervalMs: 50,
        retryErrors: true,
      },
    );
  }

  /** Kills every process and removes the temporary directory. */
  async stop(): Promise<void> {
    await Promise.all([...this.sentinelNodes, ...this.dataNodes].map((n) => n.stop('SIGKILL')));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A Sentinel reply's flat `name, value, …` list as a map. */
function fieldsOf(flat: string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(String(flat[i]), String(flat[i + 1]));
  return fields;
}
