import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AppName, REPO_ROOT, resolveAppEntry } from './app-paths.js';
import { ManagedProcess, type ProcessExit, type ProcessOutput } from './managed-process.js';
import { RedisServer, type RedisServerOptions } from './redis-server.js';

export interface ProcessGroupOptions {
  /**
   * `memory`: output kept as lines (and handed to `onLine`); `files`: one log file per process in a temporary
   * directory, read by nobody while it runs.
   */
  output: 'memory' | 'files';
  onLine?: (name: string, line: string) => void;
  /** Give children this process's whole environment; otherwise only PATH and HOME, so each runs on what it is given. */
  inheritEnv?: boolean;
  /** Environment every app gets unless the call overrides it (e.g. LOG_LEVEL). */
  appEnv?: Record<string, string>;
  /** Called when a process exits while the group is not stopping (a crash, or a kill by a test). */
  onExit?: (process: ManagedProcess, exit: ProcessExit) => void;
}

export interface ExitRecord extends ProcessExit {
  name: string;
  /** Still running after the grace period: SIGKILLed. */
  killed: boolean;
  /** It was running when the group asked it to stop (false: it had exited by itself). */
  stoppedByUs: boolean;
}

/**
 * Every process a run starts — the built apps, helper scripts, private Redis servers — and their orderly end:
 * apps first (they drain into Redis), the simulator after them, Redis last. Nothing outlives the parent.
 */
export class ProcessGroup {
  /** Where the log files are (`files` output). */
  readonly logDir: string | undefined;
  /** How each stopped process ended. */
  readonly exits: ExitRecord[] = [];
  private readonly members: Array<{ process: ManagedProcess; app?: AppName }> = [];
  private readonly redisServers: RedisServer[] = [];
  private readonly recorded = new Set<ManagedProcess>();
  private stopping = false;
  private counter = 0;
  // Last resort if the parent exits without stopping the group: nothing it started may outlive it.
  private readonly killAllNow = () => {
    for (const { process: child } of this.members) if (child.running) child.child.kill('SIGKILL');
    for (const server of this.redisServers) if (server.running) server.process?.child.kill('SIGKILL');
  };

  constructor(private readonly options: ProcessGroupOptions) {
    if (options.output === 'files') this.logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-logs-'));
  }

  /** Every process started so far, in order. */
  get processes(): ManagedProcess[] {
    return this.members.map((m) => m.process);
  }

  /** Starts a built app (`node <entry>`) configured only by its environment. */
  spawnApp(name: string, app: AppName, env: Record<string, string>): ManagedProcess {
    const entry = resolveAppEntry(app);
    return this.spawn(name, process.execPath, [entry], { ...this.options.appEnv, ...env }, app);
  }

  /** Starts any program as a member of the group. */
  spawn(
    name: string,
    command: string,
    args: readonly string[],
    env: Record<string, string>,
    app?: AppName,
  ): ManagedProcess {
    this.guardExit();
    const child = new ManagedProcess({
      name,
      command,
      args,
      env: { ...this.baseEnv(), ...env },
      cwd: REPO_ROOT,
      output: this.outputFor(name),
    });
    this.members.push({ process: child, app });
    void child.exited.then((exit) => {
      if (!this.stopping) this.options.onExit?.(child, exit);
    });
    return child;
  }

  /** Starts a private redis-server (see RedisServer), stopped last by `stopAll`. */
  async startRedis(options: Omit<RedisServerOptions, 'output'> = {}): Promise<RedisServer> {
    this.guardExit();
    const server = await RedisServer.start({ ...options, output: this.outputFor('redis') });
    this.redisServers.push(server);
    const child = server.process;
    void child?.exited.then((exit) => {
      if (!this.stopping && server.process === child) this.options.onExit?.(child, exit);
    });
    return server;
  }

  /** Stops one process (SIGTERM, then SIGKILL after `graceMs`) and records how it ended. */
  async stop(child: ManagedProcess, graceMs = 30_000): Promise<ExitRecord> {
    const stopped = await child.stop('SIGTERM', graceMs);
    const record = { name: child.name, ...stopped };
    if (!this.recorded.has(child)) {
      this.recorded.add(child);
      this.exits.push(record);
    }
    return record;
  }

  /** Stops every process still running: apps first, then the simulator, Redis last. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const apps = this.members.filter((m) => m.app !== 'sim').map((m) => m.process);
    const sims = this.members.filter((m) => m.app === 'sim').map((m) => m.process);
    await Promise.all(apps.map((p) => this.stop(p)));
    await Promise.all(sims.map((p) => this.stop(p)));
    for (const server of this.redisServers.splice(0)) {
      const child = server.process;
      const stopped = await server.dispose();
      if (child && stopped && !this.recorded.has(child)) {
        this.recorded.add(child);
        this.exits.push({ name: child.name, ...stopped });
      }
    }
    process.off('exit', this.killAllNow);
  }

  /**
   * Lines the Node apps wrote that are not JSON log lines (runtime warnings, stack traces), distinct, with the
   * processes that wrote them.
   */
  strayOutput(): Array<{ line: string; processes: string[] }> {
    const found = new Map<string, Set<string>>();
    for (const { process: child } of this.members) {
      if (child.kind !== 'node') continue;
      for (const line of child.output().split('\n')) {
        if (line.trim() === '' || line.startsWith('{')) continue;
        if (line.startsWith('(Use `node --trace-warnings')) continue;
        const names = found.get(line) ?? new Set<string>();
        names.add(child.name);
        found.set(line, names);
      }
    }
    return [...found].map(([line, names]) => ({ line, processes: [...names] }));
  }

  /** Removes the log files (after a run that needs no looking into). */
  removeLogs(): void {
    if (this.logDir) fs.rmSync(this.logDir, { recursive: true, force: true });
  }

  private baseEnv(): Record<string, string | undefined> {
    if (this.options.inheritEnv) return { ...process.env };
    return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  }

  private outputFor(name: string): ProcessOutput {
    if (this.logDir) {
      const file = path.join(this.logDir, `${String(++this.counter).padStart(2, '0')}-${name}.log`);
      return { kind: 'file', file };
    }
    const { onLine } = this.options;
    return { kind: 'lines', onLine: onLine ? (line) => onLine(name, line) : undefined };
  }

  private guardExit(): void {
    if (!process.listeners('exit').includes(this.killAllNow)) process.on('exit', this.killAllNow);
  }
}
