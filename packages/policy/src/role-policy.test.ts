import { DirsyncError } from '@dirsync/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_FILE, loadPolicy, PolicyViolation, RolePolicy } from './index.js';

let policy: RolePolicy;
beforeAll(async () => {
  policy = await loadPolicy();
});

describe('the default policy', () => {
  it('ships inside the package with the three departments', () => {
    expect(DEFAULT_POLICY_FILE.endsWith('packages/policy/policies/default.yaml')).toBe(true);
    expect(policy.file).toBe(DEFAULT_POLICY_FILE);
    expect(Object.fromEntries(policy.departments)).toEqual({
      Engineering: ['agent', 'supervisor', 'admin'],
      Sales: ['agent', 'supervisor'],
      Support: ['agent', 'supervisor'],
    });
    expect([...policy.managedRoles]).toEqual(['agent', 'supervisor', 'admin']);
  });

  it('allows an Engineering admin', () => {
    expect(policy.evaluate({ externalId: 'HR-1', departmentCode: 'Engineering', roles: ['admin'] })).toEqual({
      allowed: true,
      roles: ['admin'],
    });
    expect(() =>
      policy.assertAllowed({ externalId: 'HR-1', departmentCode: 'Engineering', roles: ['admin'] }),
    ).not.toThrow();
  });

  it('denies a Sales admin, saying which role, department and what is allowed', () => {
    expect(
      policy.evaluate({ externalId: 'HR-2', departmentCode: 'Sales', roles: ['agent', 'admin'] }),
    ).toEqual({
      allowed: false,
      violations: [
        {
          role: 'admin',
          departmentCode: 'Sales',
          allowedRoles: ['agent', 'supervisor'],
          message: 'role "admin" is not allowed for department "Sales" (allowed: agent, supervisor)',
        },
      ],
    });
  });

  it('denies every role to an unknown department', () => {
    expect(policy.allowedRoles('Marketing')).toEqual([]);
    expect(policy.allowedRoles('constructor')).toEqual([]);
    expect(
      policy.evaluate({ externalId: 'HR-3', departmentCode: 'Marketing', roles: ['agent'] }),
    ).toMatchObject({
      allowed: false,
      violations: [
        { role: 'agent', message: 'role "agent" is not allowed for department "Marketing" (allowed: none)' },
      ],
    });
  });

  it('matches departments case-sensitively, as HR sends them', () => {
    expect(policy.allowedRoles('engineering')).toEqual([]);
    expect(
      policy.evaluate({ externalId: 'HR-4', departmentCode: 'engineering', roles: ['admin'] }).allowed,
    ).toBe(false);
  });

  it('matches role names case-insensitively and answers them as the policy spells them', () => {
    expect(
      policy.evaluate({
        externalId: 'HR-4',
        departmentCode: 'Sales',
        roles: ['Agent', 'SUPERVISOR', 'agent'],
      }),
    ).toEqual({ allowed: true, roles: ['agent', 'supervisor'] });
    expect(
      policy.evaluate({ externalId: 'HR-4', departmentCode: 'Sales', roles: ['Admin', 'ADMIN'] }),
    ).toEqual({
      allowed: false,
      violations: [
        {
          role: 'Admin',
          departmentCode: 'Sales',
          allowedRoles: ['agent', 'supervisor'],
          message: 'role "Admin" is not allowed for department "Sales" (allowed: agent, supervisor)',
        },
      ],
    });
    expect(policy.spellingOf('SuperVisor')).toBe('supervisor');
    expect(policy.spellingOf('auditor')).toBeUndefined();
  });

  it('denies any role to a person without a department', () => {
    for (const departmentCode of [undefined, null, '', '  ']) {
      const decision = policy.evaluate({ externalId: 'HR-5', departmentCode, roles: ['agent'] });
      expect(decision).toEqual({
        allowed: false,
        violations: [
          {
            role: 'agent',
            departmentCode: null,
            allowedRoles: [],
            message: 'role "agent" is not allowed for department "(none)" (allowed: none)',
          },
        ],
      });
    }
  });

  it('allows asking for no role, whatever the department', () => {
    for (const departmentCode of ['Sales', 'Unknown', null]) {
      expect(policy.evaluate({ externalId: 'HR-6', departmentCode, roles: [] })).toEqual({
        allowed: true,
        roles: [],
      });
    }
  });

  it('reports each denied role once', () => {
    const decision = policy.evaluate({
      externalId: 'HR-7',
      departmentCode: 'Support',
      roles: ['admin', 'admin', 'x'],
    });
    expect(decision.allowed === false && decision.violations.map((v) => v.role)).toEqual(['admin', 'x']);
  });
});

describe('assertAllowed', () => {
  it('throws a typed, non-retryable PolicyViolation', () => {
    let thrown: unknown;
    try {
      policy.assertAllowed({ externalId: 'HR-8', departmentCode: 'Sales', roles: ['admin'] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PolicyViolation);
    expect(thrown).toBeInstanceOf(DirsyncError);
    const violation = thrown as PolicyViolation;
    expect(violation.code).toBe('policy_violation');
    expect(violation.retryable).toBe(false);
    expect(violation.name).toBe('PolicyViolation');
    expect(violation.message).toBe(
      'role "admin" is not allowed for department "Sales" (allowed: agent, supervisor)',
    );
    expect(violation.externalId).toBe('HR-8');
    expect(violation.departmentCode).toBe('Sales');
    expect(violation.role).toBe('admin');
    expect(violation.allowedRoles).toEqual(['agent', 'supervisor']);
  });

  it('names every denied role when there are several', () => {
    expect(() =>
      policy.assertAllowed({ externalId: 'HR-9', departmentCode: null, roles: ['agent', 'admin'] }),
    ).toThrow(
      'role "agent" is not allowed for department "(none)" (allowed: none); role "admin" is not allowed for department "(none)" (allowed: none)',
    );
  });
});

describe('managed roles', () => {
  it('are the union of every department’s roles and managedRoles', () => {
    const custom = new RolePolicy({
      departments: { Ops: ['agent', 'wfm'], Finance: ['agent', 'billing'], Empty: [] },
      managedRoles: ['legacy-admin', 'wfm'],
    });
    expect([...custom.managedRoles].sort()).toEqual(['agent', 'billing', 'legacy-admin', 'wfm']);
    // A role a target spells in another case is still the managed one (so its removal is dirsync's to make).
    expect(custom.managedRoles.has('Legacy-Admin')).toBe(true);
    expect(custom.managedRoles.has('employee')).toBe(false);
    expect(custom.managedRoles.size).toBe(4);
    expect(custom.allowedRoles('Empty')).toEqual([]);
    // A managed role no department may hold is never allowed.
    expect(
      custom.evaluate({ externalId: 'HR-10', departmentCode: 'Ops', roles: ['legacy-admin'] }).allowed,
    ).toBe(false);
  });
});

describe('evaluate, as a property', () => {
  const universe = ['agent', 'supervisor', 'admin', 'wfm', 'billing', 'qa'];
  const departmentName = fc.constantFrom(
    'Engineering',
    'Sales',
    'Support',
    'Ops',
    'sales',
    'Customer Success',
  );
  const policies = fc
    .dictionary(departmentName, fc.subarray(universe), { minKeys: 1 })
    .map((departments) => new RolePolicy({ departments }));

  it('allows exactly the subsets of allowedRoles(dept), and names exactly the others', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          policies,
          fc.constant(
            new RolePolicy({
              departments: {
                Engineering: ['agent', 'supervisor', 'admin'],
                Sales: ['agent', 'supervisor'],
                Support: ['agent', 'supervisor'],
              },
            }),
          ),
        ),
        fc.option(departmentName, { nil: null }),
        fc.array(fc.constantFrom(...universe), { maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        (rolePolicy, departmentCode, policyCased, upper) => {
          // HR may spell each role in another case; the verdict must not depend on it.
          const roles = policyCased.map((r, i) => (upper[i] ? r.toUpperCase() : r));
          const allowed = rolePolicy.allowedRoles(departmentCode);
          const decision = rolePolicy.evaluate({ externalId: 'HR-P', departmentCode, roles });
          const outside = [...new Set(policyCased.filter((r) => !allowed.includes(r)))];
          expect(decision.allowed).toBe(outside.length === 0);
          if (!decision.allowed) {
            expect(decision.violations.map((v) => v.role.toLowerCase())).toEqual(outside);
          } else {
            expect(decision.roles).toEqual([...new Set(policyCased)]);
            expect(decision.roles.every((r) => allowed.includes(r))).toBe(true);
          }
          expect(roles.every((r) => !decision.allowed || rolePolicy.managedRoles.has(r))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
