import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { fail, ok, warn, type DoctorCheck } from './check.js';
import { describeError } from '../errors.js';
import { redact } from '../redact.js';
import { identifyStore, MIGRATIONS } from '../store/sqlite/schema.js';
import { connectMongo } from '../store/mongo/connect.js';
import { missingIndexes } from '../store/mongo/indexes.js';
import { COLLECTION_KINDS, legacyCollectionName, parseUserCollection, userCollections } from '../store/mongo/names.js';
import { isMongoUri } from '../store/mongo/uri.js';

/** The configured paper store: reachable, sound, and what it runs on. Reads only. */

/** A doc that the store cannot read back: not text, or not a JSON object (json_type is asked only of valid JSON). */
const BAD_DOC = "CASE WHEN typeof(doc) = 'text' AND json_valid(doc) THEN json_type(doc) = 'object' ELSE 0 END = 0";
const DAMAGED_ROWS = `
  SELECT 'account' AS what, user_id, NULL AS id FROM meta WHERE ${BAD_DOC}
  UNION ALL SELECT 'order', user_id, order_id FROM orders WHERE ${BAD_DOC}
  UNION ALL SELECT 'position', user_id, key FROM positions WHERE ${BAD_DOC}
  UNION ALL SELECT 'trade', user_id, trade_id FROM trades WHERE ${BAD_DOC}`;

interface DamagedRow {
  what: string;
  user_id: string;
  id: string | null;
}

/** Rows whose doc is not a JSON object, named by account (at most a few shown). */
function damagedRowsCheck(db: BetterSqlite3.Database, file: string): DoctorCheck {
  const rows = db.prepare(DAMAGED_ROWS).all() as DamagedRow[];
  if (rows.length === 0) return ok('store rows', 'every account, order, position and trade is readable');
  const shown = rows.slice(0, 5).map((r) => (r.id === null ? `account ${r.user_id}` : `${r.what} ${r.id} of account ${r.user_id}`));
  const more = rows.length > 5 ? ` and ${rows.length - 5} more` : '';
  // `algo paper reset` reads the account row, so it mends the other rows of an account only.
  const resettable = [...new Set(rows.map((r) => r.user_id))].filter((u) => !rows.some((r) => r.user_id === u && r.id === null)).sort();
  const reset = resettable.length === 0 ? '' : `, or start ${resettable.length === 1 ? 'account' : 'accounts'} ${resettable.join(', ')} afresh with \`algo paper reset\``;
  return fail(
    'store rows',
    `SQLite ${file}: ${rows.length} damaged row${rows.length === 1 ? '' : 's'} (not a JSON object): ${shown.join(', ')}${more}`,
    `restore the file from a backup${reset}`,
  );
}

function sqliteChecks(file: string): DoctorCheck[] {
  const name = 'store';
  if (!fs.existsSync(file)) return [warn(name, `SQLite ${file} does not exist yet`, 'it is created the first time a paper command runs')];
  for (const p of [file, path.dirname(file)]) {
    try {
      fs.accessSync(p, fs.constants.R_OK | fs.constants.W_OK);
    } catch {
      return [fail(name, `SQLite ${p} is not readable and writable`, `fix its owner or mode (chmod u+rw ${p})`)];
    }
  }
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') return [fail(name, `SQLite ${file} failed its integrity check (${String(check)})`, 'restore it from a backup, or move it away to start afresh')];
    const identity = identifyStore(db);
    if (identity.kind === 'foreign') {
      return [fail(name, `SQLite ${file} is not an algo paper store (another program's database: ${identity.what})`, 'point --store (or ALGO_STORE) at an algo file, or at a new one')];
    }
    if (identity.kind === 'empty') return [ok(name, `SQLite ${file}: empty, set up on first use`)];
    const version = identity.version;
    const known = MIGRATIONS.length;
    if (version > known) return [fail(name, `SQLite ${file} has schema ${version}, newer than this algo (${known})`, 'upgrade algo')];
    const schema = version === known ? `schema ${version}` : `schema ${version}, upgraded to ${known} on next use`;
    return [ok(name, `SQLite ${file}: integrity ok, ${schema}`), damagedRowsCheck(db, file)];
  } catch (err) {
    return [fail(name, `SQLite ${file} cannot be read (${redact(describeError(err))})`, 'restore it from a backup, or move it away to start afresh')];
  } finally {
    db?.close();
  }
}

async function mongoChecks(uri: string, timeoutMs?: number): Promise<DoctorCheck[]> {
  let conn;
  try {
    conn = await connectMongo(uri, { timeoutMs });
  } catch (err) {
    return [fail('store', redact(describeError(err)), 'start mongod or fix --store/ALGO_STORE')];
  }
  try {
    const { db, target } = conn;
    const out: DoctorCheck[] = [ok('store', `MongoDB ${conn.serverVersion} at ${target.hosts}, database ${target.database} (${conn.topology})`)];
    out.push(
      conn.transactions
        ? ok('transactions', 'available: every change is one transaction')
        : warn('transactions', 'not available on a standalone server: changes go through the meta journal', 'for full transactions run mongod as a replica set (even of one node)'),
    );
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    const users = [...new Set(names.map((n) => parseUserCollection(n)?.userId).filter((u): u is string => u !== undefined))].sort();
    const missing: string[] = [];
    for (const userId of users) {
      const cols = userCollections(userId);
      for (const kind of COLLECTION_KINDS) {
        if (!names.includes(cols[kind])) continue;
        const present = await db.collection(cols[kind]).listIndexes().toArray();
        for (const index of missingIndexes(kind, present)) missing.push(`${cols[kind]}.${index}`);
      }
    }
    out.push(
      missing.length === 0
        ? ok('indexes', `present for ${users.length} user${users.length === 1 ? '' : 's'}`)
        : warn('indexes', `missing: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`, 'any paper command creates them when it opens the store'),
    );
    const legacy = COLLECTION_KINDS.map(legacyCollectionName).filter((n) => names.includes(n));
    if (legacy.length > 0) out.push(warn('legacy collections', `${legacy.join(', ')} still in ${target.database}`, 'run `algo migrate` to move them to user_default_*'));
    return out;
  } catch (err) {
    return [fail('store', `MongoDB at ${conn.target.hosts}: ${redact(describeError(err))}`, 'check the user\'s privileges in --store/ALGO_STORE')];
  } finally {
    await conn.client.close().catch(() => undefined);
  }
}

export async function checkStore(uri: string, opts: { mongoTimeoutMs?: number } = {}): Promise<DoctorCheck[]> {
  if (uri.startsWith('sqlite:')) return sqliteChecks(uri.slice('sqlite:'.length));
  if (uri === 'memory:') return [warn('store', 'memory: keeps paper accounts in this process only; they are gone when it exits', 'use sqlite:PATH (the default) to keep them')];
  if (isMongoUri(uri)) return mongoChecks(uri, opts.mongoTimeoutMs);
  return [fail('store', `unknown store ${redact(uri)}`, 'use --store sqlite:PATH, mongodb://... or memory:')];
}
