import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

/** Where a process's stdout and stderr go. */
export type ProcessOutput =
  | { kind: 'ignore' }
  /** Appended to a file: no pipe for the parent to read, so measuring costs the parent no CPU. */
  | { kind: 'file'; file: string }
  /** Split into lines, kept in `lines` and handed to `onLine` as they come. */
  | { kind: 'lines'; onLine?: (line: string) => void };

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StoppedProcess extends ProcessExit {
  /** Still running after the grace period: SIGKILLed. */
  killed: boolean;
  /** It was running when asked to stop (false: it had exited by itself). */
  stoppedByUs: boolean;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: readonly string[];
  /** The whole environment of the process (nothing is inherited beyond it). */
  env: Record<string, string | undefined>;
  cwd?: string;
  output: ProcessOutput;
}

/** A child process with its output, its exit, and a stop that escalates to SIGKILL. */
export class ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** `node` programs (the apps, whose stdout is JSON lines) or others. */
  readonly kind: 'node' | 'other';
  /** Output lines so far, with `lines` output. */
  readonly lines: string[] = [];
  readonly logFile: string | undefined;
  readonly exited: Promise<ProcessExit>;

  constructor(options: StartProcessOptions) {
    this.name = options.name;
    this.kind = options.command === process.execPath ? 'node' : 'other';
    const { output } = options;
    this.logFile = output.kind === 'file' ? output.file : undefined;
    const fd = output.kind === 'file' ? fs.openSync(output.file, 'a') : undefined;
    const stdout = fd ?? (output.kind === 'lines' ? 'pipe' : 'ignore');
    this.child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', stdout, stdout],
    });
    if (fd !== undefined) fs.closeSync(fd);
    if (output.kind === 'lines') {
      for (const stream of [this.child.stdout, this.child.stderr]) this.collectLines(stream, output.onLine);
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      // A program that cannot be started (not on PATH) never emits 'exit'.
      this.child.once('error', (error) => {
        this.note(`could not run ${options.command}: ${error.message}`);
        resolve({ code: -1, signal: null });
      });
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined;
  }

  /** Everything it wrote so far. */
  output(): string {
    if (!this.logFile) return this.lines.join('\n');
    try {
      return fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** The last lines it wrote, for error messages. */
  tail(count = 20): string {
    return this.output().trimEnd().split('\n').slice(-count).join('\n') || '(no output)';
  }

  /** Throws with its last output if it has exited. */
  assertRunning(): void {
    if (!this.running) {
      throw new Error(
        `${this.name} exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.tail()}`,
      );
    }
  }

  /** Sends `signal` (SIGTERM: a graceful stop), then SIGKILL after `graceMs`; resolves once it is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<StoppedProcess> {
    const stoppedByUs = this.running;
    if (stoppedByUs) this.child.kill(signal);
    let killed = false;
    const timer = setTimeout(() => {
      if (this.running) {
        killed = true;
        this.child.kill('SIGKILL');
      }
    }, graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return { ...exit, killed, stoppedByUs };
  }

  private collectLines(stream: NodeJS.ReadableStream | null, onLine?: (line: string) => void): void {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        if (line.trim() === '') continue;
        this.lines.push(line);
        onLine?.(line);
      }
    });
  }

  private note(line: string): void {
    if (this.logFile) fs.appendFileSync(this.logFile, `${line}\n`);
    else this.lines.push(line);
  }
}
