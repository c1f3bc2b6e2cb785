import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/api/v2/scim/v2/Users/u-1`. */
  path: string;
  query: URLSearchParams;
  /** The raw request target as sent (path and encoded query). */
  rawUrl: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * What to answer: a status with headers and a body (objects are sent as JSON), or `destroy` (reset the connection
 * without answering), or `hang` (never answer).
 */
export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  destroy?: boolean;
  hang?: boolean;
}

export type Handler = (request: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>;

export interface TestServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  requests: RecordedRequest[];
  tokenRequests(): RecordedRequest[];
  scimRequests(): RecordedRequest[];
  /** Resolves with the first request (already seen or yet to come) that matches. */
  waitForRequest(match: (request: RecordedRequest) => boolean): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export const TOKEN_PATH = '/oauth/token';

/** The default token endpoint: `token-1`, `token-2`, … valid for an hour. */
export function issueTokens(expiresIn = 3600): Handler {
  let issued = 0;
  return () => {
    issued += 1;
    return {
      status: 200,
      body: { access_token: `token-${issued}`, token_type: 'bearer', expires_in: expiresIn },
    };
  };
}

/**
 * A scripted loopback server standing in for Genesys: `POST /oauth/token` goes to `token`, everything else to
 * `scim`. Every request is recorded.
 */
export async function startTestServer(
  options: { scim?: Handler; token?: Handler } = {},
): Promise<TestServer> {
  const token = options.token ?? issueTokens();
  const scim: Handler =
    options.scim ?? (() => ({ status: 404, body: { status: '404', detail: 'no route' } }));
  const requests: RecordedRequest[] = [];
  const events = new EventEmitter();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://test.invalid');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        rawUrl: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      events.emit('request', recorded);
      const handler = recorded.method === 'POST' && recorded.path === TOKEN_PATH ? token : scim;
      Promise.resolve(handler(recorded)).then(
        (answer) => {
          if (answer.destroy) {
            req.socket.destroy();
            return;
          }
          if (answer.hang) return;
          const body =
            answer.body === undefined
              ? ''
              : typeof answer.body === 'string'
                ? answer.body
                : JSON.stringify(answer.body);
          const headers: Record<string, string> = { ...answer.headers };
          if (body !== '' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
            headers['Content-Type'] = 'application/scim+json';
          }
          res.writeHead(answer.status ?? 200, headers);
          res.end(body);
        },
        (error: unknown) => {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(String(error));
        },
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tokenRequests: () => requests.filter((r) => r.path === TOKEN_PATH),
    scimRequests: () => requests.filter((r) => r.path !== TOKEN_PATH),
    waitForRequest(match) {
      const seen = requests.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const listener = (request: RecordedRequest) => {
          if (!match(request)) return;
          events.off('request', listener);
          resolve(request);
        };
        events.on('request', listener);
      });
    },
    async close() {
      // Hanging requests and idle keep-alive sockets would otherwise hold the server open.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
