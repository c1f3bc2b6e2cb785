import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasRedisServerBinary, RedisServer, waitForRedis } from '@dirsync/harness';

export interface ProvidedRedis {
  url: string;
  /** How this Redis was found: `REDIS_URL`, `testcontainers` or `redis-server`. */
  source: 'REDIS_URL' | 'testcontainers' | 'redis-server';
  stop(): Promise<void>;
}

export const HOW_TO_GET_REDIS = [
  'The integration tests need a real Redis (BullMQ runs Lua scripts that no mock implements). Provide one of:',
  '  - REDIS_URL=redis://host:port pointing at a Redis 6.2+ you may write test keys to;',
  '  - a container engine (Docker or Podman) so Testcontainers can start redis:7;',
  '  - redis-server on PATH (e.g. `apt install redis-server` or `brew install redis`).',
].join('\n');

/** Cheap check before asking Testcontainers, whose own discovery can take seconds to give up. */
function containerEngineLikely(): boolean {
  if (process.env.DOCKER_HOST || process.env.TESTCONTAINERS_HOST_OVERRIDE) return true;
  const sockets = [
    '/var/run/docker.sock',
    path.join(os.homedir(), '.docker/run/docker.sock'),
    path.join(os.homedir(), '.colima/default/docker.sock'),
    process.env.XDG_RUNTIME_DIR ? path.join(process.env.XDG_RUNTIME_DIR, 'podman/podman.sock') : '',
  ].filter(Boolean);
  return sockets.some((s) => {
    try {
      return fs.statSync(s).isSocket();
    } catch {
      return false;
    }
  });
}

async function tryTestcontainers(): Promise<ProvidedRedis | undefined> {
  if (!containerEngineLikely()) return undefined;
  try {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer('redis:7').start();
    return {
      url: container.getConnectionUrl(),
      source: 'testcontainers',
      stop: async () => {
        await container.stop();
      },
    };
  } catch (error) {
    process.stderr.write(
      `[dirsync tests] container engine present but Redis container failed: ${String(error)}\n`,
    );
    return undefined;
  }
}

/**
 * Finds a Redis for the integration tests, in the contract's order: `REDIS_URL`; else a Testcontainers `redis:7`
 * when a container engine answers; else a private `redis-server` from PATH on a free port; else an error that says
 * how to get one. Never skips silently.
 */
export async function provideRedis(env: NodeJS.ProcessEnv = process.env): Promise<ProvidedRedis> {
  const fromEnv = env.REDIS_URL?.trim();
  if (fromEnv) {
    try {
      await waitForRedis(fromEnv, 5_000);
    } catch (error) {
      throw new Error(
        `REDIS_URL is set to ${fromEnv} but nothing answers there (${String(error)}).\n${HOW_TO_GET_REDIS}`,
      );
    }
    return { url: fromEnv, source: 'REDIS_URL', stop: async () => {} };
  }
  const container = await tryTestcontainers();
  if (container) return container;
  if (hasRedisServerBinary()) {
    const server = await RedisServer.start();
    return {
      url: server.url,
      source: 'redis-server',
      stop: async () => {
        await server.dispose();
      },
    };
  }
  throw new Error(`No Redis available for the integration tests.\n${HOW_TO_GET_REDIS}`);
}
