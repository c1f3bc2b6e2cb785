import { setMaxListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, DirsyncError, type Logger } from '@dirsync/core';
import { SimAdminClient } from './admin-client.js';
import { TokenStore } from './auth/token-store.js';
import { BehaviorSwitches } from './behavior/behavior-settings.js';
import { FaultInjector } from './faults/fault-injector.js';
import { createApp } from './http/create-app.js';
import { type ResolvedOptions, resolveOptions, type SimulatorOptions } from './options.js';
import { GroupStore } from './state/group-store.js';
import { RequestMetrics } from './state/request-metrics.js';
import type { SimContext } from './state/sim-context.js';
import { SlidingWindowLimiter } from './state/sliding-window.js';
import { UserStore } from './state/user-store.js';

/** In-process handles on a running simulator's state, for tests that prefer them to `/__sim`. */
export interface SimulatorState {
  users: UserStore;
  groups: GroupStore;
  behavior: BehaviorSwitches;
  faults: FaultInjector;
  metrics: RequestMetrics;
  tokens: TokenStore;
  /**
   * What `POST /__sim/reset` does: users, groups, tokens, rate windows, counters, log, faults and behaviour back
   * to the start.
   */
  reset(): void;
}

export interface RunningSimulator {
  /** Origin, e.g. `http://127.0.0.1:54321` (the API host and the login host in one). */
  url: string;
  /** The SCIM root, `url` + `basePath`. */
  scimUrl: string;
  /** `url` + `/oauth/token`. */
  tokenUrl: string;
  port: number;
  options: Readonly<ResolvedOptions>;
  state: SimulatorState;
  /** A client for the `/__sim` routes (which answer 404 unless the `admin` option is on). */
  admin: SimAdminClient;
  /** Stops accepting, lets in-flight answers finish briefly, closes every keep-alive socket. Idempotent. */
  close(): Promise<void>;
}

/** How long close() lets answers in progress finish before cutting their sockets. */
const DRAIN_MS = 2_000;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(
        new DirsyncError('sim_listen_failed', `Cannot listen on ${host}:${port}: ${error.message}`, {
          cause: error,
        }),
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** The simulator's state and services, wired together; `origin()` is known once the server listens. */
function createContext(
  resolved: ResolvedOptions,
  logger: Logger,
  signal: AbortSignal,
  origin: () => string,
): { ctx: SimContext; reset: () => void } {
  const behavior = new BehaviorSwitches(resolved.behavior);
  const users = new UserStore({
    clock: resolved.clock,
    roles: resolved.roles,
    defaultRole: resolved.defaultRole,
    usersUrl: () => `${origin()}${resolved.basePath}/Users`,
    behavior: () => behavior.live,
    // Called only on a PUT, after `groups` below exists.
    groupIdsOf: (id) => groups.membershipsOf(id).map((g) => g.value),
  });
  const groups = new GroupStore({
    clock: resolved.clock,
    groupsUrl: () => `${origin()}${resolved.basePath}/Groups`,
    findUser: (id) => {
      const user = users.get(id);
      return user ? { displayName: user.displayName, location: user.meta.location } : undefined;
    },
  });
  groups.seed(resolved.groups);
  const ctx: SimContext = {
    options: resolved,
    users,
    groups,
    behavior,
    tokens: new TokenStore(resolved.clock, resolved.tokenTtlSeconds),
    limiter: new SlidingWindowLimiter(resolved.rateLimitPerMinute),
    faults: new FaultInjector(resolved.faults),
    metrics: new RequestMetrics(resolved.clock, resolved.requestLogLimit),
    logger,
    signal,
    origin,
  };
  const reset = () => {
    ctx.users.clear();
    ctx.groups.clear();
    ctx.groups.seed(resolved.groups);
    ctx.behavior.reset();
    ctx.tokens.clear();
    ctx.limiter.clear();
    ctx.metrics.clear();
    ctx.faults.reset();
  };
  return { ctx, reset };
}

/**
 * Starts a local stand-in for Genesys Cloud's OAuth and SCIM 2.0 Users API.
 *
 * @example
 * const sim = await startSimulator({ admin: true, rateLimitPerMinute: 5 });
 * // … point the client at sim.url …
 * await sim.close();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const resolved = resolveOptions(options);
  const logger = options.logger ?? createLogger({ level: 'warn', defaultMeta: { service: 'genesys-sim' } });
  const abort = new AbortController();
  // Every request waiting out its latency listens on this one signal: many at once is normal, not a leak.
  setMaxListeners(0, abort.signal);
  let origin = '';

  const { ctx, reset } = createContext(resolved, logger, abort.signal, () => origin);

  let inFlight = 0;
  let drained: (() => void) | undefined;
  const app = createApp(ctx, reset);
  const server = createServer((req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
    app(req, res);
  });

  await listen(server, resolved.port, resolved.host);
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  origin = `http://${host}:${port}`;
  logger.debug('genesys simulator listening', { url: origin, admin: resolved.admin });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      abort.abort(new DirsyncError('sim_closed', 'The simulator is shutting down'));
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, DRAIN_MS);
          }),
        ]);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await stopped;
    })();
    return closing;
  };

  return {
    url: origin,
    scimUrl: `${origin}${resolved.basePath}`,
    tokenUrl: `${origin}/oauth/token`,
    port,
    options: resolved,
    state: {
      users: ctx.users,
      groups: ctx.groups,
      behavior: ctx.behavior,
      faults: ctx.faults,
      metrics: ctx.metrics,
      tokens: ctx.tokens,
      reset,
    },
    admin: new SimAdminClient(origin),
    close,
  };
}
