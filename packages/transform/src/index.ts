export { type CompileMappingOptions, compileMapping } from './compile-mapping.js';
export { DEFAULT_MAPPING_FILE } from './default-mapping.js';
export { type DerivedOwnership, deriveOwned } from './derive-owned.js';
export { type DerivedReadFields, deriveReadFields } from './derive-read-fields.js';
export { type LoadMappingOptions, loadMapping } from './load-mapping.js';
export {
  ENTERPRISE_USER_SCHEMA,
  type MappedEnterpriseExtension,
  type MappedMultiValue,
  type MappedUser,
} from './mapped-user.js';
export { DEFAULT_MAX_DEPTH, DEFAULT_TIMEOUT_MS, type Mapping, type MappingLimits } from './mapping.js';
export { MappingLoadError } from './mapping-load-error.js';
export {
  type NormalizePhoneOptions,
  normalizePhone,
  type PhoneRefusalCode,
  type PhoneResult,
} from './normalize-phone.js';
export { normalizeUserPhones, type RefusedPhone } from './normalize-user-phones.js';
export { phoneRegionSchema } from './phone-region.js';
export type { SourceLocation } from './source-position.js';
export { TransformError, type TransformErrorCode } from './transform-error.js';
