import { createServer, type RequestListener, type Server } from 'node:http';
import type { IngestConfig } from './env.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Where to listen: as asked (default every interface) when webhooks are signed and the admin routes have
 * credentials; loopback only otherwise, so a missing secret never opens a door to the network.
 */
export function chooseListenHost(config: IngestConfig, requested: string | undefined): string {
  const secured =
    Boolean(config.WEBHOOK_SECRET?.length) && Boolean(config.ADMIN_USER && config.ADMIN_PASSWORD);
  if (secured) return requested ?? '0.0.0.0';
  return requested !== undefined && LOOPBACK_HOSTS.has(requested) ? requested : '127.0.0.1';
}

/** Listens with the request timeouts set: a request slower than `requestTimeoutMs` is answered 408 and closed. */
export async function listen(
  app: RequestListener,
  port: number,
  host: string,
  requestTimeoutMs: number,
): Promise<Server> {
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      // Node enforces both timeouts on this tick, so a short timeout needs a short interval.
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(requestTimeoutMs / 4))),
    },
    app,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
