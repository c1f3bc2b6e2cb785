import { sleep } from '@dirsync/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SimContext } from '../state/sim-context.js';
import { correlationIdOf } from './correlation-id.js';
import { sendScimError } from './scim-response.js';

/** Per-request facts the gate collects for the request log. */
interface GateLocals {
  tokenId?: string;
  tokenProblem?: 'missing' | 'unknown' | 'expired';
  fault?: string;
}

export const gateLocals = (res: Response): GateLocals => res.locals as GateLocals;

function resourceOf(path: string): 'users' | 'groups' | 'other' {
  if (/^\/users(\/|$)/i.test(path)) return 'users';
  if (/^\/groups(\/|$)/i.test(path)) return 'groups';
  return 'other';
}

/** Counts the request and logs it once it is answered (or its socket dies). */
function track(ctx: SimContext): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const at = new Date(ctx.options.clock.now()).toISOString();
    ctx.metrics.arrived(req.method, resourceOf(req.path));
    const path = `${req.baseUrl}${req.path}`;
    const queryAt = req.originalUrl.indexOf('?');
    const query = queryAt >= 0 ? req.originalUrl.slice(queryAt + 1) : undefined;
    const correlationId = req.get('x-correlation-id');
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const locals = gateLocals(res);
      const status = res.writableFinished ? res.statusCode : 0;
      const ininCorrelationId = correlationIdOf(res);
      const durationMs = Math.round(performance.now() - started);
      ctx.metrics.completed({
        at,
        method: req.method,
        path,
        ...(query ? { query } : {}),
        status,
        durationMs,
        ...(correlationId ? { correlationId } : {}),
        ...(ininCorrelationId && status !== 0 ? { ininCorrelationId } : {}),
        ...(locals.tokenId ? { tokenId: locals.tokenId } : {}),
        ...(locals.fault ? { fault: locals.fault } : {}),
      });
      // Path and ids only: the query may hold a userName or e-mail address.
      ctx.logger.debug('scim request', {
        method: req.method,
        path,
        status,
        durationMs,
        bearerId: locals.tokenId,
        correlationId,
        fault: locals.fault,
      });
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}

/** Reads the bearer token now (for the log), refuses it only after faults, as a gateway would. */
function identify(ctx: SimContext): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    const locals = gateLocals(res);
    if (!match?.[1]) locals.tokenProblem = 'missing';
    else {
      const check = ctx.tokens.check(match[1]);
      if (check.ok) locals.tokenId = check.tokenId;
      else locals.tokenProblem = check.reason;
    }
    next();
  };
}

function delay(ctx: SimContext): RequestHandler {
  return async (_req, res, next) => {
    const ms = ctx.options.latencyMs + ctx.faults.spikeMs();
    if (ms > 0) {
      try {
        await sleep(ms, ctx.signal);
      } catch {
        res.set('Connection', 'close');
        sendScimError(res, 503, 'The simulator is shutting down');
        return;
      }
    }
    next();
  };
}

function injectFaults(ctx: SimContext): RequestHandler {
  return (req, res, next) => {
    const decision = ctx.faults.decide(req.method, `${req.baseUrl}${req.path}`);
    if (decision.kind === 'none') {
      next();
      return;
    }
    const locals = gateLocals(res);
    if (decision.kind === 'reset') {
      locals.fault = 'reset';
      req.socket.destroy();
      return;
    }
    locals.fault = decision.source;
    sendScimError(res, decision.status, decision.detail, {
      scimType: decision.scimType,
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  };
}

const TOKEN_PROBLEMS = {
  missing: 'Authentication required: send Authorization: Bearer <access token>',
  unknown: 'The access token is not valid',
  expired: 'The access token has expired',
} as const;

function authenticate(): RequestHandler {
  return (_req, res, next) => {
    const problem = gateLocals(res).tokenProblem;
    if (!problem) {
      next();
      return;
    }
    res.set(
      'WWW-Authenticate',
      problem === 'missing'
        ? 'Bearer realm="genesys-sim"'
        : 'Bearer realm="genesys-sim", error="invalid_token"',
    );
    sendScimError(res, 401, TOKEN_PROBLEMS[problem]);
  };
}

function rateLimit(ctx: SimContext): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const tokenId = gateLocals(res).tokenId ?? '';
    const admission = ctx.limiter.admit(tokenId, ctx.options.clock.now());
    if (admission.allowed) {
      next();
      return;
    }
    sendScimError(
      res,
      429,
      `Rate limit exceeded: at most ${ctx.options.rateLimitPerMinute} requests per minute per token`,
      { retryAfterSeconds: admission.retryAfterSeconds },
    );
  };
}

/**
 * Everything a SCIM request passes before its handler, in order: tracking, token lookup, latency, injected
 * faults, authentication, the per-token rate limit.
 */
export function scimGate(ctx: SimContext): RequestHandler[] {
  return [track(ctx), identify(ctx), delay(ctx), injectFaults(ctx), authenticate(), rateLimit(ctx)];
}
