import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { orderKey } from '../../src/core/bot/keys.js';
import { StaleLeaseError } from '../../src/core/bot/store.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { commit, orderDoc, tradeDoc } from '../helpers/store-docs.js';
import { sqliteFixture } from '../helpers/store-tmp.js';
import { emaBot } from '../helpers/bots.js';

// Group commit (src/core/store/sqlite/group.ts): the writes asked for in one turn share one
// transaction, each in its own savepoint.
const sqlite = sqliteFixture(afterEach);
const users = ['GA0001', 'GA0002', 'GA0003', 'GA0004', 'GA0005'];
const T0 = Date.UTC(2026, 10, 25, 4, 0);

/** The account's meta as a fresh connection reads it (what another process would see). */
function metaOnDisk(file: string, uid: string): { version: number; seq: number } | null {
  const db = new Database(file, { readonly: true });
  try {
    const doc = db.prepare('SELECT doc FROM meta WHERE user_id = ?').pluck().get(uid) as string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as { version: number; seq: number });
  } finally {
    db.close();
  }
}

describe('the SQLite store commits the writes of one turn together', () => {
  it('writes asked for together share one transaction, and all of them are on disk', async () => {
    const file = sqlite.file();
    const store = sqlite.open(file);
    await commit(store, users[0]!, {});
    const before = store.commitStats();
    await Promise.all(users.map((u, i) => commit(store, u, { meta: { seq: 10 + i } })));
    const after = store.commitStats();
    expect(after.commits - before.commits).toBe(1);
    expect(after.writes - before.writes).toBe(users.length);
    users.forEach((u, i) => expect(metaOnDisk(file, u)?.seq).toBe(10 + i));
    // the COMMIT statements' own time is counted (for the bots bench)
    expect(after.commitMs).toBeGreaterThan(before.commitMs);
    expect(after.longestCommitMs).toBeGreaterThan(0);
    expect(after.longestCommitMs).toBeLessThanOrEqual(after.commitMs);
  });

  it('a write that fails is undone alone, its partial writes too; the others commit', async () => {
    const file = sqlite.file();
    const store = sqlite.open(file);
    for (const u of users.slice(0, 3)) await commit(store, u, { meta: { seq: 1 } });
    const [a, b, c] = users;
    const results = await Promise.allSettled([
      commit(store, a!, { meta: { seq: 2 } }),
      // an order is written, then its trade names an order that does not exist: the store refuses the change after writing part of it
      commit(store, b!, { meta: { seq: 2 }, orders: [orderDoc(b!, 'O1')], trades: [tradeDoc(b!, 'T1', 'NOPE')] }),
      store.update(c!, () => {
        throw new Error('the step failed');
      }),
      commit(store, c!, { meta: { seq: 3 } }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/trade T1 is for order NOPE/);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/the step failed/);
    expect(metaOnDisk(file, a!)).toMatchObject({ seq: 2, version: 2 });
    expect(metaOnDisk(file, b!)).toMatchObject({ seq: 1, version: 1 });
    expect(await store.orders(b!)).toEqual([]);
    expect(metaOnDisk(file, c!)).toMatchObject({ seq: 3, version: 2 });
  });

  it('updates of one account in one transaction each see the one before, and the kept account is exact', async () => {
    const file = sqlite.file();
    const store = sqlite.open(file);
    const u = users[0]!;
    await commit(store, u, { meta: { seq: 0 } });
    const bump = () => store.update(u, (s) => ({ change: { meta: { ...s.meta!, seq: s.meta!.seq + 1 }, orders: [orderDoc(u, `O${s.meta!.seq + 1}`, { status: 'OPEN' })] }, result: s.meta!.seq + 1 }));
    expect(await Promise.all([bump(), bump(), bump(), bump()])).toEqual([1, 2, 3, 4]);
    expect(metaOnDisk(file, u)).toMatchObject({ seq: 4, version: 5 });
    const kept = await store.load(u);
    const fresh = openSqliteStore(file);
    expect(kept).toEqual(await fresh.load(u));
    expect(kept.openOrders.map((o) => o.order_id)).toEqual(['O1', 'O2', 'O3', 'O4']);
    await fresh.close();
  });

  it('a read asked for after a write, even one not awaited, sees it', async () => {
    const store = sqlite.open(sqlite.file());
    const u = users[0]!;
    const written = commit(store, u, { meta: { seq: 7 } });
    expect((await store.meta(u))?.seq).toBe(7);
    await written;
  });

  it('a batch waiting out another process’s lock holds the later writes back: they commit in the order asked', async () => {
    const file = sqlite.file();
    const store = openSqliteStore(file, { busyTimeoutMs: 10, busyRetries: 8 });
    const u = users[0]!;
    await commit(store, u, { meta: { seq: 0 } });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const first = commit(store, u, { meta: { seq: 1 } });
    await new Promise((r) => setTimeout(r, 30)); // the first batch is waiting for the lock
    const second = commit(store, u, { meta: { seq: 2 } });
    other.exec('ROLLBACK');
    other.close();
    await Promise.all([first, second]);
    expect(metaOnDisk(file, u)).toMatchObject({ seq: 2, version: 3 });
    await store.close();
  });

  it('a bot whose lease moved on is refused alone in a batch with the other bots’ outbox rows', async () => {
    const store = sqlite.open(sqlite.file());
    const u = users[0]!;
    const [x, y] = [await store.bots.create(u, { name: 'x', config: emaBot(), now: T0 }), await store.bots.create(u, { name: 'y', config: emaBot(), now: T0 })];
    const lx = (await store.bots.acquireLease(u, x.id, 'h1', T0, 60_000))!;
    const ly = (await store.bots.acquireLease(u, y.id, 'h1', T0, 60_000))!;
    const row = (key: string) => ({ key, minute: T0, request: { exchange: 'NSE', tradingsymbol: 'INFY', transaction_type: 'BUY' as const, quantity: 1, order_type: 'LIMIT' as const, product: 'MIS' as const, price: 150_000, validity: 'DAY' as const } });
    const results = await Promise.allSettled([
      store.bots.putOrders(u, x.id, lx.token, T0, [row(orderKey(x.id, T0, 0))]),
      store.bots.putOrders(u, y.id, ly.token + 1, T0, [row(orderKey(y.id, T0, 0))]),
      store.bots.appendEvents(u, [{ bot_id: x.id, at: T0, kind: 'note', message: 'one' }]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(StaleLeaseError);
    expect((await store.bots.orders(u, x.id)).map((r) => r.key)).toEqual([orderKey(x.id, T0, 0)]);
    expect(await store.bots.orders(u, y.id)).toEqual([]);
    expect((await store.bots.events(u, { botId: x.id })).map((e) => e.message)).toContain('one');
  });
});
