import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileLoadError } from '@dirsync/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadPolicy, type ParsePolicyOptions, PolicyLoadError, parsePolicy, RolePolicy } from './index.js';

function refusal(text: string, options: ParsePolicyOptions = { file: 'policy.yaml' }): PolicyLoadError {
  try {
    parsePolicy(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyLoadError);
    expect(error).toBeInstanceOf(FileLoadError);
    return error as PolicyLoadError;
  }
  throw new Error('expected the policy to be refused');
}

describe('parsing a policy', () => {
  it('reads YAML and JSON alike', () => {
    const yaml = parsePolicy('departments:\n  Sales: [agent]\nmanagedRoles: [admin]\n', { file: 'p.yml' });
    const json = parsePolicy('{ "departments": { "Sales": ["agent"] }, "managedRoles": ["admin"] }', {
      file: 'p.json',
    });
    for (const policy of [yaml, json]) {
      expect(policy.allowedRoles('Sales')).toEqual(['agent']);
      expect([...policy.managedRoles]).toEqual(['agent', 'admin']);
    }
    expect(parsePolicy('{"departments": {"Ops": []}}', { format: 'json' }).file).toBe('(inline policy)');
  });

  it.each([
    [
      'a role that is not a string',
      'departments:\n  Sales: [agent, 7]\n',
      'departments.Sales[1]: must be a non-empty string',
    ],
    [
      'an empty role',
      'departments:\n  Sales: [agent, ""]\n',
      'departments.Sales[1]: must be a non-empty string',
    ],
    [
      'a null role',
      'departments:\n  Sales:\n    - agent\n    -\n',
      'departments.Sales[1]: must be a non-empty string',
    ],
    [
      'a padded role',
      'departments:\n  Sales: [" agent"]\n',
      'departments.Sales[0]: must not start or end with spaces',
    ],
    [
      'a duplicate role',
      'departments:\n  Sales: [agent, supervisor, agent]\n',
      'departments.Sales[2]: duplicate role "agent" (also at [0])',
    ],
    [
      'two spellings of one role in a department',
      'departments:\n  Sales: [agent, Agent]\n',
      'departments.Sales[1]: role "Agent" differs only in case from "agent" (at departments.Sales[0]); role names match case-insensitively, so spell it one way',
    ],
    [
      'two spellings of one role across departments',
      'departments:\n  Sales: [agent]\n  Support: [supervisor, AGENT]\n',
      'departments.Support[1]: role "AGENT" differs only in case from "agent" (at departments.Sales[0]); role names match case-insensitively, so spell it one way',
    ],
    [
      'a managed role spelled unlike a department’s',
      'departments:\n  Sales: [agent]\nmanagedRoles: [Agent]\n',
      'managedRoles[0]: role "Agent" differs only in case from "agent" (at departments.Sales[0]); role names match case-insensitively, so spell it one way',
    ],
    [
      'roles that are not a list',
      'departments:\n  Sales: agent\n',
      'departments.Sales: must be a list of roles, or a mapping with roles, groups and skills',
    ],
    [
      'a department name with spaces',
      'departments:\n  Customer Success: [agent, 3]\n',
      'departments["Customer Success"][1]: must be a non-empty string',
    ],
    ['no departments', 'managedRoles: []\n', 'departments: is required'],
    ['an empty departments mapping', 'departments: {}\n', 'departments: must name at least one department'],
    [
      'departments as a list',
      'departments: [Sales]\n',
      'departments: must map department names to lists of roles',
    ],
    [
      'a bad managed role',
      'departments:\n  Sales: [agent]\nmanagedRoles: [admin, null]\n',
      'managedRoles[1]: must be a non-empty string',
    ],
    [
      'an unknown key',
      'departments:\n  Sales: [agent]\nmanagedRole: [admin]\n',
      '(top level): unknown key "managedRole" (expected departments, managedRoles, managedGroups, managedSkills, managedLanguages, leaveGroupsOnDeactivation)',
    ],
    [
      'an empty file',
      '',
      '(top level): must be a mapping with "departments" (and optionally "managedRoles")',
    ],
    [
      'a list',
      '- Sales\n',
      '(top level): must be a mapping with "departments" (and optionally "managedRoles")',
    ],
  ])('refuses %s, naming the exact path', (_what, text, problem) => {
    const error = refusal(text);
    expect(error.message).toBe(`policy.yaml: ${problem}`);
    expect(error.file).toBe('policy.yaml');
    expect(error.code).toBe('invalid_file');
  });

  it.each([
    [
      'an unknown key in a department',
      'departments:\n  Support: { roles: [agent], queues: [x] }\n',
      'departments.Support: unknown key "queues" (expected roles, groups, skills)',
    ],
    [
      'a bad group in a department',
      'departments:\n  Support:\n    groups: [Support, ""]\n',
      'departments.Support.groups[1]: must be a non-empty string',
    ],
    [
      'a duplicate skill in a department',
      'departments:\n  Support:\n    skills: [Billing, Billing]\n',
      'departments.Support.skills[1]: duplicate skill "Billing" (also at [0])',
    ],
    [
      'two spellings of one group',
      'departments:\n  Support: { groups: ["Tier 2 Queue"] }\nmanagedGroups: ["tier 2 queue"]\n',
      'managedGroups[0]: group "tier 2 queue" differs only in case from "Tier 2 Queue" (at departments.Support.groups[0]); group names match case-insensitively, so spell it one way',
    ],
    [
      'two spellings of one role in the long form',
      'departments:\n  Sales: [agent]\n  Support: { roles: [Agent] }\n',
      'departments.Support.roles[0]: role "Agent" differs only in case from "agent" (at departments.Sales[0]); role names match case-insensitively, so spell it one way',
    ],
    [
      'managed skills that are not a list',
      'departments:\n  Sales: []\nmanagedSkills: Billing\n',
      'managedSkills: must be a list of skill names',
    ],
    [
      'a bad language',
      'departments:\n  Sales: []\nmanagedLanguages: [English, 3]\n',
      'managedLanguages[1]: must be a non-empty string',
    ],
    [
      'a deactivation option that is not a boolean',
      'departments:\n  Sales: []\nleaveGroupsOnDeactivation: "yes"\n',
      'leaveGroupsOnDeactivation: must be true or false',
    ],
  ])('refuses %s in the groups and skills format, naming the exact path', (_what, text, problem) => {
    expect(refusal(text).message).toBe(`policy.yaml: ${problem}`);
  });

  it('reads managed groups, skills and languages, and both forms of a department', () => {
    const policy = parsePolicy(
      [
        'departments:',
        '  Sales: [agent]',
        '  Support: { roles: [agent], groups: ["Tier 2 Queue"], skills: ["Tier 2"] }',
        'managedGroups: [Support, Sales]',
        'managedSkills: [Billing]',
        'managedLanguages: [English]',
        'leaveGroupsOnDeactivation: true',
      ].join('\n'),
      { file: 'p.yaml' },
    );
    expect(policy.allowedRoles('Support')).toEqual(['agent']);
    expect([...policy.managedGroups]).toEqual(['Support', 'Sales', 'Tier 2 Queue']);
    expect(policy.managedGroups.has('tier 2 queue')).toBe(true);
    expect([...policy.managedSkills]).toEqual(['Billing', 'Tier 2']);
    expect([...policy.managedLanguages]).toEqual(['English']);
    expect(policy.leaveGroupsOnDeactivation).toBe(true);
    expect(parsePolicy('departments:\n  Sales: []\n').leaveGroupsOnDeactivation).toBe(false);
  });

  it('lets only the departments naming a group or skill hold it; unnamed ones are open to all', () => {
    const policy = parsePolicy(
      'departments:\n  Sales: [agent]\n  Support: { groups: ["Tier 2 Queue"], skills: ["Tier 2"] }\nmanagedGroups: [Sales]\n',
    );
    expect(
      policy.evaluateAssignments({
        departmentCode: 'Support',
        groups: ['tier 2 queue', 'Sales'],
        skills: ['Tier 2'],
      }),
    ).toEqual([]);
    expect(
      policy.evaluateAssignments({
        departmentCode: 'Sales',
        groups: ['Tier 2 Queue', 'Sales'],
        skills: ['Tier 2', 'Billing'],
      }),
    ).toEqual([
      {
        field: 'groups',
        name: 'Tier 2 Queue',
        departmentCode: 'Sales',
        allowedFor: ['Support'],
        message: 'group "Tier 2 Queue" is not allowed for department "Sales" (only Support)',
      },
      {
        field: 'skills',
        name: 'Tier 2',
        departmentCode: 'Sales',
        allowedFor: ['Support'],
        message: 'skill "Tier 2" is not allowed for department "Sales" (only Support)',
      },
    ]);
    expect(policy.evaluateAssignments({ departmentCode: null, groups: ['Tier 2 Queue'] })[0]?.message).toBe(
      'group "Tier 2 Queue" is not allowed for department "(none)" (only Support)',
    );
  });

  it('lists every problem at once', () => {
    const error = refusal('departments:\n  Sales: [agent, 1]\n  Support: [""]\n');
    expect(error.problems).toEqual([
      { at: 'departments.Sales[1]', message: 'must be a non-empty string' },
      { at: 'departments.Support[0]', message: 'must be a non-empty string' },
    ]);
  });

  it('refuses bad YAML with its line and column', () => {
    expect(refusal('departments:\n  Sales: [agent\n').message).toMatch(
      /^policy\.yaml: line 3, column 1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a \]/,
    );
    expect(refusal('departments:\n  Sales: [agent]\n  Sales: [admin]\n').message).toBe(
      'policy.yaml: line 3, column 3: invalid YAML: Map keys must be unique',
    );
  });

  it('refuses bad JSON with its line and column, and duplicate keys JSON.parse would hide', () => {
    const options = { file: 'policy.json' };
    expect(refusal('{\n  "departments": {\n    "Sales": ["agent"],\n  }\n}', options).message).toMatch(
      /^policy\.json: line 4, column 3: invalid JSON: /,
    );
    expect(refusal('', options).message).toBe('policy.json: invalid JSON: Unexpected end of JSON input');
    expect(refusal('{"departments": {"Sales": ["agent"], "Sales": ["admin"]}}', options).message).toBe(
      'policy.json: line 1, column 38: invalid JSON: duplicate key',
    );
    expect(refusal('{"departments": {"Sales": ["agent", 1]}}', options).message).toBe(
      'policy.json: departments.Sales[1]: must be a non-empty string',
    );
  });

  it('refuses an invalid definition given in code', () => {
    expect(() => new RolePolicy({ departments: { Sales: ['agent', 'agent'] } }, { file: 'code' })).toThrow(
      'code: departments.Sales[1]: duplicate role "agent" (also at [0])',
    );
  });
});

describe('loading a policy file', () => {
  it('chooses the format by extension', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dirsync-policy-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const json = join(dir, 'policy.json');
    await writeFile(json, '{ "departments": { "Ops": ["agent"] } }');
    expect((await loadPolicy({ file: json })).allowedRoles('Ops')).toEqual(['agent']);
    const yml = join(dir, 'policy.YML');
    await writeFile(yml, 'departments:\n  Ops: [agent] # comment\n');
    expect((await loadPolicy({ file: yml })).allowedRoles('Ops')).toEqual(['agent']);
  });

  it('refuses an unknown extension, a missing file and a directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dirsync-policy-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const txt = join(dir, 'policy.txt');
    await writeFile(txt, 'departments: {}');
    await expect(loadPolicy({ file: txt })).rejects.toThrow(
      `${txt}: unknown extension; a policy file ends in .yaml, .yml or .json`,
    );
    const missing = join(dir, 'missing.yaml');
    await expect(loadPolicy({ file: missing })).rejects.toThrow(
      `${missing}: cannot read the policy file: no such file`,
    );
    const folder = join(dir, 'folder.yaml');
    await mkdir(folder);
    await expect(loadPolicy({ file: folder })).rejects.toThrow(
      /cannot read the policy file: it is a directory/,
    );
    await expect(loadPolicy({ file: missing })).rejects.toBeInstanceOf(PolicyLoadError);
  });
});
