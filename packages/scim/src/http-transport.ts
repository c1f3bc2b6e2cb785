import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosProxyConfig } from 'axios';

export interface HttpTransportOptions {
  /** Whole-request deadline (connect, headers and body), in milliseconds. */
  timeoutMs: number;
  userAgent: string;
  /**
   * An explicit proxy, or `false` (the default) for none. The package never reads `HTTP(S)_PROXY` itself:
   * the app passes a proxy it has configured.
   */
  proxy?: AxiosProxyConfig | false;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, unknown>;
  body: string;
}

/**
 * Either an answer, or the safe facts of a request that got none. The underlying axios error never leaves this
 * module: it carries the request config, Authorization header included.
 */
export type HttpResult =
  | { ok: true; answer: HttpAnswer }
  | { ok: false; code: string; message: string; timedOutAfterMs?: number };

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** One keep-alive connection pool and axios instance, shared by the token provider and the SCIM client. */
export class HttpTransport {
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });
  private readonly client: AxiosInstance;
  private readonly timeoutMs: number;

  constructor(options: HttpTransportOptions) {
    this.timeoutMs = options.timeoutMs;
    this.client = axios.create({
      adapter: 'http',
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      proxy: options.proxy ?? false,
      // Status handling is ours; redirects are refused, so credentials never follow one to another host.
      validateStatus: () => true,
      maxRedirects: 0,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxContentLength: MAX_BODY_BYTES,
      headers: { 'User-Agent': options.userAgent },
    });
  }

  /**
   * Sends one request. Resolves with the answer or a network failure; rejects only with `signal.reason` when the
   * caller's signal aborts.
   */
  async send(request: HttpRequest): Promise<HttpResult> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    try {
      const response = await this.client.request<string>({
        method: request.method,
        url: request.url,
        headers: request.headers,
        data: request.body,
        signal,
      });
      const headers: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(response.headers)) headers[name.toLowerCase()] = value;
      return {
        ok: true,
        answer: {
          status: response.status,
          headers,
          body: typeof response.data === 'string' ? response.data : '',
        },
      };
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (deadline.aborted) {
        return { ok: false, code: 'ETIMEDOUT', message: 'timed out', timedOutAfterMs: this.timeoutMs };
      }
      const code = (error as { code?: unknown }).code;
      return {
        ok: false,
        code: typeof code === 'string' && code !== '' ? code : 'ERR_NETWORK',
        message: error instanceof Error ? error.message : 'request failed',
      };
    }
  }

  /** Closes pooled connections; in-flight requests finish or fail. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
