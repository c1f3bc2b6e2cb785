import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from './free-port.js';
import { HOW_TO_INSTALL_REDIS, hasRedisServerBinary, launchRedisServer } from './launch-redis-server.js';
import type { ManagedProcess, ProcessOutput, StoppedProcess } from './managed-process.js';

export interface RedisServerOptions {
  port?: number;
  /** Interface to listen on; loopback by default. */
  bind?: string;
  /** Directory for the AOF; a temporary one (removed by `dispose`) when omitted. */
  dir?: string;
  /**
   * AOF fsync policy: `always` for tests that restart Redis and expect nothing lost, `everysec` (Redis's default,
   * what production runs); `true` means `always`; off when omitted. RDB snapshots are always off.
   */
  appendOnly?: boolean | 'always' | 'everysec';
  /** Where its output goes; discarded by default. */
  output?: ProcessOutput;
}

/**
 * A private `redis-server` child process (`noeviction`, as dirsync requires) that can be stopped — cleanly or as
 * a crash — and started again on the same port and data.
 */
export class RedisServer {
  readonly port: number;
  readonly dir: string;
  readonly url: string;
  private readonly bind: string;
  private readonly fsync: 'always' | 'everysec' | undefined;
  private readonly ownsDir: boolean;
  private readonly output: ProcessOutput;
  private current: ManagedProcess | undefined;

  private constructor(port: number, dir: string, options: RedisServerOptions) {
    this.port = port;
    this.dir = dir;
    this.bind = options.bind ?? '127.0.0.1';
    this.url = `redis://${this.bind === '0.0.0.0' ? '127.0.0.1' : this.bind}:${port}`;
    this.fsync = options.appendOnly === true ? 'always' : options.appendOnly || undefined;
    this.ownsDir = options.dir === undefined;
    this.output = options.output ?? { kind: 'ignore' };
  }

  /** Starts a server and resolves once it answers; throws a clear error when `redis-server` is not on PATH. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    if (!hasRedisServerBinary()) {
      throw new Error(`redis-server is not on PATH (install it: ${HOW_TO_INSTALL_REDIS})`);
    }
    const port = options.port ?? (await findFreePort());
    const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-redis-'));
    fs.mkdirSync(dir, { recursive: true });
    const server = new RedisServer(port, dir, options);
    await server.startProcess();
    return server;
  }

  /** The running process, if any. */
  get process(): ManagedProcess | undefined {
    return this.current;
  }

  get running(): boolean {
    return this.current?.running ?? false;
  }

  /** Starts the process again (after `stop`) on the same port and data directory. */
  async startProcess(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', this.bind, '--dir', this.dir, '--save', ''];
    args.push('--daemonize', 'no', '--maxmemory-policy', 'noeviction');
    args.push('--appendonly', this.fsync ? 'yes' : 'no');
    if (this.fsync) args.push('--appendfsync', this.fsync);
    this.current = await launchRedisServer({ args, url: this.url, output: this.output });
  }

  /** Stops the process; SIGKILL simulates a crash, SIGTERM a clean shutdown. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<StoppedProcess | undefined> {
    const child = this.current;
    if (!child) return undefined;
    const stopped = await child.stop(signal);
    this.current = undefined;
    return stopped;
  }

  /** Stops the process and removes a temporary data directory. */
  async dispose(): Promise<StoppedProcess | undefined> {
    const stopped = await this.stop();
    if (this.ownsDir) fs.rmSync(this.dir, { recursive: true, force: true });
    return stopped;
  }
}
