import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { AlgoError, UsageError } from '../../src/core/errors.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { APPLICATION_ID, MIGRATIONS, migrate, type Migration } from '../../src/core/store/sqlite/schema.js';
import { commit } from '../helpers/store-docs.js';
import { tempStoreDir } from '../helpers/store-tmp.js';

const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});
function tempDir(): string {
  const tmp = tempStoreDir();
  dirs.push(tmp);
  return tmp.dir;
}
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('opening the SQLite store', () => {
  it('creates missing folders (0700) and the file, WAL and shared-memory files (0600)', async () => {
    const file = path.join(tempDir(), 'a', 'b', 'algo.db');
    const store = openSqliteStore(file);
    await commit(store, 'AB1234', {});
    expect(mode(path.dirname(file))).toBe(0o700);
    expect(mode(path.dirname(path.dirname(file)))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(`${file}-shm`)).toBe(0o600);
    await store.close();
  });

  it('sets WAL mode and the latest schema version', async () => {
    const file = path.join(tempDir(), 'algo.db');
    await openSqliteStore(file).close();
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    expect(tables).toEqual(['backtest_runs', 'bot_event_seq', 'bot_events', 'bot_leases', 'bot_orders', 'bots', 'candle_cache', 'live_minutes', 'meta', 'orders', 'paper_changes', 'positions', 'trades']);
    raw.close();
  });

  it('reads go on while another connection holds the write lock, and do not see its uncommitted work', async () => {
    const file = path.join(tempDir(), 'algo.db');
    const store = openSqliteStore(file);
    await commit(store, 'AB1234', { meta: { seq: 1 } });
    const writer = new Database(file);
    writer.exec('BEGIN IMMEDIATE');
    writer.prepare("UPDATE meta SET doc = json_set(doc, '$.seq', 99)").run();
    expect((await store.meta('AB1234'))?.seq).toBe(1);
    writer.exec('COMMIT');
    writer.close();
    expect((await store.meta('AB1234'))?.seq).toBe(99);
    await store.close();
  });

  it('refuses a file that is not a database, an empty path, and a schema newer than it knows', () => {
    const dir = tempDir();
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'this is not sqlite, just some text long enough to have a header'.repeat(10));
    expect(() => openSqliteStore(junk)).toThrow(/junk\.db is not a usable paper store/);
    expect(() => openSqliteStore('')).toThrow(UsageError);

    // A newer algo's file: algo's application id and a later schema version.
    const newer = path.join(dir, 'newer.db');
    const raw = new Database(newer);
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openSqliteStore(newer)).toThrow(AlgoError);
    expect(() => openSqliteStore(newer)).toThrow(/newer than this algo knows/);
  });
});

describe("another program's SQLite file", () => {
  const digest = (p: string) => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  /** Every file of the database (the file, a -wal or -journal beside it) with its bytes. */
  const snapshot = (file: string) =>
    Object.fromEntries(
      fs
        .readdirSync(path.dirname(file))
        .filter((n) => n.startsWith(path.basename(file)))
        .map((n) => [n, digest(path.join(path.dirname(file), n))]),
    );

  const foreign: Array<[string, (db: Database.Database) => void, RegExp]> = [
    ['tables of its own', (db) => db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES (\'keep me\')'), /tables notes/],
    ['its own application id', (db) => db.pragma('application_id = 0x0f055112'), /application id 0xf055112/],
    ['a schema version of its own and no tables', (db) => db.pragma('user_version = 7'), /no algo tables, user_version 7/],
    [
      "algo's table names under another user_version 0",
      (db) => db.exec('CREATE TABLE meta (k TEXT); CREATE TABLE orders (k TEXT); CREATE TABLE positions (k TEXT); CREATE TABLE trades (k TEXT)'),
      /tables meta, orders, positions, trades/,
    ],
  ];
  for (const [name, make, what] of foreign) {
    it(`is refused, naming the file, and left byte for byte as it was: ${name}`, () => {
      const file = path.join(tempDir(), 'other.db');
      const db = new Database(file);
      make(db);
      db.close();
      const before = snapshot(file);
      const journal = new Database(file, { readonly: true });
      expect(journal.pragma('journal_mode', { simple: true })).toBe('delete');
      journal.close();

      let err: unknown;
      try {
        openSqliteStore(file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AlgoError);
      expect((err as AlgoError).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not an algo paper store \\(another program's SQLite database: `));
      expect((err as AlgoError).message).toMatch(what);
      expect((err as AlgoError).message).toMatch(/it was left unchanged$/);
      expect((err as AlgoError).hint).toContain('--store');
      expect(snapshot(file)).toEqual(before); // no -wal, no -shm, no header change
      const after = new Database(file, { readonly: true });
      expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
      after.close();
    });
  }

  it("an empty file is set up, and algo's own files are marked with its application id (older ones on their next open)", async () => {
    const dir = tempDir();
    const empty = path.join(dir, 'empty.db');
    fs.writeFileSync(empty, '', { mode: 0o600 });
    await openSqliteStore(empty).close();
    const marked = new Database(empty, { readonly: true });
    expect(marked.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    marked.close();

    // A file made before the id: algo's tables at schema 1, application id 0.
    const old = path.join(dir, 'old.db');
    const raw = new Database(old);
    MIGRATIONS[0]!(raw);
    raw.pragma('user_version = 1');
    raw.close();
    const store = openSqliteStore(old);
    await commit(store, 'AB1234', {});
    await store.close();
    const upgraded = new Database(old, { readonly: true });
    expect(upgraded.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(upgraded.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    upgraded.close();
  });
});

describe('migrate', () => {
  it('runs only the pending migrations, in order, and records the version', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    const ran: number[] = [];
    const steps: Migration[] = [0, 1, 2].map((i) => (d) => {
      ran.push(i);
      d.exec(`CREATE TABLE t${i} (x)`);
    });
    migrate(db, 'm.db', steps.slice(0, 1));
    migrate(db, 'm.db', steps);
    migrate(db, 'm.db', steps);
    expect(ran).toEqual([0, 1, 2]);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    db.close();
  });

  it('is all or nothing: a failing migration leaves the schema as it was', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    const steps: Migration[] = [
      (d) => d.exec('CREATE TABLE good (x)'),
      () => {
        throw new Error('migration 2 failed');
      },
    ];
    expect(() => migrate(db, 'm.db', steps)).toThrow('migration 2 failed');
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'good'").pluck().get()).toBe(0);
    expect(db.inTransaction).toBe(false);
    db.close();
  });
});
