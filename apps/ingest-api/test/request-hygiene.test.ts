import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { SECRET, securedEnv, startTestApi } from './harness.js';
import { rawExchange } from './raw-http.js';

/** This machine's first address that is not loopback: a client elsewhere on the network connects to it. */
function externalAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  if (!address) throw new Error('this test needs a non-loopback IPv4 interface to connect through');
  return address;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('request hygiene', () => {
  redisTest(
    '413 is decided from Content-Length before the body is read, with Connection: close',
    async ({ redisUrl, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        for (const path of ['/webhooks/directory-sync', '/admin/reconcile']) {
          // Headers only: the body never comes, so an answer proves nothing waited for it.
          const { text, closedByServer } = await rawExchange(
            api.port,
            `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n`,
          );
          expect(text, path).toMatch(/^HTTP\/1\.1 413 /);
          expect(text, path).toMatch(/\r\nConnection: close\r\n/i);
          expect(text, path).toContain('payload_too_large');
          expect(closedByServer, path).toBe(true);
        }
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'an endless chunked upload is cut off after the request timeout',
    async ({ redisUrl, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix), { requestTimeoutMs: 500 });
      try {
        const started = Date.now();
        const { text, closedByServer } = await rawExchange(
          api.port,
          'POST /webhooks/directory-sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
          { chunk: '1\r\n \r\n', giveUpMs: 20_000 },
        );
        expect(closedByServer).toBe(true);
        expect(text).toMatch(/^HTTP\/1\.1 408 /);
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        await api.close();
      }
    },
  );

  redisTest(
    'without secrets the API listens on loopback only, whatever interface it is asked for',
    async ({ redisUrl, prefix }) => {
      const external = externalAddress();
      const unsigned = await startTestApi(
        { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, ALLOW_UNSIGNED_WEBHOOKS: '1' },
        { host: '0.0.0.0' },
      );
      try {
        expect(unsigned.host).toBe('127.0.0.1');
        expect(await canConnect('127.0.0.1', unsigned.port)).toBe(true);
        expect(await canConnect(external, unsigned.port)).toBe(false);
      } finally {
        await unsigned.close();
      }
      const noAdmin = await startTestApi(
        { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, WEBHOOK_SECRET: SECRET },
        { host: '0.0.0.0' },
      );
      try {
        expect(await canConnect(external, noAdmin.port)).toBe(false);
      } finally {
        await noAdmin.close();
      }
      const secured = await startTestApi(securedEnv(redisUrl, prefix), { host: '0.0.0.0' });
      try {
        expect(secured.host).toBe('0.0.0.0');
        expect(await canConnect(external, secured.port)).toBe(true);
      } finally {
        await secured.close();
      }
    },
  );
});
