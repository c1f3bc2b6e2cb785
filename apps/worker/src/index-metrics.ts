import type { SyncEngine } from '@dirsync/sync';
import { Gauge, type Registry } from 'prom-client';

/** The directory index's age and size, read from Redis at each scrape (every worker reports the same index). */
export function registerIndexMetrics(registry: Registry, index: SyncEngine['directoryIndex']): void {
  const registers = [registry];
  let stats: ReturnType<typeof index.stats> | undefined;
  // One Redis read per scrape serves both gauges.
  const read = () => {
    stats ??= index.stats().finally(() => {
      stats = undefined;
    });
    return stats;
  };
  new Gauge({
    name: 'dirsync_directory_index_age_seconds',
    help: 'Age of the directory index (since its last complete build began); -1 when never built',
    registers,
    async collect() {
      const { builtAt } = await read();
      this.set(builtAt === undefined ? -1 : Math.max(0, (Date.now() - builtAt) / 1000));
    },
  });
  new Gauge({
    name: 'dirsync_directory_index_users',
    help: 'Target users in the directory index',
    registers,
    async collect() {
      this.set((await read()).users);
    },
  });
}
