import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { hasRedisServerBinary, waitForRedis } from '@dirsync/harness';

/** Every `redis-server` these launchers started and have not yet seen exit. */
const live = new Set<ChildProcess>();

// A test run that dies before its afterAll must not leave servers behind on the machine.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Throws a message naming the missing prerequisite and how to get it, so a suite that needs several Redis servers
 * fails clearly instead of timing out.
 */
export function requireRedisBinaries(suite: string, binaries: ('redis-server' | 'redis-cli')[]): void {
  for (const binary of binaries) {
    const found =
      binary === 'redis-server'
        ? hasRedisServerBinary()
        : spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
    if (!found) {
      throw new Error(
        `${suite} need ${binary} (Redis 7) on PATH: apt-get install redis-server (Debian/Ubuntu) or brew install redis (macOS)`,
      );
    }
  }
}

/** One `redis-server` child (data node or sentinel) started from a config file it may rewrite. */
export class RedisProcess {
  readonly host = '127.0.0.1';
  readonly port: number;
  readonly configFile: string;
  readonly logFile: string;
  private readonly extraArgs: string[];
  private readonly password: string | undefined;
  private child: ChildProcess | undefined;

  private constructor(
    port: number,
    configFile: string,
    logFile: string,
    extraArgs: string[],
    password?: string,
  ) {
    this.port = port;
    this.configFile = configFile;
    this.logFile = logFile;
    this.extraArgs = extraArgs;
    this.password = password;
  }

  /** Writes `config` (plus port, loopback bind and log file) to `configFile` and starts the server from it. */
  static async start(options: {
    port: number;
    configFile: string;
    config: string[];
    extraArgs?: string[];
    /** The server's `requirepass`, so readiness can be checked. */
    password?: string;
  }): Promise<RedisProcess> {
    const logFile = options.configFile.replace(/\.conf$/, '.log');
    const lines = [`port ${options.port}`, 'bind 127.0.0.1', `logfile ${logFile}`, ...options.config];
    fs.writeFileSync(options.configFile, `${lines.join('\n')}\n`);
    const node = new RedisProcess(
      options.port,
      options.configFile,
      logFile,
      options.extraArgs ?? [],
      options.password,
    );
    await node.startAgain();
    return node;
  }

  /** `redis://` URL of this server, with its password. */
  get url(): string {
    const auth = this.password ? `:${encodeURIComponent(this.password)}@` : '';
    return `redis://${auth}${this.host}:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process (again, after `stop`) from its config file; resolves when it answers PING. */
  async startAgain(): Promise<void> {
    const child = spawn('redis-server', [this.configFile, ...this.extraArgs], { stdio: 'ignore' });
    this.child = child;
    live.add(child);
    child.once('exit', () => live.delete(child));
    try {
      await waitForRedis(this.url, 10_000);
    } catch (error) {
      throw new Error(`redis-server on port ${this.port} did not start: ${String(error)}\n${this.logTail()}`);
    }
  }

  /** Stops the process; SIGKILL simulates a crash. Falls back to SIGKILL when it has not exited after 5 s. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const fallback = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(fallback);
    this.child = undefined;
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
