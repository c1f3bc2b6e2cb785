#!/usr/bin/env node
// `pnpm bench` (after `pnpm build`): the benchmarks are TypeScript under bench/src, run through tsx; the apps they
// measure run as separate processes from their built dist/. Workspace packages resolve to dist/ here too.
import { register } from 'tsx/esm/api';

register();
await import('./src/main.ts');
