/** A Redis node's address, as given in `host:port` lists. */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/**
 * Where the apps' Redis lives: one server (`REDIS_URL`, `rediss://` for TLS), a primary found through Sentinel, or
 * a Redis Cluster.
 */
export type RedisTopology =
  | { kind: 'standalone'; url: string }
  | {
      kind: 'sentinel';
      sentinels: RedisNodeAddress[];
      masterName: string;
      /** Password of the sentinels themselves (`requirepass` in sentinel.conf). */
      sentinelPassword?: string;
      /** Password of the data nodes (primary and replicas). */
      password?: string;
      /** TLS to the data nodes and the sentinels. */
      tls?: boolean;
    }
  | { kind: 'cluster'; nodes: RedisNodeAddress[]; password?: string; tls?: boolean };

const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;

/**
 * Reads a comma-separated `host:port` list (IPv6 hosts in brackets). Returns the addresses, or the first entry that
 * is not one, so the caller can name it.
 */
export function parseHostPortList(
  list: string,
): { ok: true; nodes: RedisNodeAddress[] } | { ok: false; bad: string } {
  const entries = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return { ok: false, bad: list };
  const nodes: RedisNodeAddress[] = [];
  for (const entry of entries) {
    const match = HOST_PORT.exec(entry);
    const port = match ? Number(match[3]) : 0;
    const host = match ? (match[1] ?? match[2]) : undefined;
    if (!host || port < 1 || port > 65535) return { ok: false, bad: entry };
    nodes.push({ host, port });
  }
  return { ok: true, nodes };
}

/**
 * The hash tag of a key prefix by Redis Cluster's rule: the text between the first `{` and the first `}` after
 * it, when not empty. Keys sharing a hash tag share a slot, which BullMQ's and dirsync's multi-key scripts need.
 */
export function hashTagOf(prefix: string): string | undefined {
  const open = prefix.indexOf('{');
  if (open < 0) return undefined;
  const close = prefix.indexOf('}', open + 1);
  if (close <= open + 1) return undefined;
  return prefix.slice(open + 1, close);
}
