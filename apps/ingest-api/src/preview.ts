import type { Logger } from '@dirsync/core';
import { loadPolicy } from '@dirsync/policy';
import {
  createTargetClient,
  type PersonStore,
  previewEvent,
  type RequestBudget,
  TargetCache,
} from '@dirsync/sync';
import { loadMapping } from '@dirsync/transform';
import type { IngestConfig } from './env.js';
import type { PreviewEvent } from './routes/admin.js';

/**
 * `POST /admin/preview` with the worker's own mapping, policy and diff. It reads the target (through the shared
 * request budget) and writes nothing. Without target credentials there is nothing to read: no preview.
 */
export async function createPreview(deps: {
  config: IngestConfig;
  people: PersonStore;
  budget: RequestBudget;
  logger: Logger;
}): Promise<PreviewEvent | undefined> {
  const { config, people, budget, logger } = deps;
  // Loaded even without credentials: a bad mapping or policy file stops the API at start-up too.
  const mapping = await loadMapping({ file: config.MAPPING_FILE });
  const policy = await loadPolicy({ file: config.POLICY_FILE });
  if (!config.GENESYS_CLIENT_ID || !config.GENESYS_CLIENT_SECRET) return undefined;
  const target = createTargetClient(config, { budget, userAgent: 'dirsync-preview', logger });
  const cache = new TargetCache({ redis: people.redis, keys: people.keys });
  return (event) =>
    previewEvent(event, {
      target,
      mapping,
      policy,
      cache,
      people,
      protectedUsers: config.PROTECTED_USERS,
      logger,
    });
}
