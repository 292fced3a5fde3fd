// Updates committed per second by the SQLite paper store, in one process.
// Run after `npm run build`:  node bench/store-throughput.mjs [updates-per-case]
// Baseline (same run): raw better-sqlite3, one IMMEDIATE transaction writing one JSON row each,
// which is the floor cost of a durable-in-WAL commit on this disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const { openSqliteStore } = await import(new URL('../dist/core/store/sqlite/index.js', import.meta.url).href);
const Database = createRequire(import.meta.url)('better-sqlite3');

const N = Number(process.argv[2] ?? 5000);
const RESTING = 20; // open orders every load() reads back
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bench-store-'));

function meta(userId) {
  return { user_id: userId, capital: 10_000_000, available: 10_000_000, blocked: 0, realised_pnl: 0, charges: 0, version: 0, seq: 0, processed_until: 0, created_at: 0, daily_equity: [] };
}
function order(userId, id, status) {
  return {
    order_id: id, user_id: userId, exchange: 'NSE', tradingsymbol: 'INFY', instrument_token: 408065, transaction_type: 'BUY',
    order_type: 'LIMIT', product: 'MIS', validity: 'DAY', quantity: 1, price: 150_000, trigger_price: 0, status,
    status_message: null, filled_quantity: status === 'COMPLETE' ? 1 : 0, average_price: 0, blocked_margin: 0, tag: null, placed_at: Date.now(), updated_at: Date.now(),
  };
}
function trade(userId, id, orderId) {
  return {
    trade_id: id, order_id: orderId, user_id: userId, exchange: 'NSE', tradingsymbol: 'INFY', instrument_token: 408065, transaction_type: 'BUY',
    product: 'MIS', quantity: 1, price: 150_000, charges: { brokerage: 3, stt: 0, exchange: 5, sebi: 0, stamp: 0, gst: 1, total: 9 }, realised_pnl: 0, filled_at: Date.now(),
  };
}
function position(userId, qty) {
  return {
    key: 'NSE:INFY:MIS', user_id: userId, exchange: 'NSE', tradingsymbol: 'INFY', instrument_token: 408065, product: 'MIS', quantity: qty, cost: qty * 150_000,
    realised_pnl: 0, buy_quantity: qty, buy_value: qty * 150_000, sell_quantity: 0, sell_value: 0, opened_on: '2026-11-25', blocked_margin: 0, kind: 'position', updated_at: Date.now(),
  };
}

/** One fill as the engine would write it: meta, the completed order, its trade, the position. */
function fill(userId) {
  return (state) => {
    const m = state.meta ?? meta(userId);
    const seq = m.seq + 1;
    const orders = [order(userId, `O${seq}`, 'COMPLETE')];
    if (!state.meta) for (let i = 0; i < RESTING; i++) orders.push(order(userId, `R${i}`, 'OPEN'));
    const held = state.positions[0]?.quantity ?? 0;
    return { change: { meta: { ...m, seq }, orders, trades: [trade(userId, `T${seq}`, `O${seq}`)], positions: [position(userId, held + 1)] }, result: seq };
  };
}

async function storeCase(name, users, opts) {
  const store = openSqliteStore(path.join(dir, `${name}.db`), opts);
  for (const u of users) await store.update(u, fill(u)); // create accounts outside the timing
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const u = users[i % users.length];
    await store.update(u, fill(u));
  }
  const ms = performance.now() - t0;
  const total = (await Promise.all(users.map((u) => store.meta(u)))).reduce((s, m) => s + m.seq, 0);
  await store.close();
  if (total !== N + users.length) throw new Error(`${name}: expected ${N + users.length} commits, found ${total}`);
  return ms;
}

function baseline() {
  const db = new Database(path.join(dir, 'baseline.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, doc TEXT)');
  const insert = db.prepare('INSERT INTO t (doc) VALUES (?)');
  const doc = JSON.stringify(order('AB1234', 'O1', 'COMPLETE'));
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    db.exec('BEGIN IMMEDIATE');
    insert.run(doc);
    db.exec('COMMIT');
  }
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

const many = Array.from({ length: 100 }, (_, i) => `U${String(i).padStart(4, '0')}`);
const rows = [
  ['baseline: raw IMMEDIATE txn, 1 JSON row', baseline()],
  ['store: 1 account, fill change', await storeCase('one', ['AB1234'])],
  ['store: 100 accounts round-robin, fill change', await storeCase('many', many)],
  ['store: 1 account, synchronous=FULL', await storeCase('full', ['AB1234'], { synchronous: 'FULL' })],
];
fs.rmSync(dir, { recursive: true, force: true });

console.log(`SQLite paper store throughput: ${N} updates per case, ${RESTING} resting open orders per account; node ${process.version}, ${os.cpus().length} cpus, load ${os.loadavg()[0].toFixed(2)}`);
const base = rows[0][1];
for (const [name, ms] of rows) {
  const perSec = Math.round((N / ms) * 1000);
  console.log(`${name.padEnd(48)} ${String(perSec).padStart(7)} /s  ${(ms / N * 1000).toFixed(0).padStart(5)} µs each  ${(ms / base).toFixed(1).padStart(5)}x baseline`);
}
