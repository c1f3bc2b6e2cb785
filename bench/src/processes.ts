import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// The plain helpers, not the package index: that one brings vitest fixtures, which only load under vitest.
import { findFreePort } from '@dirsync/testing/redis-server';
import { Redis } from 'ioredis';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const APPS = {
  api: 'apps/ingest-api/dist/main.js',
  worker: 'apps/worker/dist/main.js',
  sim: 'apps/genesys-sim/dist/main.js',
} as const;

export { findFreePort };

export type AppName = keyof typeof APPS;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns true; throws after `timeoutMs` naming `what`. */
export async function waitFor(
  probe: () => Promise<boolean>,
  what: string,
  options: { timeoutMs?: number; intervalMs?: number; failed?: () => string | undefined } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (await probe()) return;
    const failure = options.failed?.();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(options.intervalMs ?? 100);
  }
}

export async function httpOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Peak resident set size (VmHWM) of a live process, in bytes, from /proc. */
export function peakRssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

export interface Child {
  name: string;
  /** `node` apps (their stdout is JSON lines) or other programs. */
  kind: 'node' | 'other';
  process: ChildProcess;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: boolean;
}

export interface ExitRecord {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Still running after the grace period: SIGKILLed. */
  killed: boolean;
  /** It was running when the bench asked it to stop (false: it had exited by itself). */
  stoppedByUs: boolean;
}

export interface RedisHandle {
  url: string;
  child: Child;
  /** A client for the bench itself (inspection, draining checks). */
  client: Redis;
}

/**
 * Every process the bench starts, with its output in a log file (not a pipe: reading pipes would cost the bench
 * CPU on a 2-core machine while it measures). Stops them all on completion, failure and Ctrl-C.
 */
export class ProcessGroup {
  readonly logDir: string;
  private readonly children: Child[] = [];
  /** How each stopped process ended. */
  readonly exits: ExitRecord[] = [];
  private readonly recorded = new Set<Child>();
  private readonly clients: Redis[] = [];
  private readonly tempDirs: string[] = [];
  private counter = 0;

  constructor() {
    this.logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-bench-'));
    // Last resort if the bench dies without running its cleanup: nothing it started may outlive it.
    process.once('exit', () => this.killAllNow());
  }

  /** Starts a built app (`node apps/<app>/dist/main.js`) configured only by its environment. */
  spawnApp(name: string, app: AppName, env: Record<string, string>): Child {
    const entry = path.join(ROOT, APPS[app]);
    if (!fs.existsSync(entry)) throw new Error(`${APPS[app]} is missing: run pnpm build first`);
    return this.spawn(name, process.execPath, [entry], {
      LOG_LEVEL: 'info',
      ...env,
    });
  }

  /** Starts a TypeScript file of the bench as its own Node process (through tsx). */
  spawnScript(name: string, file: string, env: Record<string, string>): Child {
    return this.spawn(name, process.execPath, ['--import', 'tsx', file], env);
  }

  spawn(name: string, command: string, args: string[], env: Record<string, string>): Child {
    const logFile = path.join(this.logDir, `${String(++this.counter).padStart(2, '0')}-${name}.log`);
    const fd = fs.openSync(logFile, 'a');
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      // A program that cannot be started (not on PATH) never emits 'exit'.
      child.once('error', (error) => {
        fs.appendFileSync(logFile, `bench: could not run ${command}: ${error.message}\n`);
        resolve({ code: -1, signal: null });
      });
    });
    const handle: Child = {
      name,
      kind: command === process.execPath ? 'node' : 'other',
      process: child,
      logFile,
      exited,
      get running() {
        return child.exitCode === null && child.signalCode === null;
      },
    };
    this.children.push(handle);
    return handle;
  }

  /** The last lines a child wrote, for error messages. */
  tail(child: Child, lines = 20): string {
    try {
      return fs.readFileSync(child.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no output)';
    }
  }

  /** Throws with the child's last output if it has exited. */
  assertRunning(child: Child): void {
    if (!child.running) {
      throw new Error(
        `${child.name} exited (${child.process.exitCode ?? child.process.signalCode}):\n${this.tail(child)}`,
      );
    }
  }

  /**
   * A private redis-server on a free port: AOF on with `appendfsync everysec` (Redis's default fsync policy and
   * what `appendonly yes` gives in production), RDB snapshots off, `noeviction` as dirsync requires.
   */
  async startRedis(): Promise<RedisHandle> {
    if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
      throw new Error(
        'redis-server is not on PATH: the bench runs its own private Redis (e.g. apt-get install redis-server, brew install redis)',
      );
    }
    const port = await findFreePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-bench-redis-'));
    this.tempDirs.push(dir);
    const child = this.spawn(
      'redis',
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--maxmemory-policy',
        'noeviction',
        '--daemonize',
        'no',
      ],
      {},
    );
    const url = `redis://127.0.0.1:${port}`;
    const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
    client.on('error', () => {});
    this.clients.push(client);
    await waitFor(
      async () => {
        try {
          if (client.status === 'wait' || client.status === 'end') await client.connect();
          return (await client.ping()) === 'PONG';
        } catch {
          return false;
        }
      },
      'redis-server to answer',
      { timeoutMs: 10_000, failed: () => (child.running ? undefined : this.tail(child)) },
    );
    return { url, child, client };
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(
    child: Child,
    graceMs = 30_000,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const stoppedByUs = child.running;
    if (stoppedByUs) child.process.kill('SIGTERM');
    let killed = false;
    const timer = setTimeout(() => {
      if (child.running) {
        killed = true;
        child.process.kill('SIGKILL');
      }
    }, graceMs);
    const exit = await child.exited;
    clearTimeout(timer);
    if (!this.recorded.has(child)) {
      this.recorded.add(child);
      this.exits.push({ name: child.name, ...exit, killed, stoppedByUs });
    }
    return exit;
  }

  /**
   * Lines the Node apps wrote that are not JSON log lines (runtime warnings, stack traces), distinct, with the
   * processes that wrote them.
   */
  strayOutput(): Array<{ line: string; processes: string[] }> {
    const found = new Map<string, Set<string>>();
    for (const child of this.children) {
      if (child.kind !== 'node') continue;
      let text = '';
      try {
        text = fs.readFileSync(child.logFile, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        if (line.trim() === '' || line.startsWith('{')) continue;
        if (line.startsWith('(Use `node --trace-warnings')) continue;
        const names = found.get(line) ?? new Set<string>();
        names.add(child.name);
        found.set(line, names);
      }
    }
    return [...found].map(([line, names]) => ({ line, processes: [...names] }));
  }

  /** Removes the process logs (after a run that needs no looking into). */
  removeLogs(): void {
    fs.rmSync(this.logDir, { recursive: true, force: true });
  }

  /** Stops every process still running: apps first (they drain into Redis), Redis last. */
  async stopAll(): Promise<void> {
    for (const client of this.clients.splice(0)) client.disconnect();
    const redis = this.children.filter((c) => c.name === 'redis');
    const apps = this.children.filter((c) => c.name !== 'redis');
    await Promise.all(apps.map((c) => this.stop(c)));
    await Promise.all(redis.map((c) => this.stop(c)));
    for (const dir of this.tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  }

  private killAllNow(): void {
    for (const c of this.children) if (c.running) c.process.kill('SIGKILL');
  }
}

/** CPU time (user + system) a live process has used so far, in ms, from /proc. */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}

/** USER_HZ: 100 on every Linux the bench targets. */
const CLOCK_TICKS = 100;
