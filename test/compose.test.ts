import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadIngestConfig } from '../apps/ingest-api/src/env.js';
import { loadWorkerConfig } from '../apps/worker/src/env.js';

/*
 * docker-compose.yml against the Compose Specification's JSON schema, then against what dirsync needs of it.
 *
 * test/fixtures/compose-spec.json is compose-spec/compose-spec's schema/compose-spec.json at commit
 * 00655e2222608fa6eaecdf12ac5195889ca2244a
 * (https://github.com/compose-spec/compose-spec/blob/00655e2222608fa6eaecdf12ac5195889ca2244a/schema/compose-spec.json),
 * content unchanged, whitespace laid out by biome (the repository's formatter). SPEC_CONTENT_SHA256 pins that
 * content, so an edit to the vendored schema fails here. To update: copy a newer upstream file, run biome on it,
 * and change the commit and the hash.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** sha256 of the vendored schema as JSON with sorted keys: its content, whatever the layout. */
const SPEC_CONTENT_SHA256 = '71cb0b05dc9d6d81f3af038d5ae3c0e03f3b0d289b27d3059242218a0078e53e';
const readRepoFile = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

/** The contract's Environment table (/work/shared/docs/contract.md), by name. */
const CONTRACT_VARIABLES = [
  'REDIS_URL',
  'QUEUE_PREFIX',
  'PORT',
  'WEBHOOK_SECRET',
  'ADMIN_USER',
  'ADMIN_PASSWORD',
  'GENESYS_BASE_URL',
  'GENESYS_LOGIN_URL',
  'GENESYS_CLIENT_ID',
  'GENESYS_CLIENT_SECRET',
  'SCIM_BASE_PATH',
  'SCIM_RATE_LIMIT_PER_MINUTE',
  'SYNC_CONCURRENCY',
  'MAPPING_FILE',
  'POLICY_FILE',
  'HR_SNAPSHOT',
  'RECONCILE_CRON',
  'SIM_PORT',
  'SIM_RATE_LIMIT_PER_MINUTE',
  'SIM_LATENCY_MS',
  'SIM_ADMIN',
  'WORKER_METRICS_PORT',
  'AUDIT_LOG',
  'REPORT_RETENTION_DAYS',
  'RECONCILE_MAX_DEACTIVATE_PERCENT',
  'RECONCILE_MAX_DEACTIVATE_COUNT',
  'PROTECTED_USERS',
  'LOG_LEVEL',
] as const;
/**
 * Also allowed: NODE_ENV, which the contract names as the switch for production mode, and SIM_HOST, which the
 * simulator reads (apps/genesys-sim/src/env.ts) so that it can serve other containers.
 */
const ALLOWED_VARIABLES = new Set<string>([...CONTRACT_VARIABLES, 'NODE_ENV', 'SIM_HOST']);

/** The apps, by compose service: each runs `node apps/<app>/dist/main.js` from the one image. */
const APP_SERVICES = { 'genesys-sim': 'genesys-sim', 'ingest-api': 'ingest-api', worker: 'worker' } as const;

type Scalar = string | number | boolean | null;
type PortSpec = string | number | { published?: string | number; target?: string | number; host_ip?: string };
type VolumeSpec = string | { type: string; source?: string; target?: string };

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[] | null;
  environment?: Record<string, Scalar> | string[];
  ports?: PortSpec[];
  expose?: Array<string | number>;
  container_name?: string;
  hostname?: string;
  network_mode?: string;
  depends_on?: string[] | Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  volumes?: VolumeSpec[];
  restart?: string;
  stop_grace_period?: string;
  [key: string]: unknown;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Loads the compose file as compose does: YAML merge keys (`<<: *anchor`) resolved. */
function loadCompose(text = readRepoFile('docker-compose.yml')): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

const clone = <T>(value: T): T => structuredClone(value);

function serviceOf(doc: ComposeFile, name: string): ComposeService {
  const service = doc.services[name];
  if (!service) throw new Error(`docker-compose.yml has no service ${name}`);
  return service;
}

// ---------------------------------------------------------------------------------------------------------------
// Interpolation, as the Compose Specification defines it: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:?error}, ${VAR?error}, ${VAR:+alternative}, ${VAR+alternative}, with nested expressions in the default.

class MissingVariable extends Error {}

function interpolateString(text: string, env: Record<string, string | undefined>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      let depth = 1;
      let j = i + 2;
      while (j < text.length && depth > 0) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
        j++;
      }
      if (depth !== 0) throw new Error(`unclosed \${ in ${JSON.stringify(text)}`);
      out += resolveExpression(text.slice(i + 2, j - 1), env);
      i = j;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
    if (!name) throw new Error(`a lone $ in ${JSON.stringify(text)}: write $$ for a literal dollar`);
    out += env[name] ?? '';
    i += 1 + name.length;
  }
  return out;
}

function resolveExpression(expression: string, env: Record<string, string | undefined>): string {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(expression);
  const name = match?.[1];
  if (!match || !name) throw new Error(`not an interpolation: \${${expression}}`);
  const operator = match[2];
  const argument = match[3] ?? '';
  const value = env[name];
  const unset = value === undefined;
  const unsetOrEmpty = unset || value === '';
  switch (operator) {
    case undefined:
      return value ?? '';
    case ':-':
      return unsetOrEmpty ? interpolateString(argument, env) : (value ?? '');
    case '-':
      return unset ? interpolateString(argument, env) : value;
    case ':?':
    case '?':
      if (operator === ':?' ? unsetOrEmpty : unset) {
        throw new MissingVariable(`${name}: ${interpolateString(argument, env) || 'required'}`);
      }
      return value ?? '';
    case ':+':
      return unsetOrEmpty ? '' : interpolateString(argument, env);
    case '+':
      return unset ? '' : interpolateString(argument, env);
    default:
      throw new Error(`unknown operator ${operator} in \${${expression}}`);
  }
}

/** Every string value interpolated (keys are not, as in compose). */
function interpolate<T>(value: T, env: Record<string, string | undefined>): T {
  if (typeof value === 'string') return interpolateString(value, env) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => interpolate(v, env)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)])) as T;
  }
  return value;
}

/** What a first-time user puts in .env (see the top of docker-compose.yml). */
const LOCAL_ENV = {
  // 32 random bytes, as `openssl rand -base64 32` gives them (production refuses fewer or patterned bytes).
  WEBHOOK_SECRET: 'whsec_J+/mbk5yAKJWbk8JS9Ykb0n/KWvMLX0KMkeyd85MCug=',
  ADMIN_PASSWORD: 'correct-horse-battery-staple',
};

// ---------------------------------------------------------------------------------------------------------------
// The Compose Specification schema.

const spec = JSON.parse(readRepoFile('test/fixtures/compose-spec.json')) as Record<string, unknown>;

function sortedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v)}`).join(',')}}`;
}

function compileSpec() {
  // The schema names draft-07 by an https URL that ajv does not know under that spelling; its keywords are draft-07,
  // which is ajv's default draft. strict: false because the schema is upstream's, not ours to tidy.
  const { $schema: _draft, ...schema } = spec;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  return ajv.compile(schema);
}

const validateSpec = compileSpec();

function schemaErrors(doc: unknown): string[] {
  if (validateSpec(doc)) return [];
  return (validateSpec.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// What dirsync needs of the file.

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at === -1 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function dependsOn(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition]));
}

/** A published host port that is fixed, i.e. that a second replica of the same service would collide on. */
function fixedHostPort(port: PortSpec): boolean {
  if (typeof port === 'number') return false;
  if (typeof port === 'object') return port.published !== undefined && String(port.published) !== '';
  // [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]; IPv6 host addresses come in brackets.
  const parts = port.replace(/\[[^\]]*\]/, 'ip').split(':');
  if (parts.length === 1) return false;
  const hostPort = parts.length === 2 ? parts[0] : parts[1];
  return hostPort !== undefined && hostPort !== '';
}

/** Compose durations such as 40s, 1m30s, 2m. */
function durationSeconds(text: string | undefined): number {
  if (!text) return 10; // compose's default stop_grace_period
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)) {
    const factor = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 }[unit as 'h' | 'm' | 's' | 'ms' | 'us'];
    seconds += Number(amount) * factor;
  }
  return seconds;
}

function commandOf(service: ComposeService): string[] {
  const command = service.command;
  if (command === undefined || command === null) return [];
  return Array.isArray(command) ? command : command.split(/\s+/).filter(Boolean);
}

function healthcheckCommand(service: ComposeService): string {
  const test = service.healthcheck?.test;
  if (test === undefined) return '';
  return Array.isArray(test) ? test.join(' ') : test;
}

/** Every way the (uninterpolated) file falls short of what dirsync needs; empty when it is fine. */
function composeProblems(raw: ComposeFile): string[] {
  const problems: string[] = [];
  const services = raw.services ?? {};
  // Values as a first-time user gets them: every default taken, the required secrets given.
  const resolved = interpolate(raw, LOCAL_ENV);

  for (const name of ['redis', ...Object.keys(APP_SERVICES)]) {
    if (!services[name]) problems.push(`service ${name} is missing`);
  }

  // One image for the three apps.
  const apps = Object.keys(APP_SERVICES).flatMap((name) => {
    const service = services[name];
    return service ? [[name, service] as const] : [];
  });
  const [first] = apps;
  for (const [name, service] of apps) {
    if (!service.build) problems.push(`${name}: no build (the apps are built from this repository)`);
    if (first && JSON.stringify(service.build) !== JSON.stringify(first[1].build)) {
      problems.push(`${name}: build differs from ${first[0]}'s (one image for all apps)`);
    }
    if (first && service.image !== first[1].image) {
      problems.push(`${name}: image ${service.image} differs from ${first[0]}'s ${first[1].image}`);
    }
    const app = APP_SERVICES[name as keyof typeof APP_SERVICES];
    const command = commandOf(service);
    if (command.join(' ') !== `node apps/${app}/dist/main.js`) {
      problems.push(`${name}: command ${JSON.stringify(command)} is not node apps/${app}/dist/main.js`);
    } else if (!existsSync(`${ROOT}apps/${app}/src/main.ts`)) {
      problems.push(`${name}: apps/${app} does not exist`);
    }
    const build = service.build;
    const context = typeof build === 'string' ? build : (build?.context ?? '.');
    const dockerfile = typeof build === 'object' ? (build.dockerfile ?? 'Dockerfile') : 'Dockerfile';
    if (context !== '.' || !existsSync(`${ROOT}${dockerfile}`)) {
      problems.push(`${name}: build must use the repository root and its ${dockerfile}`);
    }
    const health = healthcheckCommand(service);
    if (!/\bnode\b/.test(health) || !/\/(healthz|readyz)\b/.test(health)) {
      problems.push(`${name}: healthcheck must fetch /healthz or /readyz with node (no curl in slim images)`);
    }
  }

  // Redis: durable (AOF) and never evicting BullMQ's keys, on a named volume.
  const redis = services.redis;
  if (redis) {
    if (!/^redis:7(\b|$)/.test(redis.image ?? ''))
      problems.push(`redis: image ${redis.image} is not redis:7`);
    const command = commandOf(redis).join(' ');
    if (!/--appendonly yes\b/.test(command)) problems.push('redis: --appendonly yes is missing');
    if (!/--appendfsync (everysec|always)\b/.test(command)) problems.push('redis: --appendfsync is not set');
    if (!/--maxmemory-policy noeviction\b/.test(command))
      problems.push('redis: --maxmemory-policy noeviction is missing');
    const dataVolume = (redis.volumes ?? []).find((v) =>
      typeof v === 'string' ? v.split(':')[1] === '/data' : v.target === '/data',
    );
    const source = typeof dataVolume === 'string' ? dataVolume.split(':')[0] : dataVolume?.source;
    if (!source || !raw.volumes || !(source in raw.volumes)) {
      problems.push('redis: /data must be a named volume declared under volumes');
    }
    if (!healthcheckCommand(redis)) problems.push('redis: no healthcheck');
  }

  // Every service restarts on its own and has a health check.
  for (const [name, service] of Object.entries(services)) {
    if (service.restart !== 'unless-stopped') problems.push(`${name}: restart is not unless-stopped`);
    if (!healthcheckCommand(service) || service.healthcheck?.disable)
      problems.push(`${name}: no healthcheck`);
    for (const [dependency, condition] of Object.entries(dependsOn(service))) {
      const target = services[dependency];
      if (!target) problems.push(`${name}: depends on undefined service ${dependency}`);
      else if (condition === 'service_healthy' && !healthcheckCommand(target)) {
        problems.push(`${name}: waits for ${dependency} to be healthy, but it has no healthcheck`);
      }
    }
  }

  // The worker scales: `docker compose up --scale worker=3`.
  const worker = services.worker;
  if (worker) {
    if (worker.container_name !== undefined) problems.push('worker: container_name stops --scale worker=N');
    if (worker.hostname !== undefined) problems.push('worker: a fixed hostname is shared by every replica');
    if (worker.network_mode === 'host') problems.push('worker: host networking makes replicas share ports');
    for (const port of worker.ports ?? []) {
      if (fixedHostPort(port)) problems.push(`worker: fixed host port ${JSON.stringify(port)} stops --scale`);
    }
    // 25 s of SHUTDOWN_GRACE_SECONDS, then closing the queues and Redis.
    if (durationSeconds(worker.stop_grace_period) < 30) {
      problems.push(`worker: stop_grace_period ${worker.stop_grace_period ?? '(10s)'} is shorter than 30s`);
    }
  }

  // Variables: only contract names; API and worker on the redis service, the apps on the simulator by default.
  for (const name of Object.keys(APP_SERVICES)) {
    const service = services[name];
    if (!service) continue;
    for (const variable of Object.keys(environmentOf(service))) {
      if (!ALLOWED_VARIABLES.has(variable)) problems.push(`${name}: ${variable} is not a contract variable`);
    }
  }
  for (const name of ['ingest-api', 'worker']) {
    const service = resolved.services[name];
    if (!service) continue;
    const env = environmentOf(service);
    const redisUrl = env.REDIS_URL ? new URL(env.REDIS_URL) : undefined;
    const target = redisUrl ? resolved.services[redisUrl.hostname] : undefined;
    if (!redisUrl || !target || !/^redis:/.test(target.image ?? '') || (redisUrl.port || '6379') !== '6379') {
      problems.push(`${name}: REDIS_URL ${env.REDIS_URL ?? '(unset)'} does not point at the redis service`);
    }
    if (dependsOn(service).redis !== 'service_healthy')
      problems.push(`${name}: does not wait for a healthy redis`);
    const base = env.GENESYS_BASE_URL ? new URL(env.GENESYS_BASE_URL) : undefined;
    if (base?.hostname !== 'genesys-sim' || base.port !== '4010') {
      problems.push(
        `${name}: GENESYS_BASE_URL ${env.GENESYS_BASE_URL ?? '(unset)'} is not the simulator by default`,
      );
    }
    if (env.GENESYS_CLIENT_ID !== 'dirsync-local' || env.GENESYS_CLIENT_SECRET !== 'dirsync-local-secret') {
      problems.push(
        `${name}: the default client is not the simulator's dirsync-local / dirsync-local-secret`,
      );
    }
  }
  // Production mode, whatever .env says: it is what makes the apps refuse to run without their secrets.
  const downgraded = interpolate(raw, { ...LOCAL_ENV, NODE_ENV: 'development' });
  for (const name of ['ingest-api', 'worker']) {
    const service = downgraded.services[name];
    if (service && environmentOf(service).NODE_ENV !== 'production') {
      problems.push(`${name}: NODE_ENV is not fixed to production`);
    }
  }
  for (const variable of ['WEBHOOK_SECRET', 'ADMIN_PASSWORD']) {
    const declared = String(
      (services['ingest-api']?.environment as Record<string, Scalar> | undefined)?.[variable],
    );
    if (!declared.startsWith(`\${${variable}:?`)) {
      problems.push(`ingest-api: ${variable} is not required (\${${variable}:?message})`);
    }
  }
  const api = resolved.services['ingest-api'];
  if (api) {
    const env = environmentOf(api);
    for (const variable of ['WEBHOOK_SECRET', 'ADMIN_USER', 'ADMIN_PASSWORD']) {
      if (!env[variable]) problems.push(`ingest-api: ${variable} is not passed`);
    }
    if (
      !(api.ports ?? []).some((p) =>
        String(typeof p === 'object' ? p.target : p)
          .replace(/\/tcp$/, '')
          .endsWith('3000'),
      )
    ) {
      problems.push('ingest-api: port 3000 is not published');
    }
  }
  const sim = resolved.services['genesys-sim'];
  if (sim) {
    const env = environmentOf(sim);
    if (env.SIM_HOST !== '0.0.0.0')
      problems.push('genesys-sim: SIM_HOST must be 0.0.0.0 to serve other containers');
    if (!['1', 'true', 'yes', 'on'].includes((env.SIM_ADMIN ?? '').toLowerCase())) {
      problems.push('genesys-sim: SIM_ADMIN is off');
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  const compose = loadCompose();

  it('is valid against the Compose Specification schema, as written and once interpolated', () => {
    expect(createHash('sha256').update(sortedJson(spec)).digest('hex')).toBe(SPEC_CONTENT_SHA256);
    expect(spec.$schema).toMatch(/draft-07/);
    expect(schemaErrors(compose)).toEqual([]);
    expect(schemaErrors(interpolate(compose, LOCAL_ENV))).toEqual([]);
  });

  it('meets what dirsync needs of it', () => {
    expect(composeProblems(compose)).toEqual([]);
  });

  it('stops with a message naming the secret a first-time user has not set', () => {
    expect(() => interpolate(compose, { ADMIN_PASSWORD: 'x' })).toThrow(/WEBHOOK_SECRET.*\.env/);
    expect(() => interpolate(compose, { WEBHOOK_SECRET: LOCAL_ENV.WEBHOOK_SECRET })).toThrow(
      /ADMIN_PASSWORD.*\.env/,
    );
    expect(() => interpolate(compose, LOCAL_ENV)).not.toThrow();
  });

  it('takes a real Genesys org from the environment', () => {
    const env = {
      ...LOCAL_ENV,
      GENESYS_BASE_URL: 'https://api.mypurecloud.de',
      GENESYS_CLIENT_ID: 'id',
      GENESYS_CLIENT_SECRET: 'secret',
    };
    const resolved = interpolate(compose, env);
    for (const name of ['ingest-api', 'worker']) {
      const vars = environmentOf(serviceOf(resolved, name));
      expect(vars).toMatchObject({ GENESYS_BASE_URL: 'https://api.mypurecloud.de', GENESYS_CLIENT_ID: 'id' });
      // Empty: the apps derive login.mypurecloud.de themselves; a simulator URL here would break real sign-in.
      expect(vars.GENESYS_LOGIN_URL ?? '').toBe('');
    }
  });

  // Each of these breaks the file in one way: the checks above must notice.
  const breakages: Array<[string, (doc: ComposeFile) => void, RegExp]> = [
    [
      'the worker gets a container_name',
      (d) => {
        serviceOf(d, 'worker').container_name = 'dirsync-worker';
      },
      /worker: container_name/,
    ],
    [
      'the worker publishes a fixed host port',
      (d) => {
        serviceOf(d, 'worker').ports = ['9464:9464'];
      },
      /worker: fixed host port/,
    ],
    [
      'the worker is killed before its shutdown grace',
      (d) => {
        serviceOf(d, 'worker').stop_grace_period = '10s';
      },
      /worker: stop_grace_period/,
    ],
    [
      'redis loses AOF',
      (d) => {
        serviceOf(d, 'redis').command = ['redis-server', '--maxmemory-policy', 'noeviction'];
      },
      /redis: --appendonly yes/,
    ],
    [
      'redis may evict keys',
      (d) => {
        serviceOf(d, 'redis').command = ['redis-server', '--appendonly', 'yes', '--appendfsync', 'everysec'];
      },
      /redis: --maxmemory-policy noeviction/,
    ],
    [
      'redis loses its volume',
      (d) => {
        delete serviceOf(d, 'redis').volumes;
      },
      /redis: \/data must be a named volume/,
    ],
    [
      'an app reads a variable the contract does not have',
      (d) => {
        const worker = serviceOf(d, 'worker');
        worker.environment = { ...environmentOf(worker), SYNC_THREADS: '4' };
      },
      /worker: SYNC_THREADS is not a contract variable/,
    ],
    [
      'the API points at a Redis outside the stack',
      (d) => {
        const api = serviceOf(d, 'ingest-api');
        api.environment = { ...environmentOf(api), REDIS_URL: 'redis://127.0.0.1:6379' };
      },
      /ingest-api: REDIS_URL/,
    ],
    [
      'the worker runs another image',
      (d) => {
        serviceOf(d, 'worker').image = 'dirsync:other';
      },
      /worker: image/,
    ],
    [
      'a healthcheck needs curl',
      (d) => {
        serviceOf(d, 'worker').healthcheck = { test: ['CMD', 'curl', '-f', 'http://127.0.0.1:9464/healthz'] };
      },
      /worker: healthcheck must fetch/,
    ],
    [
      'NODE_ENV can be overridden from .env',
      (d) => {
        for (const name of ['ingest-api', 'worker']) {
          const service = serviceOf(d, name);
          service.environment = { ...environmentOf(service), NODE_ENV: `\${NODE_ENV:-production}` };
        }
      },
      /ingest-api: NODE_ENV is not fixed to production/,
    ],
    [
      'the webhook secret gets a default',
      (d) => {
        const api = serviceOf(d, 'ingest-api');
        api.environment = { ...environmentOf(api), WEBHOOK_SECRET: `\${WEBHOOK_SECRET:-}` };
      },
      /ingest-api: WEBHOOK_SECRET is not required/,
    ],
    [
      'the API no longer waits for a healthy Redis',
      (d) => {
        delete serviceOf(d, 'ingest-api').depends_on;
      },
      /ingest-api: does not wait for a healthy redis/,
    ],
  ];
  it.each(breakages)('notices when %s', (_what, breakIt, expected) => {
    const broken = clone(compose);
    breakIt(broken);
    expect(composeProblems(broken).join('\n')).toMatch(expected);
  });

  it('is checked by the schema too: a misspelt key is refused', () => {
    const broken = clone(compose);
    serviceOf(broken, 'worker').stop_grace_periode = '40s';
    expect(schemaErrors(broken).join('\n')).toMatch(/\/services\/worker.*additional/);
  });
});

/** Runs a built app with exactly `env` (and PATH) and resolves with its exit code and output. */
function runBuiltApp(
  app: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const entry = `${ROOT}apps/${app}/dist/main.js`;
  if (!existsSync(entry)) throw new Error(`apps/${app}/dist/main.js is missing: run pnpm build first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('the built apps with the environment docker-compose.yml declares for them', () => {
  const compose = loadCompose();
  // What compose hands each app once a first-time user has given the secrets (every other default taken).
  const declared = (name: string) => environmentOf(serviceOf(interpolate(compose, LOCAL_ENV), name));
  const SECRETS = ['WEBHOOK_SECRET', 'ADMIN_PASSWORD', 'GENESYS_CLIENT_SECRET'];
  const withoutSecrets = (env: Record<string, string>) =>
    Object.fromEntries(Object.entries(env).filter(([name]) => !SECRETS.includes(name)));

  it('start-up accepts it as declared, secrets given (production mode)', () => {
    expect(declared('ingest-api').NODE_ENV).toBe('production');
    expect(loadIngestConfig(declared('ingest-api')).NODE_ENV).toBe('production');
    expect(loadWorkerConfig(declared('worker')).NODE_ENV).toBe('production');
  });

  it('minus the secrets, each app refuses to run and names the variables', async () => {
    const api = await runBuiltApp('ingest-api', withoutSecrets(declared('ingest-api')));
    expect(api.code).toBe(1);
    expect(api.output).toMatch(/refusing to start/);
    for (const name of ['WEBHOOK_SECRET', 'ADMIN_PASSWORD'])
      expect(api.output).toContain(`${name}: required`);
    const worker = await runBuiltApp('worker', withoutSecrets(declared('worker')));
    expect(worker.code).toBe(1);
    expect(worker.output).toMatch(/refusing to start/);
    expect(worker.output).toContain('GENESYS_CLIENT_SECRET: required');
  });
});

describe('Dockerfile and .dockerignore', () => {
  const dockerfile = readRepoFile('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? '';

  it('builds on node:20-bookworm-slim with the pnpm the repository declares', () => {
    expect(dockerfile).toMatch(/NODE_IMAGE=node:20-bookworm-slim/);
    const packageManager = (JSON.parse(readRepoFile('package.json')) as { packageManager: string })
      .packageManager;
    expect(dockerfile).toContain(`npm install -g ${packageManager}`);
    expect(dockerfile).toMatch(/pnpm install [^\n]*--frozen-lockfile/);
  });

  it('runs as the node user in production mode (a plain `docker run` refuses to start without secrets)', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENV NODE_ENV=production$/m);
    expect(runtime).toMatch(/tini/);
  });

  it('takes its base image as a build argument operators pin by digest, with no made-up digest', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    for (const stage of stages) expect(stage).toMatch(/^(\$\{NODE_IMAGE\}|pnpm|build) AS /);
    expect(stages.filter((stage) => stage.startsWith(`\${NODE_IMAGE}`))).not.toHaveLength(0);
    // How to pin is documented; no digest is written down.
    expect(dockerfile).toMatch(/--build-arg NODE_IMAGE=node:20-bookworm-slim@sha256:</);
    expect(dockerfile).not.toMatch(/sha256:[0-9a-f]{64}/);
  });

  it('keeps local state and host builds out of the build context', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['**/node_modules', '**/dist', '.data', '.git']) expect(ignored).toContain(entry);
  });
});
