import { Redis } from 'ioredis';
import type { ConsoleReader, TimelineEntry } from '../src/console-view.js';
import { createSyncQueue } from '../src/sync-queue.js';
import { type EngineHarness, startEngineHarness } from './engine-harness.js';

export interface ConsoleHarness extends EngineHarness {
  console: ConsoleReader;
  queue: ReturnType<typeof createSyncQueue>;
  /** Timeline entries of one kind, newest first. */
  entries<K extends TimelineEntry['kind']>(
    externalId: string,
    kind: K,
  ): Promise<Array<Extract<TimelineEntry, { kind: K }>>>;
}

/** The engine harness plus the sync queue (under the test's prefix) and the console reader over both. */
export async function startConsoleHarness(
  options: Parameters<typeof startEngineHarness>[0],
): Promise<ConsoleHarness> {
  const h = await startEngineHarness(options);
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queue = createSyncQueue({ connection, prefix: options.prefix });
  const closeEngine = h.close;
  return Object.assign(h, {
    console: h.engine.console(queue),
    queue,
    async entries<K extends TimelineEntry['kind']>(externalId: string, kind: K) {
      const all = await h.engine.timeline.read(externalId);
      return all.filter((e): e is Extract<TimelineEntry, { kind: K }> => e.kind === kind);
    },
    async close() {
      await queue.close();
      await connection.quit();
      await closeEngine();
    },
  });
}
