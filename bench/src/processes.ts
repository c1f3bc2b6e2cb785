import fs from 'node:fs';
import { type ManagedProcess, ProcessGroup, REPO_ROOT, type RedisServer } from '@dirsync/harness';
import { Redis } from 'ioredis';

export const ROOT = REPO_ROOT;

/** A process the bench started (see @dirsync/harness). */
export type Child = ManagedProcess;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The bench's processes: each one's output in a log file, not a pipe (reading pipes would cost the bench CPU on a
 * 2-core machine while it measures); apps log at `info`.
 */
export function createBenchGroup(): ProcessGroup {
  return new ProcessGroup({ output: 'files', appEnv: { LOG_LEVEL: 'info' } });
}

/** Starts a TypeScript file of the bench as its own Node process (through tsx). */
export function spawnScript(
  group: ProcessGroup,
  name: string,
  file: string,
  env: Record<string, string>,
): Child {
  return group.spawn(name, process.execPath, ['--import', 'tsx', file], env);
}

export interface RedisHandle {
  url: string;
  server: RedisServer;
  child: Child;
  /** A client for the bench itself (inspection, draining checks). */
  client: Redis;
}

/**
 * A private redis-server on a free port: AOF with `appendfsync everysec` (Redis's default fsync policy and what
 * `appendonly yes` gives in production), RDB snapshots off, `noeviction` as dirsync requires.
 */
export async function startBenchRedis(group: ProcessGroup): Promise<RedisHandle> {
  const server = await group.startRedis({ appendOnly: 'everysec' });
  const child = server.process;
  if (!child) throw new Error('redis-server is not running');
  const client = new Redis(server.url, { maxRetriesPerRequest: null });
  client.on('error', () => {});
  return { url: server.url, server, child, client };
}

/** Peak resident set size (VmHWM) of a live process, in bytes, from /proc. */
export function peakRssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
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
