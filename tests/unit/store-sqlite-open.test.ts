import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { AlgoError, UsageError } from '../../src/core/errors.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { MIGRATIONS, migrate, type Migration } from '../../src/core/store/sqlite/schema.js';
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
    expect(tables).toEqual(['meta', 'orders', 'positions', 'trades']);
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

    const newer = path.join(dir, 'newer.db');
    const raw = new Database(newer);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openSqliteStore(newer)).toThrow(AlgoError);
    expect(() => openSqliteStore(newer)).toThrow(/newer than this algo knows/);
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
