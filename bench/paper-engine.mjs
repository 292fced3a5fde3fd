// Paper orders placed, filled and committed per second, one process, on the real SQLite store; the
// quotes carry a 5-level book, so each MARKET order walks 1 to 3 levels (several trades).
// Run after `npm run build`:  node bench/paper-engine.mjs [orders-per-case] [rounds]
// Baseline (same run): raw better-sqlite3 committing one JSON row per IMMEDIATE transaction (WAL,
// synchronous=NORMAL), the floor cost of a commit on this disk. Also the store alone committing the
// same kind of change (meta + order + trade + position) built by hand, so the difference from it
// is the engine's own cost (validation, quotes, pricing, charges, positions, funds, ids).
// The machine is shared and its load swings, so the cases run interleaved in rounds and each
// figure is the median round: a slow spell then hits every case alike.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { openSqliteStore } = await import(dist('core/store/sqlite/index.js'));
const { PaperService } = await import(dist('core/paper/service.js'));
const { ManualClock } = await import(dist('core/clock.js'));
const { copyJson } = await import(dist('core/store/sqlite/accounts.js'));
const Database = createRequire(import.meta.url)('better-sqlite3');

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = Number(process.argv[3] ?? 5);
const PER_ROUND = Math.ceil(N / ROUNDS);
const USERS = Array.from({ length: 100 }, (_, i) => `U${String(i).padStart(4, '0')}`);
const MON_10 = Date.parse('2026-11-23T10:00:00+05:30'); // a Monday, market open
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bench-paper-'));

const priceOf = (k) => 1000_00 + k * 100_00;

/** A small market of our own MarketData interface: 20 NSE stocks at fixed prices, fresh quotes. */
function benchMarket(clock) {
  const list = Array.from({ length: 20 }, (_, i) => ({
    instrument_token: 100_001 + i * 256, exchange_token: 391 + i, tradingsymbol: `STOCK${i}`, name: `STOCK ${i}`, exchange: 'NSE',
    segment: 'NSE', instrument_type: 'EQ', tick_size: 5, lot_size: 1, expiry: '', strike: 0,
  }));
  // a 5-level book a side, 2, 4, 6, 8 and 10 shares one tick apart: an order of 1 to 7 walks 1 to 3 levels (the depth walk)
  const levels = (ltp, sign) => [1, 2, 3, 4, 5].map((i) => ({ price: ltp + sign * i * 5, quantity: 2 * i, orders: i }));
  const quote = (inst) => {
    const ltp = priceOf(inst.exchange_token - 391);
    return { instrument_token: inst.instrument_token, exchange: 'NSE', tradingsymbol: inst.tradingsymbol, last_price: ltp, bid: ltp - 5, ask: ltp + 5,
      depth: { buy: levels(ltp, -1), sell: levels(ltp, 1) },
      open: ltp, high: ltp, low: ltp, close: ltp, volume: 1, lower_circuit: ltp * 0.8, upper_circuit: ltp * 1.2, timestamp: clock.now() };
  };
  const bySymbol = new Map(list.map((i) => [`NSE:${i.tradingsymbol}`, i]));
  return {
    list,
    instruments: async () => list,
    quotes: async (keys) => Object.fromEntries(keys.map((k) => [k, quote(bySymbol.get(k))])),
    candles: async () => [],
  };
}

const order = (i, type) => ({
  exchange: 'NSE', tradingsymbol: `STOCK${i % 20}`, transaction_type: i % 2 ? 'SELL' : 'BUY', quantity: 1 + (i % 7),
  order_type: type, product: 'MIS', validity: 'DAY', ...(type === 'LIMIT' ? { price: priceOf(i % 20) + (i % 2 ? 50_00 : -50_00) } : {}),
});

/**
 * A minimal in-memory implementation of our PaperStore interface (no I/O), to show the engine's
 * own cost apart from SQLite's commit. Not a database: states are copied in and out (deep copies,
 * as the SQLite store hands an update its own copy of the account it keeps).
 */
function memoryStore() {
  const accounts = new Map();
  const acct = (u) => accounts.get(u) ?? accounts.set(u, { meta: null, orders: new Map(), positions: new Map(), trades: [] }).get(u);
  const state = (u) => {
    const a = acct(u);
    return copyJson({ meta: a.meta, openOrders: [...a.orders.values()].filter((o) => o.status === 'OPEN' || o.status === 'TRIGGER PENDING'), positions: [...a.positions.values()] });
  };
  return {
    kind: 'sqlite',
    async update(u, fn) {
      const { change, result } = fn(state(u));
      if (change) {
        const a = acct(u);
        const c = copyJson(change);
        a.meta = c.meta;
        for (const o of c.orders ?? []) a.orders.set(o.order_id, o);
        for (const p of c.positions ?? []) a.positions.set(p.key, p);
        for (const k of c.deletePositions ?? []) a.positions.delete(k);
        a.trades.push(...(c.trades ?? []));
      }
      return result;
    },
    async load(u) { return state(u); },
    async meta(u) { return acct(u).meta; },
    async orders(u) { return [...acct(u).orders.values()]; },
    async order(u, id) { return acct(u).orders.get(id) ?? null; },
    async positions(u) { return [...acct(u).positions.values()]; },
    async trades(u) { return acct(u).trades; },
    async users() { return [...accounts.keys()]; },
    async reset() {},
    async close() {},
  };
}

/**
 * A case: `setup` outside the timing, then `round(n)` commits n more (state carries over between
 * rounds), then `finish` checks that everything was committed as expected.
 */
function engineCase(name, type, inMemory = false) {
  const clock = new ManualClock(MON_10);
  const store = inMemory ? memoryStore() : openSqliteStore(path.join(dir, `${name}.db`));
  const service = new PaperService({ store, market: benchMarket(clock), clock, config: { capital: 10_00_00_000_00 } });
  let i = 0;
  let done = 0;
  return {
    async setup() {
      for (const u of USERS) await service.place(u, order(0, 'MARKET')); // create the accounts outside the timing
    },
    async round(n) {
      for (const end = i + n; i < end; i++) {
        const o = await service.place(USERS[i % USERS.length], order(i, type));
        if (o.status === (type === 'MARKET' ? 'COMPLETE' : 'OPEN')) done++;
        if (i % 500 === 499) clock.advance(1000);
      }
    },
    async finish() {
      if (done !== i) throw new Error(`${name}: only ${done} of ${i} orders ended as expected`);
      let trades = 0;
      for (const u of USERS) trades += (await store.trades(u)).length;
      await store.close();
      // each MARKET order walks 1 to 3 levels of the book: at least one trade per order
      if (type === 'MARKET' && trades < i + USERS.length) throw new Error(`${name}: ${trades} trades committed, expected at least ${i + USERS.length}`);
      if (type === 'MARKET') console.log(`${name}: ${trades} trades for ${i + USERS.length} orders (the depth walk)`);
    },
  };
}

/** The same shape of change (meta + order + trade + position), built by hand: the store's own floor. */
function storeFloor() {
  const store = openSqliteStore(path.join(dir, 'floor.db'));
  const meta = (u, seq) => ({ user_id: u, capital: 1e9, available: 1e9, blocked: 0, realised_pnl: 0, charges: 0, version: 0, seq, processed_until: 0, created_at: 0, daily_equity: [] });
  const base = { exchange: 'NSE', tradingsymbol: 'STOCK0', instrument_token: 100_001, transaction_type: 'BUY', product: 'MIS' };
  const fill = (u) => (s) => {
    const seq = (s.meta?.seq ?? 0) + 1;
    const id = `${u}${String(seq).padStart(8, '0')}`; // growing per account, like the engine's ids
    return {
      result: seq,
      change: {
        meta: meta(u, seq),
        orders: [{ ...base, order_id: id, user_id: u, order_type: 'MARKET', validity: 'DAY', quantity: 1, price: 0, trigger_price: 0, status: 'COMPLETE', status_message: null,
          filled_quantity: 1, average_price: 1000_00, blocked_margin: 0, tag: null, placed_at: seq, updated_at: seq }],
        trades: [{ ...base, trade_id: `T${id}`, order_id: id, user_id: u, quantity: 1, price: 1000_00, charges: { brokerage: 30, stt: 0, exchange: 3, sebi: 0, stamp: 3, gst: 6, total: 42 }, realised_pnl: 0, filled_at: seq }],
        positions: [{ ...base, key: 'NSE:STOCK0:MIS', user_id: u, quantity: seq, cost: seq * 1000_00, realised_pnl: 0, buy_quantity: seq, buy_value: seq * 1000_00, sell_quantity: 0, sell_value: 0,
          opened_on: '2026-11-23', blocked_margin: seq * 200_00, kind: 'position', updated_at: seq }],
      },
    };
  };
  let i = 0;
  return {
    async setup() {
      for (const u of USERS) await store.update(u, fill(u));
    },
    async round(n) {
      for (const end = i + n; i < end; i++) await store.update(USERS[i % USERS.length], fill(USERS[i % USERS.length]));
    },
    async finish() {
      let seq = 0;
      for (const u of USERS) seq += (await store.meta(u)).seq;
      await store.close();
      if (seq !== i + USERS.length) throw new Error(`store floor: ${seq} commits found, expected ${i + USERS.length}`);
    },
  };
}

/** Raw better-sqlite3: one JSON row per IMMEDIATE transaction, WAL, synchronous=NORMAL. */
function rawBaseline() {
  const db = new Database(path.join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (doc) VALUES (?)');
  const doc = JSON.stringify(order(1, 'LIMIT'));
  let i = 0;
  return {
    async setup() {},
    async round(n) {
      for (const end = i + n; i < end; i++) {
        db.exec('BEGIN IMMEDIATE');
        insert.run(doc);
        db.exec('COMMIT');
      }
    },
    async finish() {
      const rows = db.prepare('SELECT count(*) FROM t').pluck().get();
      db.close();
      if (rows !== i) throw new Error(`raw baseline: ${rows} rows, expected ${i}`);
    },
  };
}

const cases = [
  ['baseline: raw better-sqlite3, 1-row transaction', rawBaseline()],
  ['store alone: update of a hand-built fill', storeFloor()],
  ['engine: MARKET orders placed + filled (MIS)', engineCase('market', 'MARKET')],
  ['engine: LIMIT orders placed, resting', engineCase('limit', 'LIMIT')],
  ['engine alone: MARKET, in-memory store (no I/O)', engineCase('mem-market', 'MARKET', true)],
  ['engine alone: LIMIT, in-memory store (no I/O)', engineCase('mem-limit', 'LIMIT', true)],
];
const perRound = cases.map(() => []);
for (const [, c] of cases) await c.setup();
for (let r = 0; r < ROUNDS; r++) {
  for (const [k, [, c]] of cases.entries()) {
    const t0 = performance.now();
    await c.round(PER_ROUND);
    perRound[k].push((performance.now() - t0) / PER_ROUND);
  }
}
for (const [, c] of cases) await c.finish();
fs.rmSync(dir, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`Paper engine on SQLite: ${PER_ROUND * ROUNDS} orders per case over ${USERS.length} accounts, ${ROUNDS} interleaved rounds (median round); node ${process.version}, ${os.cpus().length} cpus, load ${os.loadavg()[0].toFixed(2)}`);
const base = median(perRound[0]);
for (const [k, [name]] of cases.entries()) {
  const ms = median(perRound[k]);
  console.log(`${name.padEnd(48)} ${String(Math.round(1000 / ms)).padStart(7)} /s  ${(ms * 1000).toFixed(0).padStart(5)} µs each  ${(ms / base).toFixed(2).padStart(6)}x baseline`);
}
