// Tick matching through the order book: 1,000 accounts x 100 resting orders each.
// Run after `npm run build`:  node --expose-gc bench/tick-matching.mjs [quiet-ticks]
// Prints ticks per second and time per tick for ticks that fill nothing (the common case) and for
// ticks that cross a few orders (committed to the real SQLite store), how many orders each tick
// examined, and the heap the engine keeps per 1,000 accounts. Baseline (same run): the same
// quiet ticks matched by scanning every resting order, which is what the book avoids.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { openSqliteStore } = await import(dist('core/store/sqlite/index.js'));
const { PaperService } = await import(dist('core/paper/service.js'));
const { ManualClock } = await import(dist('core/clock.js'));
const { computeCharges } = await import(dist('core/paper/charges.js'));
const { misMargin } = await import(dist('core/paper/positions.js'));

const QUIET = Number(process.argv[2] ?? 1_000_000);
const CROSSING = 400;
const USERS = 1000;
const PER_USER = 100;
const INSTRUMENTS = 50;
const MON_10 = Date.parse('2026-11-23T10:00:00+05:30');
const gc = globalThis.gc ?? (() => {});
const heap = () => (gc(), gc(), process.memoryUsage().heapUsed);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bench-ticks-'));

const instruments = Array.from({ length: INSTRUMENTS }, (_, i) => ({
  instrument_token: 200_001 + i * 256, exchange_token: 781 + i, tradingsymbol: `SYM${i}`, name: `SYM ${i}`, exchange: 'NSE',
  segment: 'NSE', instrument_type: 'EQ', tick_size: 5, lot_size: 1, expiry: '', strike: 0,
}));
const clock = new ManualClock(MON_10);
const quote = (inst, ltp) => ({
  instrument_token: inst.instrument_token, exchange: 'NSE', tradingsymbol: inst.tradingsymbol, last_price: ltp, bid: null, ask: null,
  open: 1000_00, high: 1000_00, low: 1000_00, close: 1000_00, volume: 1, lower_circuit: 800_00, upper_circuit: 1200_00, timestamp: clock.now(),
});
const market = {
  instruments: async () => instruments,
  quotes: async (keys) => Object.fromEntries(keys.map((k) => [k, quote(instruments.find((i) => `NSE:${i.tradingsymbol}` === k), 1000_00)])),
  candles: async () => [],
};

/**
 * Resting orders of one account, spread over the instruments; per instrument (2,000 orders) there
 * are 800 buy limits on 400 levels 990.00 down to 970.05, 800 sell limits 1010.00 up to 1029.95,
 * 200 buy stops from 1040.00 and 200 sell stops from 960.00 down, all MIS, quantity 1.
 */
const counters = new Array(INSTRUMENTS).fill(0);
function restingOrders(userId, u) {
  const orders = [];
  for (let j = 0; j < PER_USER; j++) {
    const k = (u * PER_USER + j) % INSTRUMENTS;
    const inst = instruments[k];
    const n = counters[k]++;
    const slot = n % 10; // 4 buy limits, 4 sell limits, 1 buy stop, 1 sell stop in every 10
    const level = Math.floor(n / 10);
    let side = 'BUY';
    let type = 'LIMIT';
    let price = 0;
    let trigger = 0;
    if (slot < 4) price = 990_00 - 5 * ((level * 4 + slot) % 400);
    else if (slot < 8) { side = 'SELL'; price = 1010_00 + 5 * ((level * 4 + slot - 4) % 400); }
    else if (slot === 8) { type = 'SL-M'; trigger = 1040_00 + 5 * (level % 100); }
    else { side = 'SELL'; type = 'SL-M'; trigger = 960_00 - 5 * (level % 100); }
    const ref = price || trigger;
    const blocked = misMargin(ref, 2000) + computeCharges({ exchange: 'NSE', product: 'MIS', side, quantity: 1, price: ref }).total;
    orders.push({
      order_id: `${userId}-${j}`, user_id: userId, exchange: 'NSE', tradingsymbol: inst.tradingsymbol, instrument_token: inst.instrument_token,
      transaction_type: side, order_type: type, product: 'MIS', validity: 'DAY', quantity: 1, price, trigger_price: trigger,
      status: type === 'LIMIT' ? 'OPEN' : 'TRIGGER PENDING', status_message: null, filled_quantity: 0, average_price: 0,
      blocked_margin: blocked, tag: null, placed_at: MON_10 - 60_000, updated_at: MON_10 - 60_000,
    });
  }
  return orders;
}

async function seed(store, withOrders) {
  for (let u = 0; u < USERS; u++) {
    const userId = `U${String(u).padStart(4, '0')}`;
    const orders = withOrders ? restingOrders(userId, u) : [];
    const blocked = orders.reduce((s, o) => s + o.blocked_margin, 0);
    const meta = { user_id: userId, capital: 1_00_000_00, available: 1_00_000_00 - blocked, blocked, realised_pnl: 0, charges: 0, version: 0,
      seq: 0, processed_until: MON_10 - 60_000, created_at: MON_10 - 60_000, daily_equity: [] };
    await store.update(userId, () => ({ change: { meta, orders }, result: null }));
  }
}

// Idle accounts: what the engine keeps in memory for 1,000 accounts with nothing resting.
const idleStore = openSqliteStore(path.join(dir, 'idle.db'));
await seed(idleStore, false);
let h0 = heap();
const idle = new PaperService({ store: idleStore, market, clock, onError: (e) => { throw e; } });
await idle.start();
const idleHeap = heap() - h0;
await idle.stop();
await idleStore.close();

// 1,000 accounts x 100 resting orders.
const store = openSqliteStore(path.join(dir, 'busy.db'));
await seed(store, true);
h0 = heap();
const service = new PaperService({ store, market, clock, onError: (e) => { throw e; } });
let t0 = performance.now();
await service.start();
const startMs = performance.now() - t0;
const busyHeap = heap() - h0;
if (service.book.size !== USERS * PER_USER) throw new Error(`book holds ${service.book.size} orders, expected ${USERS * PER_USER}`);

// Quiet ticks: every instrument moving between 995.00 and 1005.00, where no order rests.
const quiet = [];
for (let i = 0; i < 2000; i++) quiet.push(quote(instruments[i % INSTRUMENTS], 995_00 + 5 * ((i * 7) % 201)));
let examined0 = service.book.examined;
t0 = performance.now();
for (let i = 0; i < QUIET; i++) await service.onQuote(quiet[i % quiet.length]);
const quietMs = performance.now() - t0;
const quietExamined = service.book.examined - examined0;

// Baseline: the same quiet ticks checked against every resting order (a scan).
const all = (await Promise.all(Array.from({ length: USERS }, (_, u) => store.orders(`U${String(u).padStart(4, '0')}`)))).flat();
const scanTicks = Math.max(1000, Math.floor(QUIET / 200));
let touched = 0;
t0 = performance.now();
for (let i = 0; i < scanTicks; i++) {
  const q = quiet[i % quiet.length];
  const p = q.last_price;
  for (const o of all) {
    if (o.instrument_token !== q.instrument_token) continue;
    const buy = o.transaction_type === 'BUY';
    if (o.status === 'OPEN' ? (buy ? p <= o.price : p >= o.price) : (buy ? p >= o.trigger_price : p <= o.trigger_price)) touched++;
  }
}
const scanMs = performance.now() - t0;
if (touched !== 0) throw new Error('quiet ticks touched an order in the scan');

// Crossing ticks: walk one instrument at a time down its buy-limit ladder, one level (2 orders) per tick.
examined0 = service.book.examined;
const trades0 = (await Promise.all(Array.from({ length: USERS }, (_, u) => store.trades(`U${String(u).padStart(4, '0')}`)))).flat().length;
t0 = performance.now();
for (let i = 0; i < CROSSING; i++) {
  const inst = instruments[i % INSTRUMENTS];
  const level = Math.floor(i / INSTRUMENTS);
  clock.advance(1);
  await service.onQuote(quote(inst, 990_00 - 5 * level));
}
const crossMs = performance.now() - t0;
const crossExamined = service.book.examined - examined0;
const fills = (await Promise.all(Array.from({ length: USERS }, (_, u) => store.trades(`U${String(u).padStart(4, '0')}`)))).flat().length - trades0;
await service.stop();
await store.close();
fs.rmSync(dir, { recursive: true, force: true });

const perSec = (n, ms) => Math.round((n / ms) * 1000).toLocaleString('en-IN');
const us = (ms, n) => ((ms / n) * 1000).toFixed(2);
console.log(`Tick matching: ${USERS} accounts x ${PER_USER} resting orders = ${service.book.size + fills} orders on ${INSTRUMENTS} instruments; node ${process.version}, ${os.cpus().length} cpus, load ${os.loadavg()[0].toFixed(2)}${globalThis.gc ? '' : ' (run with --expose-gc for exact heap figures)'}`);
console.log(`start(): catch-up and book load of ${USERS} accounts       ${(startMs / 1000).toFixed(2)} s`);
console.log(`quiet ticks (fill nothing), via the book     ${perSec(QUIET, quietMs).padStart(12)} ticks/s  ${us(quietMs, QUIET).padStart(8)} µs/tick  examined ${(quietExamined / QUIET).toFixed(2)} orders/tick`);
console.log(`baseline: same ticks scanning every order    ${perSec(scanTicks, scanMs).padStart(12)} ticks/s  ${us(scanMs, scanTicks).padStart(8)} µs/tick  examined ${all.length} orders/tick`);
console.log(`crossing ticks (SQLite commits per fill)     ${perSec(CROSSING, crossMs).padStart(12)} ticks/s  ${us(crossMs, CROSSING).padStart(8)} µs/tick  examined ${(crossExamined / CROSSING).toFixed(2)} orders/tick, filled ${(fills / CROSSING).toFixed(2)}/tick`);
console.log(`heap kept per 1,000 accounts: idle ${(idleHeap / 1024 / 1024).toFixed(2)} MB; with 100 resting orders each ${(busyHeap / 1024 / 1024).toFixed(1)} MB (${Math.round(busyHeap / (USERS * PER_USER))} B per resting order)`);
