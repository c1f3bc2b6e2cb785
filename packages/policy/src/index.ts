export type {
  AssignmentRequest,
  AssignmentViolation,
} from './assignment-policy.js';
export { DEFAULT_POLICY_FILE } from './default-policy.js';
export { type LoadPolicyOptions, loadPolicy } from './load-policy.js';
export { type ParsePolicyOptions, type PolicyFormat, parsePolicy, policyFormatOf } from './parse-policy.js';
export {
  type DepartmentRules,
  type PolicyDefinition,
  type PolicyDefinitionInput,
  policyDefinitionSchema,
  validatePolicyDefinition,
} from './policy-definition.js';
export { PolicyLoadError, type PolicyProblem } from './policy-load-error.js';
export { PolicyViolation, type RoleViolation } from './policy-violation.js';
export { foldRoleName, RoleNameSet } from './role-name-set.js';
export { type PolicyDecision, RolePolicy, type RoleRequest } from './role-policy.js';
