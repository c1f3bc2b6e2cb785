import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

/** Asks the OS for a free TCP port on loopback. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address && typeof address === 'object') {
        const { port } = address;
        server.close(() => resolve(port));
      } else {
        server.close(() => reject(new Error('could not read the port of a probe socket')));
      }
    });
  });
}

/** True when `redis-server` can be started from PATH. */
export function hasRedisServerBinary(): boolean {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return probe.status === 0;
}

/** Resolves once `url` answers PING, or rejects after `timeoutMs`. */
export async function waitForRedis(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (error) {
      lastError = error;
    } finally {
      client.disconnect();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Redis at ${url} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

export interface RedisServerOptions {
  port?: number;
  /** Directory for the AOF; a temporary one when omitted. */
  dir?: string;
  /** `appendonly yes` with `appendfsync always`, for tests that restart Redis and expect nothing lost. */
  appendOnly?: boolean;
}

/** A private `redis-server` child process that can be stopped and started again on the same port and data. */
export class RedisServer {
  readonly port: number;
  readonly dir: string;
  readonly url: string;
  private readonly appendOnly: boolean;
  private readonly ownsDir: boolean;
  private child: ChildProcess | undefined;

  private constructor(port: number, dir: string, appendOnly: boolean, ownsDir: boolean) {
    this.port = port;
    this.dir = dir;
    this.appendOnly = appendOnly;
    this.ownsDir = ownsDir;
    this.url = `redis://127.0.0.1:${port}`;
  }

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const port = options.port ?? (await findFreePort());
    const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-redis-'));
    fs.mkdirSync(dir, { recursive: true });
    const server = new RedisServer(port, dir, options.appendOnly ?? false, options.dir === undefined);
    await server.startProcess();
    return server;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process again (after `stop`) on the same port and data directory. */
  async startProcess(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--daemonize',
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--appendonly',
      this.appendOnly ? 'yes' : 'no',
    ];
    if (this.appendOnly) args.push('--appendfsync', 'always');
    const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    await waitForRedis(this.url);
  }

  /** Stops the process; SIGKILL simulates a crash, SIGTERM a clean shutdown. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
    this.child = undefined;
  }

  /** Stops the process and removes a temporary data directory. */
  async dispose(): Promise<void> {
    await this.stop();
    if (this.ownsDir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
