import type { Logger } from '@dirsync/core';
import { ScimClient, type ScimResponseInfo } from '@dirsync/scim';
import type { BudgetPriority, RequestBudget } from './request-budget.js';

/** Where the target is and how to sign in. */
export interface TargetSettings {
  baseUrl: string;
  loginUrl: string;
  scimBasePath: string;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
}

/** A SCIM client whose every request first takes a slot of the shared request budget. */
export function createTargetClient(
  settings: TargetSettings,
  options: {
    budget: RequestBudget;
    priority?: BudgetPriority;
    userAgent: string;
    logger?: Logger | undefined;
    onResponse?: ((info: ScimResponseInfo) => void) | undefined;
  },
): ScimClient {
  const priority = options.priority ?? 'live';
  return new ScimClient({
    baseUrl: settings.baseUrl,
    basePath: settings.scimBasePath,
    loginUrl: settings.loginUrl,
    clientId: settings.clientId ?? '',
    clientSecret: settings.clientSecret ?? '',
    userAgent: options.userAgent,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.onResponse ? { onResponse: options.onResponse } : {}),
    beforeRequest: ({ signal }) => options.budget.acquire(signal ? { signal, priority } : { priority }),
  });
}
