import type { Logger } from '@dirsync/core';
import { ScimClient, type ScimResponseInfo } from '@dirsync/scim';
import type { BudgetPriority, RequestBudget } from './request-budget.js';

/** Where the target is and how to sign in (from the GENESYS_* and SCIM_BASE_PATH settings). */
export interface TargetSettings {
  GENESYS_BASE_URL: string;
  GENESYS_LOGIN_URL: string;
  SCIM_BASE_PATH: string;
  GENESYS_CLIENT_ID?: string | undefined;
  GENESYS_CLIENT_SECRET?: string | undefined;
}

/** A SCIM client whose every request first takes a slot of the shared request budget. */
export function createTargetClient(
  settings: TargetSettings,
  options: {
    budget: RequestBudget;
    priority?: BudgetPriority;
    userAgent: string;
    logger?: Logger;
    onResponse?: (info: ScimResponseInfo) => void;
  },
): ScimClient {
  const priority = options.priority ?? 'live';
  return new ScimClient({
    baseUrl: settings.GENESYS_BASE_URL,
    basePath: settings.SCIM_BASE_PATH,
    loginUrl: settings.GENESYS_LOGIN_URL,
    clientId: settings.GENESYS_CLIENT_ID ?? '',
    clientSecret: settings.GENESYS_CLIENT_SECRET ?? '',
    userAgent: options.userAgent,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.onResponse ? { onResponse: options.onResponse } : {}),
    beforeRequest: ({ signal }) => options.budget.acquire(signal ? { signal, priority } : { priority }),
  });
}
