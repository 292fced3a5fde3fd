import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { AlgoError } from '../../src/core/errors.js';
import { isBusyError } from '../../src/core/store/sqlite/busy.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { commit, metaDoc } from '../helpers/store-docs.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

const U = 'AB1234';
const sqlite = sqliteFixture(afterEach);
const dbFile = (): string => sqlite.file();

/** Another connection that takes the write lock and keeps it until released. */
function holdWriteLock(file: string): { release(): void } {
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  return {
    release: () => {
      other.exec('ROLLBACK');
      other.close();
    },
  };
}

describe('a locked SQLite store', () => {
  it('gives up with a clear error after its retries, without calling fn or writing', async () => {
    const file = dbFile();
    const store = openSqliteStore(file, { busyTimeoutMs: 20, busyRetries: 2 });
    await commit(store, U, {});
    const lock = holdWriteLock(file);
    let calls = 0;
    const attempt = store.update(U, (state) => {
      calls++;
      return { change: { meta: state.meta! }, result: null };
    });
    await expect(attempt).rejects.toBeInstanceOf(AlgoError);
    await expect(attempt).rejects.toThrow(/stayed locked by another process \(gave up after 3 tries\)/);
    await expect(store.reset(U, metaDoc(U))).rejects.toThrow(/stayed locked/);
    expect(calls).toBe(0);
    lock.release();
    expect((await store.meta(U))?.version).toBe(1);
    await commit(store, U, {});
    expect((await store.meta(U))?.version).toBe(2);
    await store.close();
  });

  it('commits once the lock is released between retries', async () => {
    const file = dbFile();
    const store = openSqliteStore(file, { busyTimeoutMs: 20, busyRetries: 5 });
    await commit(store, U, {});
    const lock = holdWriteLock(file);
    setTimeout(() => lock.release(), 0);
    await commit(store, U, { meta: { seq: 9 } });
    expect(await store.meta(U)).toMatchObject({ seq: 9, version: 2 });
    await store.close();
  });

  it('tells SQLite busy errors from others', () => {
    const db = new Database(':memory:');
    let other: unknown;
    try {
      db.exec('bogus');
    } catch (err) {
      other = err;
    }
    db.close();
    expect(isBusyError(other)).toBe(false);
    expect(isBusyError(Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }))).toBe(false);
    const busy = new Database.SqliteError('database is locked', 'SQLITE_BUSY');
    expect(isBusyError(busy)).toBe(true);
    expect(isBusyError(new Database.SqliteError('recovering', 'SQLITE_BUSY_RECOVERY'))).toBe(true);
  });
});
