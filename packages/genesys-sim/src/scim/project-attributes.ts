import { type AttributePath, parseAttributePath } from './attribute-path.js';
import type { ScimUser } from './user-types.js';

type Json = Record<string, unknown>;

/** Genesys returns these whatever `attributes`/`excludedAttributes` say. */
const ALWAYS_RETURNED = ['schemas', 'id', 'userName', 'active', 'meta'];

interface Selection {
  /** An extension URN or '' for the core schema. */
  container: string;
  /** Undefined: the whole container (an extension URN on its own). */
  attribute?: string;
  subAttribute?: string;
}

function readSelections(list: string): Selection[] {
  const out: Selection[] = [];
  for (const item of list.split(',')) {
    if (item.trim() === '') continue;
    let ref: AttributePath;
    try {
      ref = parseAttributePath(item);
    } catch {
      continue; // RFC 7644 §3.9: unknown attribute names are ignored here.
    }
    if (ref.kind === 'extension') out.push({ container: ref.schema });
    else
      out.push({
        container: ref.schema ?? '',
        attribute: ref.attribute.name,
        subAttribute: ref.subAttribute?.name,
      });
  }
  return out;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function pick(value: unknown, sub: string): unknown {
  if (Array.isArray(value)) return value.map((entry) => (isObject(entry) ? pick(entry, sub) : entry));
  if (isObject(value)) return value[sub] === undefined ? {} : { [sub]: value[sub] };
  return value;
}

function mergeInto(target: Json, key: string, value: unknown): void {
  const existing = target[key];
  if (Array.isArray(existing) && Array.isArray(value)) {
    target[key] = existing.map((e, i) => ({ ...(e as Json), ...(value[i] as Json) }));
  } else if (isObject(existing) && isObject(value)) {
    target[key] = { ...existing, ...value };
  } else {
    target[key] = value;
  }
}

/** Applies the `attributes` or (if that is absent) `excludedAttributes` query parameter to a user. */
export function projectUser(
  user: ScimUser,
  options: { attributes?: string; excludedAttributes?: string },
): Json {
  const source = user as unknown as Json;
  if (options.attributes) {
    const out: Json = {};
    for (const key of ALWAYS_RETURNED) if (source[key] !== undefined) out[key] = source[key];
    for (const s of readSelections(options.attributes)) {
      const from = s.container === '' ? source : (source[s.container] as Json | undefined);
      if (!from) continue;
      if (s.attribute === undefined) {
        out[s.container] = from;
        continue;
      }
      const value = from[s.attribute];
      if (value === undefined) continue;
      const picked = s.subAttribute ? pick(value, s.subAttribute) : value;
      if (s.container === '') mergeInto(out, s.attribute, picked);
      else {
        const ext = (out[s.container] as Json | undefined) ?? {};
        mergeInto(ext, s.attribute, picked);
        out[s.container] = ext;
      }
    }
    return out;
  }
  if (!options.excludedAttributes) return source;
  const out = structuredClone(source);
  for (const s of readSelections(options.excludedAttributes)) {
    if (s.container === '' && s.attribute && ALWAYS_RETURNED.includes(s.attribute)) continue;
    const from = s.container === '' ? out : (out[s.container] as Json | undefined);
    if (!from) continue;
    if (s.attribute === undefined) {
      delete out[s.container];
      continue;
    }
    if (!s.subAttribute) delete from[s.attribute];
    else {
      const value = from[s.attribute];
      const entries = Array.isArray(value) ? value : [value];
      for (const entry of entries) if (isObject(entry)) delete entry[s.subAttribute];
    }
    if (s.container !== '' && Object.keys(from).length === 0) delete out[s.container];
  }
  return out;
}
