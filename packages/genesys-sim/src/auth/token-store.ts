import { randomBytes } from 'node:crypto';
import type { Clock } from '../state/clock.js';

export type TokenCheck = { ok: true; tokenId: string } | { ok: false; reason: 'unknown' | 'expired' };

interface IssuedToken {
  tokenId: string;
  expiresAt: number;
}

/**
 * Bearer tokens of the client-credentials grant. Each has a short public `tokenId` (`tok-1`, …) that the
 * request log and the rate limiter use, so the token itself never leaves this class.
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  private issued = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  issue(): { accessToken: string; tokenId: string; expiresIn: number } {
    this.dropExpired();
    const accessToken = randomBytes(32).toString('base64url');
    this.issued += 1;
    const tokenId = `tok-${this.issued}`;
    this.tokens.set(accessToken, { tokenId, expiresAt: this.clock.now() + this.ttlSeconds * 1000 });
    return { accessToken, tokenId, expiresIn: this.ttlSeconds };
  }

  check(accessToken: string): TokenCheck {
    const token = this.tokens.get(accessToken);
    if (!token) return { ok: false, reason: 'unknown' };
    if (this.clock.now() >= token.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, tokenId: token.tokenId };
  }

  /** Invalidates every token (to test a client's refresh on 401); returns how many were live. */
  revokeAll(): number {
    this.dropExpired();
    const count = this.tokens.size;
    this.tokens.clear();
    return count;
  }

  clear(): void {
    this.tokens.clear();
    this.issued = 0;
  }

  private dropExpired(): void {
    const now = this.clock.now();
    for (const [key, token] of this.tokens) if (now >= token.expiresAt) this.tokens.delete(key);
  }
}
