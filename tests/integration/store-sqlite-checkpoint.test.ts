import fs from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { startCheckpointer } from '../../src/core/store/sqlite/checkpointer.js';
import { openDatabase } from '../../src/core/store/sqlite/open.js';
import type { SqlitePaperStore } from '../../src/core/store/sqlite/index.js';
import { commit, metaDoc, orderDoc } from '../helpers/store-docs.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

/**
 * A long-running process's store checkpoints the WAL in a worker thread on its own connection
 * (src/core/store/sqlite/checkpointer.ts), so no commit on the main thread stops for one.
 */
const U = 'AB1234';
const sqlite = sqliteFixture(afterEach);

/** n orders, one commit each: WAL frames that only a checkpoint copies into the database file. */
async function writeOrders(store: SqlitePaperStore, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) await commit(store, U, { orders: [orderDoc(U, `O${i}`, { placed_at: i })], meta: { available: metaDoc(U).available - i } });
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SQLite checkpoints in a worker thread', () => {
  it('copies the WAL back while the store writes; what was written reads back after a reopen, and the WAL file goes with the close', async () => {
    const file = sqlite.file();
    const store = sqlite.open(file, { checkpoint: 'background' });
    expect(store.checkpointStats()).toEqual({ checkpoints: 0, frames: 0, failed: null });
    await writeOrders(store, 200);
    await until('a background checkpoint', () => (store.checkpointStats()?.frames ?? 0) > 0);
    await writeOrders(store, 100, 200);
    const stats = store.checkpointStats()!;
    expect(stats.failed).toBeNull();
    expect(stats.checkpoints).toBeGreaterThan(0);
    const before = await store.load(U);
    await store.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const again = sqlite.open(file);
    expect(await again.load(U)).toEqual(before);
    expect(await again.orders(U)).toHaveLength(300);
  });

  it('the worker copies back what the main connection committed: the database file alone holds it once the WAL is checkpointed', async () => {
    const file = sqlite.file();
    const store = sqlite.open(file, { checkpoint: 'background' });
    await writeOrders(store, 50);
    const frames = (): number => store.checkpointStats()?.frames ?? 0;
    await until('the 50 commits copied back', () => frames() > 0);
    // a copy of the database file without its WAL holds the orders (a copy taken mid-checkpoint may
    // be torn: looked at again)
    const copy = `${file}.copy`;
    await until('the orders in the database file', () => {
      fs.copyFileSync(file, copy);
      let db: Database.Database | null = null;
      try {
        db = new Database(copy, { fileMustExist: true });
        return (db.prepare('SELECT COUNT(*) FROM orders').pluck().get() as number) === 50;
      } catch {
        return false;
      } finally {
        db?.close();
        for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) fs.rmSync(f, { force: true });
      }
    });
  });

  it('a one-shot store checkpoints inline and has no worker', async () => {
    const store = sqlite.open(sqlite.file());
    expect(store.checkpointStats()).toBeNull();
    await writeOrders(store, 3);
    expect(await store.orders(U)).toHaveLength(3);
  });

  it('a worker that cannot start says why, once', async () => {
    const file = sqlite.file();
    sqlite.open(file);
    let failed = 0;
    const c = startCheckpointer(file, { driver: '/nonexistent/better-sqlite3', synchronous: 'NORMAL', onFailed: () => failed++ });
    await until('the failure', () => c.stats().failed !== null);
    expect(c.stats().failed).toMatch(/nonexistent/);
    expect(failed).toBe(1);
    await c.stop();
  });

  it('a worker on a file that is gone fails the same way', async () => {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    let failed = 0;
    const c = startCheckpointer('/nonexistent/algo.db', { driver, synchronous: 'NORMAL', onFailed: () => failed++ });
    await until('the failure', () => c.stats().failed !== null);
    expect(failed).toBe(1);
    await c.stop();
  });

  it('when the worker fails, the main connection checkpoints inline again at 10,000 pages', async () => {
    const file = sqlite.file();
    const opened = openDatabase(file, { checkpoint: 'background' });
    // moved away before the worker (a thread that has yet to start and load the driver) opens it
    fs.renameSync(file, `${file}.moved`);
    try {
      await until('the failure', () => opened.checkpointer?.stats().failed !== null);
      expect(opened.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    } finally {
      await opened.checkpointer?.stop();
      opened.db.close();
    }
  });

  it('the main connection keeps an inline mark: 10,000 pages, or 50,000 while the worker checkpoints (a burst of commits leaves it no time to start the WAL over)', async () => {
    const inline = openDatabase(sqlite.file());
    const background = openDatabase(sqlite.file(), { checkpoint: 'background' });
    try {
      expect(inline.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
      expect(inline.checkpointer).toBeNull();
      expect(background.db.pragma('wal_autocheckpoint', { simple: true })).toBe(50_000);
    } finally {
      await background.checkpointer?.stop();
      inline.db.close();
      background.db.close();
    }
  });
});
