import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { MIGRATIONS, migrate } from '../../src/core/store/sqlite/schema.js';
import { metaDoc, orderDoc, tradeDoc } from '../helpers/store-docs.js';
import { tempStoreDir } from '../helpers/store-tmp.js';

const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const U = 'AB1234';
const indexes = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();

describe('schema 2: fewer index pages per commit', () => {
  it('upgrades a schema-1 file with data: same answers, open orders from the partial index', async () => {
    const tmp = tempStoreDir();
    dirs.push(tmp);
    const file = path.join(tmp.dir, 'v1.db');
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    migrate(raw, file, MIGRATIONS.slice(0, 1));
    const put = raw.prepare('INSERT INTO orders (user_id, order_id, status, placed_at, doc) VALUES (?, ?, ?, ?, ?)');
    raw.prepare('INSERT INTO meta (user_id, version, doc) VALUES (?, 1, ?)').run(U, JSON.stringify({ ...metaDoc(U), version: 1 }));
    const orders = [
      orderDoc(U, 'O1', { status: 'OPEN', placed_at: 20 }),
      orderDoc(U, 'O2', { status: 'COMPLETE', placed_at: 10 }),
      orderDoc(U, 'O3', { status: 'TRIGGER PENDING', placed_at: 10 }),
      orderDoc(U, 'O4', { status: 'OPEN', placed_at: 10 }),
    ];
    for (const o of orders) put.run(U, o.order_id, o.status, o.placed_at, JSON.stringify(o));
    const trade = tradeDoc(U, 'T1', 'O2');
    raw.prepare('INSERT INTO trades (user_id, trade_id, order_id, filled_at, doc) VALUES (?, ?, ?, ?, ?)').run(U, 'T1', 'O2', trade.filled_at, JSON.stringify(trade));
    expect(indexes(raw)).toEqual(['orders_by_status', 'orders_by_time', 'trades_by_order', 'trades_by_time']);
    raw.close();

    const store = openSqliteStore(file);
    expect((await store.load(U)).openOrders.map((o) => o.order_id)).toEqual(['O3', 'O4', 'O1']);
    expect((await store.orders(U)).map((o) => o.order_id)).toEqual(['O1', 'O4', 'O3', 'O2']);
    expect((await store.orders(U, { limit: 2 })).map((o) => o.order_id)).toEqual(['O1', 'O4']);
    expect(await store.trades(U, 'O2')).toEqual([trade]);
    await store.close();

    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(indexes(after)).toEqual(['orders_by_time', 'orders_open', 'trades_by_order']);
    const partial = after.prepare("SELECT partial FROM pragma_index_list('orders') WHERE name = 'orders_open'").pluck().get();
    expect(partial).toBe(1); // only OPEN and TRIGGER PENDING orders have an entry
    after.close();
  });
});

describe('schema 3: after-market orders', () => {
  it('upgrades a schema-2 file: old orders become regular, AMO REQ RECEIVED rows are open orders', async () => {
    const tmp = tempStoreDir();
    dirs.push(tmp);
    const file = path.join(tmp.dir, 'v2.db');
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    migrate(raw, file, MIGRATIONS.slice(0, 2));
    const put = raw.prepare('INSERT INTO orders (user_id, order_id, status, placed_at, doc) VALUES (?, ?, ?, ?, ?)');
    raw.prepare('INSERT INTO meta (user_id, version, doc) VALUES (?, 1, ?)').run(U, JSON.stringify({ ...metaDoc(U), version: 1 }));
    const old = (o: ReturnType<typeof orderDoc>) => {
      const { variety: _, ...doc } = o; // as stored before the variety was kept
      return doc;
    };
    const rows = [
      old(orderDoc(U, 'O1', { status: 'OPEN', placed_at: 20 })),
      old(orderDoc(U, 'O2', { status: 'COMPLETE', placed_at: 10 })),
      orderDoc(U, 'O3', { status: 'AMO REQ RECEIVED', variety: 'amo', placed_at: 30 }),
    ];
    for (const o of rows) put.run(U, o.order_id, o.status, o.placed_at, JSON.stringify(o));
    put.run(U, 'O4', 'OPEN', 40, 'not json'); // a damaged row stays as it is, for doctor to name
    raw.close();

    const store = openSqliteStore(file);
    const open = (await store.load(U).catch(() => null))?.openOrders;
    expect(open).toBeUndefined(); // the damaged open row is refused on load, as before
    await store.close();
    const after = new Database(file);
    expect(after.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const docs = after.prepare("SELECT order_id, doc FROM orders WHERE order_id != 'O4' ORDER BY order_id").all() as Array<{ order_id: string; doc: string }>;
    expect(docs.map((r) => [r.order_id, (JSON.parse(r.doc) as { variety?: string }).variety])).toEqual([['O1', 'regular'], ['O2', 'regular'], ['O3', 'amo']]);
    expect(after.prepare("SELECT doc FROM orders WHERE order_id = 'O4'").pluck().get()).toBe('not json');
    after.prepare("DELETE FROM orders WHERE order_id = 'O4'").run();
    after.close();

    const again = openSqliteStore(file);
    expect((await again.load(U)).openOrders.map((o) => [o.order_id, o.status])).toEqual([['O1', 'OPEN'], ['O3', 'AMO REQ RECEIVED']]);
    expect((await again.orders(U, { status: ['AMO REQ RECEIVED'] })).map((o) => o.order_id)).toEqual(['O3']);
    await again.close();
  });
});
