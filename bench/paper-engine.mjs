// Paper orders placed, filled and committed per second, one process, on the real SQLite store.
// Run after `npm run build`:  node bench/paper-engine.mjs [orders-per-case]
// Baseline (same run): the store alone committing the same kind of change (meta + order + trade +
// position) built by hand, so the difference is the engine's own cost (validation, quotes,
// pricing, charges, positions, funds, ids).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { openSqliteStore } = await import(dist('core/store/sqlite.js'));
const { PaperService } = await import(dist('core/paper/service.js'));
const { ManualClock } = await import(dist('core/clock.js'));

const N = Number(process.argv[2] ?? 5000);
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
  const quote = (inst) => {
    const ltp = priceOf(inst.exchange_token - 391);
    return { instrument_token: inst.instrument_token, exchange: 'NSE', tradingsymbol: inst.tradingsymbol, last_price: ltp, bid: ltp - 5, ask: ltp + 5,
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
 * own cost apart from SQLite's commit. Not a database: states are copied in and out as JSON.
 */
function memoryStore() {
  const accounts = new Map();
  const acct = (u) => accounts.get(u) ?? accounts.set(u, { meta: null, orders: new Map(), positions: new Map(), trades: [] }).get(u);
  const state = (u) => {
    const a = acct(u);
    return JSON.parse(JSON.stringify({ meta: a.meta, openOrders: [...a.orders.values()].filter((o) => o.status === 'OPEN' || o.status === 'TRIGGER PENDING'), positions: [...a.positions.values()] }));
  };
  return {
    kind: 'sqlite',
    async update(u, fn) {
      const { change, result } = fn(state(u));
      if (change) {
        const a = acct(u);
        const c = JSON.parse(JSON.stringify(change));
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

async function engineCase(name, type, inMemory = false) {
  const clock = new ManualClock(MON_10);
  const store = inMemory ? memoryStore() : openSqliteStore(path.join(dir, `${name}.db`));
  const service = new PaperService({ store, market: benchMarket(clock), clock, config: { capital: 10_00_00_000_00 } });
  for (const u of USERS) await service.place(u, order(0, 'MARKET')); // create the accounts outside the timing
  const t0 = performance.now();
  let done = 0;
  for (let i = 0; i < N; i++) {
    const o = await service.place(USERS[i % USERS.length], order(i, type));
    if (o.status === (type === 'MARKET' ? 'COMPLETE' : 'OPEN')) done++;
    if (i % 500 === 499) clock.advance(1000);
  }
  const ms = performance.now() - t0;
  if (done !== N) throw new Error(`${name}: only ${done} of ${N} orders ended as expected`);
  let trades = 0;
  for (const u of USERS) trades += (await store.trades(u)).length;
  await store.close();
  if (type === 'MARKET' && trades !== N + USERS.length) throw new Error(`${name}: ${trades} trades committed, expected ${N + USERS.length}`);
  return ms;
}

/** The same shape of change (meta + order + trade + position), built by hand: the store's own floor. */
async function storeFloor() {
  const store = openSqliteStore(path.join(dir, 'floor.db'));
  const meta = (u, seq) => ({ user_id: u, capital: 1e9, available: 1e9, blocked: 0, realised_pnl: 0, charges: 0, version: 0, seq, processed_until: 0, created_at: 0, daily_equity: [] });
  const base = { exchange: 'NSE', tradingsymbol: 'STOCK0', instrument_token: 100_001, transaction_type: 'BUY', product: 'MIS' };
  const fill = (u) => (s) => {
    const seq = (s.meta?.seq ?? 0) + 1;
    const id = `${u}${seq}`;
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
  for (const u of USERS) await store.update(u, fill(u));
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await store.update(USERS[i % USERS.length], fill(USERS[i % USERS.length]));
  const ms = performance.now() - t0;
  await store.close();
  return ms;
}

const rows = [
  ['baseline: store.update of a hand-built fill', await storeFloor()],
  ['engine: MARKET orders placed + filled (MIS)', await engineCase('market', 'MARKET')],
  ['engine: LIMIT orders placed, resting', await engineCase('limit', 'LIMIT')],
  ['engine alone: MARKET, in-memory store (no I/O)', await engineCase('mem-market', 'MARKET', true)],
  ['engine alone: LIMIT, in-memory store (no I/O)', await engineCase('mem-limit', 'LIMIT', true)],
];
fs.rmSync(dir, { recursive: true, force: true });

console.log(`Paper engine on SQLite: ${N} orders per case over ${USERS.length} accounts; node ${process.version}, ${os.cpus().length} cpus, load ${os.loadavg()[0].toFixed(2)}`);
const base = rows[0][1];
for (const [name, ms] of rows) {
  console.log(`${name.padEnd(48)} ${String(Math.round((N / ms) * 1000)).padStart(7)} /s  ${((ms / N) * 1000).toFixed(0).padStart(5)} µs each  ${(ms / base).toFixed(2).padStart(5)}x baseline`);
}
