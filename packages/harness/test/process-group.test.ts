import { describe, expect, it } from 'vitest';
import { type ManagedProcess, ProcessGroup, pingRedis, waitUntil } from '../src/index.js';

// A program that says it is ready, then exits 0 on SIGTERM, as the apps do.
const GRACEFUL = `console.log('ready'); process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000);`;

describe('ProcessGroup', () => {
  it('runs processes and a private Redis, then stops them all: apps with exit 0, Redis last and gone', async () => {
    const unexpected: string[] = [];
    const group = new ProcessGroup({
      output: 'memory',
      onExit: (child) => unexpected.push(child.name),
    });
    try {
      const redis = await group.startRedis({ appendOnly: 'everysec' });
      expect(await pingRedis(redis.url)).toBe(true);
      const app = group.spawn('graceful', process.execPath, ['-e', GRACEFUL], {});
      const crashing = group.spawn('crashing', process.execPath, ['-e', 'process.exit(3)'], {});
      await waitUntil(
        async () => app.lines,
        (lines) => lines.includes('ready'),
        { what: 'the app' },
      );
      expect((await crashing.exited).code).toBe(3);
      await waitUntil(
        async () => unexpected,
        (names) => names.includes('crashing'),
        { what: 'onExit' },
      );

      await group.stopAll();
      expect(await pingRedis(redis.url)).toBe(false);
      const byName = new Map(group.exits.map((e) => [e.name, e]));
      expect(byName.get('graceful')).toMatchObject({ code: 0, stoppedByUs: true, killed: false });
      expect(byName.get('crashing')).toMatchObject({ code: 3, stoppedByUs: false });
      expect(byName.get('redis')).toMatchObject({ code: 0, stoppedByUs: true });
      // Redis is stopped after the apps.
      expect(group.exits.at(-1)?.name).toBe('redis');
      expect(unexpected).toEqual(['crashing']);
    } finally {
      await group.stopAll();
    }
  });

  it('fails a wait at once with the output of a process that exited', async () => {
    const group = new ProcessGroup({ output: 'files' });
    let child: ManagedProcess | undefined;
    try {
      child = group.spawn(
        'broken',
        process.execPath,
        ['-e', `console.error('bad config: PORT'); process.exit(1)`],
        {},
      );
      const running = child;
      await expect(
        waitUntil(async () => false, Boolean, {
          what: 'broken to listen',
          failed: () => (running.running ? undefined : running.tail()),
        }),
      ).rejects.toThrow(/broken to listen: bad config: PORT/);
    } finally {
      await group.stopAll();
      group.removeLogs();
    }
  });
});
