import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { AlgoError } from '../../src/core/errors.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { runStoreContract } from '../contract/store-contract.js';
import { commit, metaDoc, orderDoc, tradeDoc } from '../helpers/store-docs.js';
import { sqliteFixture, tempSqliteStore } from '../helpers/store-tmp.js';

runStoreContract('sqlite', () => tempSqliteStore());
// as the server, the dashboard and the bot runners open it: checkpoints in a worker thread
runStoreContract('sqlite, checkpointing in a worker', () => tempSqliteStore({ checkpoint: 'background' }));

describe('SQLite store specifics', () => {
  const sqlite = sqliteFixture(afterEach);
  const dbFile = (): string => sqlite.file();

  it('keeps everything after closing and opening again', async () => {
    const file = dbFile();
    const first = openSqliteStore(file);
    await commit(first, 'AB1234', { orders: [orderDoc('AB1234', 'O1', { status: 'COMPLETE' })], trades: [tradeDoc('AB1234', 'T1', 'O1')] });
    await first.close();
    const second = openSqliteStore(file);
    expect(await second.meta('AB1234')).toEqual({ ...metaDoc('AB1234'), version: 1 });
    expect((await second.trades('AB1234', 'O1')).map((t) => t.trade_id)).toEqual(['T1']);
    await second.close();
  });

  it('two connections to one file interleave updates without losing any', async () => {
    const file = dbFile();
    const stores = [openSqliteStore(file), openSqliteStore(file)];
    const bump = (i: number) =>
      stores[i % 2]!.update('AB1234', (state) => {
        const meta = state.meta ?? metaDoc('AB1234');
        return { change: { meta: { ...meta, seq: meta.seq + 1 }, orders: [orderDoc('AB1234', `O${meta.seq + 1}`)] }, result: null };
      });
    await Promise.all(Array.from({ length: 100 }, (_, i) => bump(i)));
    expect(await stores[0]!.meta('AB1234')).toMatchObject({ seq: 100, version: 100 });
    expect((await stores[1]!.orders('AB1234')).length).toBe(100);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('refuses a trade whose order is in neither the store nor the change', async () => {
    const store = openSqliteStore(dbFile());
    await commit(store, 'AB1234', {});
    await expect(commit(store, 'AB1234', { trades: [tradeDoc('AB1234', 'T1', 'O404')] })).rejects.toThrow(/order O404/);
    expect(await store.trades('AB1234')).toEqual([]);
    expect((await store.meta('AB1234'))?.version).toBe(1);
    await store.close();
  });

  it('refuses an update function that returns no change field', async () => {
    const store = openSqliteStore(dbFile());
    await expect(store.update('AB1234', () => ({ result: 1 }) as never)).rejects.toThrow(/return \{ change, result \}/);
    expect(await store.users()).toEqual([]);
    await store.close();
  });

  it('stores docs as JSON with the query columns copied from them', async () => {
    const file = dbFile();
    const store = openSqliteStore(file);
    await commit(store, 'AB1234', { orders: [orderDoc('AB1234', 'O1', { status: 'TRIGGER PENDING', placed_at: 1234 })] });
    await store.close();
    const raw = new Database(file, { readonly: true });
    const row = raw.prepare('SELECT user_id, order_id, status, placed_at, doc FROM orders').get() as Record<string, unknown>;
    raw.close();
    expect(row).toMatchObject({ user_id: 'AB1234', order_id: 'O1', status: 'TRIGGER PENDING', placed_at: 1234 });
    expect(JSON.parse(row.doc as string)).toEqual(orderDoc('AB1234', 'O1', { status: 'TRIGGER PENDING', placed_at: 1234 }));
  });

  it("reports SQLite's own failures as one line naming the file, and lets fn's errors through as they are", async () => {
    const file = dbFile();
    const store = openSqliteStore(file);
    await commit(store, 'AB1234', {});
    const vandal = new Database(file);
    vandal.exec('DROP TABLE trades');
    vandal.close();
    const failed = store.trades('AB1234');
    await expect(failed).rejects.toBeInstanceOf(AlgoError);
    await expect(failed).rejects.toThrow(`the paper store ${file} failed: no such table: trades`);
    const mine = new RangeError('not a SqliteError');
    await expect(
      store.update('AB1234', () => {
        throw mine;
      }),
    ).rejects.toBe(mine);
    await store.close();
  });

  it('a closed store says so', async () => {
    const store = openSqliteStore(dbFile());
    await store.close();
    await expect(store.load('AB1234')).rejects.toThrow(AlgoError);
    await expect(store.load('AB1234')).rejects.toThrow(/is closed/);
  });
});
