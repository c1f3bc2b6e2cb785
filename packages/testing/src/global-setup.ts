import type { TestProject } from 'vitest/node';
import { provideRedis } from './provide-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** Vitest global setup: one Redis for the whole run; each test isolates itself with its own key prefix. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await provideRedis();
  process.stderr.write(`[dirsync tests] Redis from ${redis.source}: ${redis.url}\n`);
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
