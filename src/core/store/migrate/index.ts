import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { redact } from '../../redact.js';
import { copyAccounts, type CopyReport } from './copy.js';
import { migrateLegacy, type LegacyReport } from './legacy.js';
import { connectMongo } from '../mongo/connect.js';
import { isMongoUri } from '../mongo/uri.js';
import { openStore } from '../open.js';
import type { PaperStore } from '../types.js';

/** `algo migrate`: which of its two jobs to do, on which stores. */

export interface MigrateRequest {
  /** The configured store (--store / ALGO_STORE / config / default). */
  store: string;
  dataDir: string;
  dryRun: boolean;
  from?: string;
  to?: string;
  /** Now (the process clock; default the system's): a source bot whose lease is live then is still running, and refuses its user. */
  now?: number;
}

export type MigrateResult =
  | { mode: 'legacy'; store: string; report: LegacyReport }
  | { mode: 'copy'; from: string; to: string; report: CopyReport };

function sameStore(a: string, b: string): boolean {
  if (a.startsWith('sqlite:') && b.startsWith('sqlite:')) return path.resolve(a.slice(7)) === path.resolve(b.slice(7));
  return a === b;
}

/**
 * The two ends of a copy. A missing end is the configured store, unless that is the other end:
 * then --from defaults to the SQLite file in the data folder, and --to must be given.
 */
export function resolveCopyEnds(req: Pick<MigrateRequest, 'store' | 'dataDir' | 'from' | 'to'>): { from: string; to: string } {
  const defaultSqlite = `sqlite:${path.join(req.dataDir, 'algo.db')}`;
  let { from, to } = req;
  if (to === undefined) {
    if (from === undefined || sameStore(from, req.store)) throw new UsageError('say where to copy the paper accounts to', 'add --to sqlite:PATH or --to mongodb://...');
    to = req.store;
  }
  from ??= sameStore(req.store, to) ? defaultSqlite : req.store;
  if (sameStore(from, to)) throw new UsageError(`--from and --to are the same store (${redact(to)})`, 'name two different stores');
  return { from, to };
}

/** A source SQLite file must already exist: opening it would otherwise create an empty one. */
function checkSourceExists(uri: string): void {
  if (uri.startsWith('sqlite:') && !fs.existsSync(uri.slice(7))) {
    throw new UsageError(`there is no SQLite paper store at ${uri.slice(7)}`, 'check --from (or --data-dir)');
  }
}

export async function runMigrate(req: MigrateRequest, open: (uri: string) => Promise<PaperStore> = openStore): Promise<MigrateResult> {
  if (req.from === undefined && req.to === undefined) {
    if (!isMongoUri(req.store)) {
      throw new UsageError(
        `algo migrate moves the legacy MongoDB collections, but the paper store is ${redact(req.store)}`,
        'use --store mongodb://... for that, or --to/--from to copy paper accounts between stores',
      );
    }
    const conn = await connectMongo(req.store);
    try {
      return { mode: 'legacy', store: redact(req.store), report: await migrateLegacy(conn.db, { dryRun: req.dryRun }) };
    } finally {
      await conn.client.close();
    }
  }
  const { from, to } = resolveCopyEnds(req);
  checkSourceExists(from);
  const source = await open(from);
  try {
    const dest = await open(to);
    try {
      return { mode: 'copy', from: redact(from), to: redact(to), report: await copyAccounts(source, dest, { dryRun: req.dryRun, ...(req.now !== undefined ? { now: req.now } : {}) }) };
    } finally {
      await dest.close();
    }
  } finally {
    await source.close();
  }
}
