export { type SeedUser, SimAdminClient, type SimUserState } from './admin-client.js';
export {
  type BehaviorSettings,
  type BehaviorSettingsInput,
  DEFAULT_BEHAVIOR,
  DEFAULT_DIVISIONS,
  DEFAULT_PHONE_TYPES,
  DEFAULT_ROUTING_LANGUAGES,
  DEFAULT_ROUTING_SKILLS,
} from './behavior/behavior-settings.js';
export { ScimHttpError, type ScimType } from './errors/scim-http-error.js';
export { SimAdminError } from './errors/sim-admin-error.js';
export type { FailRule, FailRuleInput, FaultSettings, FaultSettingsInput } from './faults/fault-settings.js';
export { DEFAULT_ROLES, type ResolvedOptions, type SimulatorOptions } from './options.js';
export type { ScimGroup, ScimGroupMember, ScimUserGroup } from './scim/group-types.js';
export {
  CORE_GROUP_URN,
  CORE_USER_URN,
  ENTERPRISE_USER_URN,
  ERROR_URN,
  GENESYS_USER_URN,
  LIST_RESPONSE_URN,
  MAX_PAGE_SIZE,
  PATCH_OP_URN,
} from './scim/urns.js';
export type {
  EnterpriseExtension,
  GenesysExtension,
  PatchOperation,
  ScimEmail,
  ScimManager,
  ScimMeta,
  ScimPhoneNumber,
  ScimRole,
  ScimUser,
} from './scim/user-types.js';
export { type RunningSimulator, type SimulatorState, startSimulator } from './simulator.js';
export { type Clock, ManualClock, systemClock } from './state/clock.js';
export type { RequestLogEntry, SimCounters } from './state/request-metrics.js';
export type { Actor, HistoryEntry } from './state/user-store.js';
