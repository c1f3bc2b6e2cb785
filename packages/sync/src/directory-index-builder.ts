import type { Logger } from '@dirsync/core';
import { parseOwnedPath, type ScimUser, type UserPage } from '@dirsync/scim';
import type { DirectoryIndex, DirectoryIndexStats, IndexedUser } from './directory-index.js';

/** Genesys may answer bigger pages with 429. */
const PAGE_SIZE = 25;

/** What the builder needs from a SCIM client: every user, inactive included, page by page. */
export interface DirectoryPageReader {
  listAllUsers(
    options: { includeInactive: boolean; pageSize?: number; attributes?: readonly string[] },
    ctx?: { correlationId?: string; signal?: AbortSignal },
  ): AsyncIterable<UserPage>;
}

export interface IndexBuildProgress {
  usersRead: number;
  /** What the current pass reports as its total (the inactive pass reports its own). */
  usersTotal?: number;
  pages: number;
}

export interface IndexBuildResult extends DirectoryIndexStats {
  pages: number;
}

/** A build fed page by page, by the builder's own read or by a reconcile run reading the same pages. */
export interface IndexBuild {
  recordPage(users: readonly ScimUser[]): Promise<void>;
  /** Every page was read: drop users not seen and trust the index from the build's start. */
  complete(): Promise<DirectoryIndexStats>;
}

/** The SCIM `attributes=` a page needs for the index: the owned attributes and what identifies a user. */
export function indexAttributes(owned: readonly string[]): string[] {
  const names = new Set(['externalId', 'userName', 'active']);
  for (const raw of owned) {
    const parsed = parseOwnedPath(raw);
    if (parsed.kind === 'attribute') {
      const { schema, attr } = parsed.location;
      names.add(schema === undefined ? attr : `${schema}:${attr}`);
    } else if (parsed.kind === 'typed') names.add(parsed.attr);
    else names.add('roles');
  }
  return [...names];
}

/**
 * Builds the directory index by reading every target user (active and inactive) in pages of 25 at background
 * budget priority, asking only for the attributes the index keeps.
 */
export class DirectoryIndexBuilder {
  private readonly index: DirectoryIndex;
  private readonly reader: DirectoryPageReader;
  private readonly attributes: string[];
  private readonly project: (user: ScimUser) => ScimUser;
  private readonly logger: Logger | undefined;

  constructor(options: {
    index: DirectoryIndex;
    reader: DirectoryPageReader;
    /** Owned attribute paths (the mapping's, plus externalId). */
    owned: readonly string[];
    /** What the index keeps of a user: the same projection as the target cache. */
    project: (user: ScimUser) => ScimUser;
    logger?: Logger | undefined;
  }) {
    this.index = options.index;
    this.reader = options.reader;
    this.attributes = indexAttributes(options.owned);
    this.project = options.project;
    this.logger = options.logger;
  }

  /** Starts a build whose pages someone else reads. */
  startBuild(): IndexBuild {
    const startedAt = Date.now();
    return {
      recordPage: (users) => this.index.record(users.flatMap((u) => this.toIndexed(u))),
      complete: () => this.index.completeBuild(startedAt),
    };
  }

  /** Reads the whole directory into the index. */
  async build(
    request: {
      runId: string;
      signal?: AbortSignal | undefined;
      onProgress?: (progress: IndexBuildProgress) => Promise<void> | void;
    } = { runId: 'index' },
  ): Promise<IndexBuildResult> {
    const build = this.startBuild();
    const ctx: { correlationId: string; signal?: AbortSignal } = { correlationId: request.runId };
    if (request.signal) ctx.signal = request.signal;
    let usersRead = 0;
    let pages = 0;
    const pageOptions = { includeInactive: true, pageSize: PAGE_SIZE, attributes: this.attributes };
    for await (const page of this.reader.listAllUsers(pageOptions, ctx)) {
      await build.recordPage(page.users);
      usersRead += page.users.length;
      pages += 1;
      await request.onProgress?.({ usersRead, usersTotal: page.totalResults, pages });
    }
    const stats = await build.complete();
    this.logger?.info('directory index built', { runId: request.runId, users: stats.users, pages });
    return { ...stats, pages };
  }

  private toIndexed(user: ScimUser): IndexedUser[] {
    if (typeof user.id !== 'string') return [];
    const kept = this.project(user);
    if (user.active !== undefined) kept.active = user.active;
    if (typeof user.userName === 'string') kept.userName = user.userName;
    return [{ scimId: user.id, version: user.meta?.version, user: kept }];
  }
}
