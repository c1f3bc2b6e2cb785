import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { findFreePort } from './free-port.js';
import { requireRedisBinaries } from './launch-redis-server.js';
import { RedisNode } from './redis-node.js';
import { waitUntil } from './wait-until.js';

const run = promisify(execFile);

export interface RedisClusterSetOptions {
  /** Primaries, each holding a share of the slots (default 3, the fewest `redis-cli --cluster create` takes). */
  primaries?: number;
  /** `requirepass` (and `masterauth`) of every node. */
  password?: string;
}

/**
 * A Redis Cluster for tests, from `redis-server` and `redis-cli` on PATH: primaries on free loopback ports (client
 * and bus ports both chosen free), joined with `redis-cli --cluster create … --cluster-replicas 0`. `stop()` kills
 * every process and removes the temporary directory.
 */
export class RedisClusterSet {
  readonly dir: string;
  readonly nodeProcesses: RedisNode[];
  readonly password: string | undefined;

  private constructor(dir: string, password: string | undefined) {
    this.dir = dir;
    this.password = password;
    this.nodeProcesses = [];
  }

  /** Starts the nodes, creates the cluster and resolves when every node reports `cluster_state:ok`. */
  static async start(options: RedisClusterSetOptions = {}): Promise<RedisClusterSet> {
    requireRedisBinaries('The Redis Cluster tests', ['redis-server', 'redis-cli']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-cluster-'));
    const set = new RedisClusterSet(dir, options.password);
    try {
      for (let i = 0; i < (options.primaries ?? 3); i++) {
        const port = await findFreePort();
        // The bus port defaults to port + 10000, which nobody checked was free.
        const busPort = await findFreePort();
        set.nodeProcesses.push(
          await RedisNode.start({
            port,
            configFile: path.join(dir, `redis-${port}.conf`),
            config: [
              `dir ${dir}`,
              'save ""',
              'appendonly no',
              'cluster-enabled yes',
              `cluster-config-file nodes-${port}.conf`,
              `cluster-port ${busPort}`,
              'cluster-node-timeout 2000',
              'enable-debug-command yes',
              ...(options.password
                ? [`requirepass ${options.password}`, `masterauth ${options.password}`]
                : []),
            ],
            password: options.password,
          }),
        );
      }
      const auth = options.password ? ['-a', options.password, '--no-auth-warning'] : [];
      await run(
        'redis-cli',
        [
          ...auth,
          '--cluster',
          'create',
          ...set.nodes.map((n) => `${n.host}:${n.port}`),
          '--cluster-replicas',
          '0',
          '--cluster-yes',
        ],
        { timeout: 30_000 },
      );
      await set.waitUntilReady(30_000);
      return set;
    } catch (error) {
      await set.stop();
      throw error;
    }
  }

  /** `host:port` of each node. */
  get nodes(): { host: string; port: number }[] {
    return this.nodeProcesses.map((n) => ({ host: n.host, port: n.port }));
  }

  /** The topology `createRedisClient` takes (structurally `RedisTopology` of `@dirsync/core`). */
  get topology() {
    return {
      kind: 'cluster' as const,
      nodes: this.nodes,
      ...(this.password ? { password: this.password } : {}),
    };
  }

  /** The environment variables (contract names) that point an app at this cluster. */
  get env(): Record<string, string> {
    return { REDIS_CLUSTER_NODES: this.nodes.map((n) => `${n.host}:${n.port}`).join(',') };
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    await waitUntil(
      async () => {
        for (const node of this.nodeProcesses) {
          const client = new Redis(node.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
          client.on('error', () => {});
          try {
            const info = String(await client.call('CLUSTER', 'INFO'));
            if (!info.includes('cluster_state:ok')) return undefined;
            if (!info.includes(`cluster_known_nodes:${this.nodeProcesses.length}`)) return undefined;
          } finally {
            client.disconnect();
          }
        }
        return true;
      },
      (value) => value !== undefined,
      { what: 'cluster_state:ok on every node', timeoutMs: timeoutMs, intervalMs: 50, retryErrors: true },
    );
  }

  /** Kills every node and removes the temporary directory. */
  async stop(): Promise<void> {
    await Promise.all(this.nodeProcesses.map((n) => n.stop('SIGKILL')));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
