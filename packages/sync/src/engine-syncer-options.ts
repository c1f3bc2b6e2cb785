import { defaultMappingHrField } from './default-hr-fields.js';
import type { DirectoryIndex } from './directory-index.js';
import type { createFeedParts, createParts } from './engine-parts.js';
import { GroupDirectory } from './group-directory.js';
import { DeniedWrites } from './permission-failures.js';
import type { AssignmentsPolicy } from './person-assignments.js';
import type { PersonSyncerOptions } from './person-syncer.js';
import { RedisRoutingMemory } from './routing-memory.js';
import type { SyncEngineSettings } from './sync-engine-types.js';
import type { SyncMapping, SyncPolicy } from './sync-ports.js';

/** The person syncer's ports and settings, wired from the engine's parts. */
export function syncerOptionsFor(
  settings: SyncEngineSettings,
  parts: ReturnType<typeof createParts>,
  feed: ReturnType<typeof createFeedParts>,
  rules: { mapping: SyncMapping; policy: SyncPolicy & AssignmentsPolicy; phoneRegion: string | undefined },
): PersonSyncerOptions & { index: DirectoryIndex } {
  const { redis, logger, hooks = {} } = settings;
  const { keys, budget, health, client, people, cache, schedule, refusals } = parts;
  const { mapping, policy, phoneRegion } = rules;
  // `index` reaches the UserLocator, which reads it only while it is fresh.
  return {
    index: parts.directoryIndex,
    target: client,
    mapping,
    policy,
    cache,
    people,
    waitlist: people,
    prehires: schedule,
    ...feed,
    refusals,
    phoneRegion,
    ...(settings.mappingFile ? {} : { hrFieldOf: defaultMappingHrField }),
    permissions: Object.assign(new DeniedWrites({ redis, keys }), {
      threshold: settings.authQuarantineAfterPeople ?? 5,
    }),
    protectedUsers: settings.protectedUsers ?? [],
    groupDirectory: new GroupDirectory({ redis, key: keys.groupIds }),
    routingMemory: new RedisRoutingMemory({ redis, key: keys.routing }),
    ...(logger ? { logger } : {}),
    onRateLimited: async (ms) => {
      await Promise.all([budget.pauseFor(ms), hooks.onRateLimited?.(ms)]);
    },
    onTargetHealth: (ok) => (ok ? health.healthy() : health.failing()),
  };
}
