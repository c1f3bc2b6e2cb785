/** Failure count and block of one client (or of everyone, for the global limit). */
interface FailureRecord {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export interface ThrottleLimit {
  /** Failures answered before backing off (the last of them starts the first block). */
  freeFailures: number;
  /** The first block; each further failure doubles it. */
  baseBlockMs: number;
  maxBlockMs: number;
  /** One failure is forgiven per this much time without a failure. */
  decayMs: number;
}

export interface AuthThrottleOptions {
  perClient?: Partial<ThrottleLimit>;
  global?: Partial<ThrottleLimit>;
  /** Clients remembered at most (the oldest are forgotten first), so a flood of addresses cannot grow memory. */
  maxClients?: number;
  /** How long a client that signed in correctly is exempt from the global limit. */
  trustedForMs?: number;
  now?: () => number;
}

const PER_CLIENT: ThrottleLimit = {
  freeFailures: 5,
  baseBlockMs: 1000,
  maxBlockMs: 15 * 60_000,
  decayMs: 60_000,
};
const GLOBAL: ThrottleLimit = { freeFailures: 50, baseBlockMs: 1000, maxBlockMs: 60_000, decayMs: 1000 };

/**
 * Backoff for failed admin sign-ins, per client address and over all clients, kept in this process's memory
 * (each API process counts its own; a restart forgets). After `freeFailures`, each failure blocks the client for
 * a time that doubles with every further failure; failures decay over quiet time. A client that signed in
 * correctly is exempt from the global limit, so a distributed guesser cannot lock operators out.
 */
export class AuthThrottle {
  private readonly perClient: ThrottleLimit;
  private readonly global: ThrottleLimit;
  private readonly clients = new Map<string, FailureRecord>();
  private readonly trusted = new Map<string, number>();
  private readonly all: FailureRecord = { failures: 0, lastFailureAt: 0, blockedUntil: 0 };
  private readonly maxClients: number;
  private readonly trustedForMs: number;
  private readonly now: () => number;

  constructor(options: AuthThrottleOptions = {}) {
    this.perClient = { ...PER_CLIENT, ...options.perClient };
    this.global = { ...GLOBAL, ...options.global };
    this.maxClients = options.maxClients ?? 10_000;
    this.trustedForMs = options.trustedForMs ?? 60 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds `client` must wait before its credentials are checked again; 0 when it may try now. */
  waitMs(client: string): number {
    const now = this.now();
    const own = this.clients.get(client);
    const ownWait = own ? Math.max(0, own.blockedUntil - now) : 0;
    const trustedUntil = this.trusted.get(client) ?? 0;
    const globalWait = trustedUntil > now ? 0 : Math.max(0, this.all.blockedUntil - now);
    return Math.max(ownWait, globalWait);
  }

  recordFailure(client: string): void {
    const now = this.now();
    let own = this.clients.get(client);
    if (own) this.clients.delete(client);
    own ??= { failures: 0, lastFailureAt: now, blockedUntil: 0 };
    // Re-inserted: the map's order is then least recently failed first, the order to forget in.
    this.clients.set(client, own);
    if (this.clients.size > this.maxClients) {
      const oldest = this.clients.keys().next().value;
      if (oldest !== undefined) this.clients.delete(oldest);
    }
    fail(own, this.perClient, now);
    fail(this.all, this.global, now);
  }

  recordSuccess(client: string): void {
    this.clients.delete(client);
    this.trusted.delete(client);
    this.trusted.set(client, this.now() + this.trustedForMs);
    if (this.trusted.size > this.maxClients) {
      const oldest = this.trusted.keys().next().value;
      if (oldest !== undefined) this.trusted.delete(oldest);
    }
  }
}

function fail(record: FailureRecord, limit: ThrottleLimit, now: number): void {
  const forgiven = Math.floor((now - record.lastFailureAt) / limit.decayMs);
  record.failures = Math.max(0, record.failures - forgiven) + 1;
  record.lastFailureAt = now;
  // The failure that uses up the free ones starts the first block.
  const over = record.failures - limit.freeFailures + 1;
  if (over > 0) {
    const block = Math.min(limit.maxBlockMs, limit.baseBlockMs * 2 ** Math.min(over - 1, 30));
    record.blockedUntil = now + block;
  }
}

/**
 * The key a client's failures count under: its IPv4 address, or the /64 network of an IPv6 one (one host usually
 * holds a whole /64, so counting single addresses would give a guesser 2^64 fresh starts).
 */
export function clientKeyOf(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.toLowerCase().split('%')[0]?.split('::') ?? [];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const zeros = Array.from({ length: Math.max(0, 8 - headParts.length - tailParts.length) }, () => '0');
  const full = tail === undefined ? headParts : [...headParts, ...zeros, ...tailParts];
  return `${full
    .slice(0, 4)
    .map((part) => part.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
