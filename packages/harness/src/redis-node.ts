import fs from 'node:fs';
import { launchRedisServer } from './launch-redis-server.js';
import type { ManagedProcess } from './managed-process.js';

/**
 * One `redis-server` (data node or sentinel) started from a config file it may rewrite (Sentinel and Cluster do),
 * so it can be stopped — cleanly or as a crash — and started again with what it learnt.
 */
export class RedisNode {
  readonly host = '127.0.0.1';
  readonly port: number;
  readonly configFile: string;
  readonly logFile: string;
  private readonly extraArgs: string[];
  private readonly password: string | undefined;
  private current: ManagedProcess | undefined;

  private constructor(options: {
    port: number;
    configFile: string;
    logFile: string;
    extraArgs: string[];
    password?: string;
  }) {
    this.port = options.port;
    this.configFile = options.configFile;
    this.logFile = options.logFile;
    this.extraArgs = options.extraArgs;
    this.password = options.password;
  }

  /** Writes `config` (plus port, loopback bind and log file) to `configFile` and starts the server from it. */
  static async start(options: {
    port: number;
    configFile: string;
    config: string[];
    /** e.g. `--sentinel`. */
    extraArgs?: string[];
    /** The server's `requirepass`, so readiness can be checked. */
    password?: string;
  }): Promise<RedisNode> {
    const logFile = options.configFile.replace(/\.conf$/, '.log');
    const lines = [`port ${options.port}`, 'bind 127.0.0.1', `logfile ${logFile}`, ...options.config];
    fs.writeFileSync(options.configFile, `${lines.join('\n')}\n`);
    const node = new RedisNode({ ...options, logFile, extraArgs: options.extraArgs ?? [] });
    await node.startAgain();
    return node;
  }

  /** `redis://` URL of this server, with its password. */
  get url(): string {
    const auth = this.password ? `:${encodeURIComponent(this.password)}@` : '';
    return `redis://${auth}${this.host}:${this.port}`;
  }

  get running(): boolean {
    return this.current?.running ?? false;
  }

  /** Starts the process (again, after `stop`) from its config file; resolves when it answers PING. */
  async startAgain(): Promise<void> {
    this.current = await launchRedisServer({
      args: [this.configFile, ...this.extraArgs],
      url: this.url,
      logTail: () => this.logTail(),
    });
  }

  /** Stops the process; SIGKILL simulates a crash. Falls back to SIGKILL when it has not exited after 5 s. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.stop(signal, 5_000);
  }

  /** The end of the server's log, for error messages. */
  logTail(lines = 20): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
