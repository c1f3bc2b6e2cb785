import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express, { type Router } from 'express';
import { CONSOLE_PATHS } from './urls.js';

/** The console's two static files, read once; the same relative path from src/ and dist/. */
const PUBLIC_DIR = new URL('../../public/', import.meta.url);

const TYPES = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const;
export type ConsoleAsset = keyof typeof TYPES;

interface LoadedAsset {
  body: Buffer;
  version: string;
}

let loaded: Map<ConsoleAsset, LoadedAsset> | undefined;

function assets(): Map<ConsoleAsset, LoadedAsset> {
  if (loaded) return loaded;
  const map = new Map<ConsoleAsset, LoadedAsset>();
  for (const name of Object.keys(TYPES) as ConsoleAsset[]) {
    const body = readFileSync(new URL(name, PUBLIC_DIR));
    map.set(name, { body, version: createHash('sha256').update(body).digest('hex').slice(0, 12) });
  }
  loaded = map;
  return map;
}

/** The asset's URL with its content hash, so a page always loads the file it was rendered with. */
export function assetPath(name: ConsoleAsset): string {
  return `${CONSOLE_PATHS.assets}/${name}?v=${assets().get(name)?.version ?? ''}`;
}

/**
 * Serves `/admin/console/console.js` and `console.css` (mounted under `/admin`, behind its auth). A request
 * naming the current version may cache it for good; any other is revalidated (ETag).
 */
export function consoleAssetsRouter(): Router {
  const files = assets();
  const router = express.Router();
  router.get('/console/:name', (req, res, next) => {
    const name = req.params.name as ConsoleAsset;
    const file = Object.hasOwn(TYPES, name) ? files.get(name) : undefined;
    if (!file) {
      next();
      return;
    }
    res.set({
      'Content-Type': TYPES[name],
      'Cache-Control':
        req.query.v === file.version ? 'private, max-age=31536000, immutable' : 'private, no-cache',
    });
    res.send(file.body);
  });
  return router;
}
