import { redactString } from '@dirsync/core';
import type { Cluster, Redis } from 'ioredis';
import type { TimelineEntry } from './console-view.js';
import type { SyncKeys } from './keys.js';

/** Entries kept per person (issue 17: the last 100). */
export const TIMELINE_CAP = 100;
const DAY_MS = 86_400_000;

/** How much of a person's story is kept: the newest `cap` entries, none older than `retentionMs`. */
export interface TimelineSettings {
  cap: number;
  retentionMs: number;
}

/** The timeline's settings for a report retention (`REPORT_RETENTION_DAYS`): entries live as long as reports. */
export function timelineSettings(retentionDays = 30): TimelineSettings {
  return { cap: TIMELINE_CAP, retentionMs: retentionDays * DAY_MS };
}

/**
 * Event entries are written inside the ingest and schedule scripts, in the same round trip as the event, in a
 * compact form built there from the event's own arguments: `e|<status>|<at>|<occurredAtMs>|<type>|<eventId>`
 * (the id last: it may hold `|`). Every other entry is JSON.
 */
const EVENT_PREFIX = 'e|';

/** The part of a compact event entry after its status, for a script that adds `e|<status>|` in front. */
export function eventEntryTail(fields: {
  at: number;
  eventId: string;
  type: string;
  occurredAtMs: number;
}): string {
  return `${fields.at}|${fields.occurredAtMs}|${fields.type}|${fields.eventId}`;
}

const EVENT_STATUSES = new Set(['accepted', 'duplicate', 'stale', 'scheduled']);

/** A compact event entry as the timeline shows it. */
function parseEventEntry(line: string): TimelineEntry | undefined {
  const parts = line.slice(EVENT_PREFIX.length).split('|');
  const [status, at, occurredAtMs, type] = parts;
  const eventId = parts.slice(4).join('|');
  if (!status || !EVENT_STATUSES.has(status) || !type || parts.length < 5) return undefined;
  const occurred = new Date(Number(occurredAtMs));
  return {
    kind: 'event',
    at: Number(at),
    eventId,
    type,
    occurredAt: Number.isNaN(occurred.getTime()) ? '' : occurred.toISOString(),
    status: status as Extract<TimelineEntry, { kind: 'event' }>['status'],
  };
}

/** A failure's message as the timeline keeps it: one line, no stack, no file paths, credentials masked. */
export function oneLineMessage(message: string, max = 300): string {
  const first = message.split(/\r?\n\s*at\s|\r?\n/)[0] ?? '';
  const line = redactString(first)
    .replace(/(?:file:\/\/)?(?:\/[\w.@-]+){2,}\.(?:[cm]?[jt]s|json)(?::\d+)*/g, '…')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Each person's console timeline in Redis: a list, newest first, trimmed to the cap on every write and expiring
 * with the retention (set when the list is made and renewed by each write, except by intake's accepted events,
 * whose sync entry renews it moments later); entries older than the retention are dropped when read. Entries hold ids, codes, field
 * names and request lines, never HR values or tokens.
 */
export class PersonTimeline {
  private readonly redis: Redis | Cluster;
  private readonly keys: SyncKeys;
  readonly settings: TimelineSettings;
  private readonly now: () => number;

  constructor(options: {
    redis: Redis | Cluster;
    keys: SyncKeys;
    settings?: TimelineSettings;
    now?: () => number;
  }) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.settings = options.settings ?? timelineSettings();
    this.now = options.now ?? Date.now;
  }

  /** The person's entries, newest first, none older than the retention. */
  async read(externalId: string): Promise<TimelineEntry[]> {
    const raw = await this.redis.lrange(this.keys.timeline(externalId), 0, this.settings.cap - 1);
    const oldest = this.now() - this.settings.retentionMs;
    const out: TimelineEntry[] = [];
    for (const line of raw) {
      const entry = parseEntry(line);
      if (entry && entry.at >= oldest) out.push(entry);
    }
    return out;
  }

  /** Adds entries (oldest first) to one person's timeline. */
  async append(externalId: string, ...entries: TimelineEntry[]): Promise<void> {
    await this.appendEach(entries.map((entry) => ({ externalId, entry })));
  }

  /** Adds entries to several people's timelines, pipelined (a reconcile run's findings). */
  async appendEach(items: ReadonlyArray<{ externalId: string; entry: TimelineEntry }>): Promise<void> {
    const { cap, retentionMs } = this.settings;
    for (let start = 0; start < items.length; start += 500) {
      const pipeline = this.redis.pipeline();
      for (const { externalId, entry } of items.slice(start, start + 500)) {
        const key = this.keys.timeline(externalId);
        pipeline
          .lpush(key, JSON.stringify(entry))
          .ltrim(key, 0, cap - 1)
          .pexpire(key, retentionMs);
      }
      await pipeline.exec();
    }
  }
}

function parseEntry(line: string): TimelineEntry | undefined {
  if (line.startsWith(EVENT_PREFIX)) return parseEventEntry(line);
  try {
    const entry = JSON.parse(line) as TimelineEntry;
    return typeof entry?.at === 'number' && typeof entry.kind === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}
