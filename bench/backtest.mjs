// Minute bars per second through the backtest runner (issue 13): ema-cross on one sandbox stock
// over 3 months of minutes, with the paper engine's fills and charges (stop 1%, target 2%, MIS),
// beside the strategy alone on the same bars (src/core/strategy's runSignals: aggregator,
// indicators, decisions, no engine) and a bare EMA-cross loop over the closes, in the same run.
// Run after `npm run build`:  node bench/backtest.mjs [rounds] [symbols] [months]
// The candles are made before the clock starts (the feed's cost is not the runner's); each figure
// is the median of the rounds (the machine is shared).
import { performance } from 'node:perf_hooks';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { runBacktest } = await import(dist('core/backtest/run.js'));
const { runSignals } = await import(dist('core/strategy/driver.js'));
const { emaCross } = await import(dist('core/strategy/builtins/ma-cross.js'));
const { defaultsOf } = await import(dist('core/strategy/params.js'));
const { createMarket } = await import(dist('sandbox/market.js'));
const { parseIst } = await import(dist('core/ist.js'));
const { formatINR } = await import(dist('core/money.js'));

const ROUNDS = Number(process.argv[2] ?? 5);
const SYMBOLS = Number(process.argv[3] ?? 1);
const MONTHS = Number(process.argv[4] ?? 3);
const FROM = '2026-06-01';
const TO = new Date(Date.parse(`${FROM}T00:00:00Z`) + MONTHS * 30.5 * 86_400_000).toISOString().slice(0, 10);

const market = createMarket({ seed: 1 });
const instruments = market.instruments(parseIst(`${FROM} 10:00:00`)).slice(0, SYMBOLS).map((i) => ({ expiry: '', strike: 0, ...i }));
const lo = parseIst(`${FROM} 00:00:00`);
const hi = parseIst(`${TO} 00:00:00`) + 86_400_000;
const series = instruments.map((i) => market.candles(i.instrument_token, lo, hi, 1).map(({ t, open, high, low, close, volume }) => ({ t, open, high, low, close, volume })));
const merged = series.flatMap((cs, k) => cs.map((candle) => ({ token: instruments[k].instrument_token, candle }))).sort((a, b) => a.candle.t - b.candle.t || a.token - b.token);
const bars = merged.length;
// a trading day per batch, as a feed gives them
const batches = [];
for (let i = 0, day = ''; i < merged.length; i++) {
  const d = new Date(merged[i].candle.t + 330 * 60_000).toISOString().slice(0, 10);
  if (d !== day) batches.push([]);
  day = d;
  batches.at(-1).push(merged[i]);
}
const feed = { instruments, async *batches() { yield* batches; } };
const spec = {
  strategy: { kind: 'builtin', id: 'ema-cross' }, params: {}, symbols: instruments.map((i) => `NSE:${i.tradingsymbol}`), from: FROM, to: TO,
  sizing: { quantity: 10 }, product: 'MIS', exits: { stopLoss: { percent: 1 }, target: { percent: 2 } }, capital: 10_00_000_00,
  fills: { slippageBps: 5, marketProtectionPct: -1, volumeSharePct: 10 },
};
const params = defaultsOf(emaCross.params);
const minuteBars = series.map((cs) => cs.map((c) => ({ time: c.t + 60_000, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume })));

function bareLoop() {
  // EMA(9) and EMA(21) of every minute's close, a cross counted: the floor of any per-bar work
  let crosses = 0;
  for (const cs of minuteBars) {
    let f = cs[0].close, s = f, above = false;
    for (const b of cs) {
      f += (2 / 10) * (b.close - f);
      s += (2 / 22) * (b.close - s);
      if (f > s !== above) { above = !above; crosses++; }
    }
  }
  return crosses;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = { runner: [], signals: [], bare: [] };
let last;
let peak = 0;
for (let r = 0; r < ROUNDS; r++) {
  let t = performance.now();
  last = await runBacktest(spec, feed);
  runs.runner.push(performance.now() - t);
  peak = Math.max(peak, process.memoryUsage().rss);
  t = performance.now();
  for (const b of minuteBars) runSignals(emaCross, params, b);
  runs.signals.push(performance.now() - t);
  t = performance.now();
  bareLoop();
  runs.bare.push(performance.now() - t);
}
const rate = (ms) => Math.round(bars / (ms / 1000)).toLocaleString('en-IN');
console.log(`backtest bench: ema-cross (5m), ${SYMBOLS} symbol(s), ${FROM} to ${TO}, ${bars.toLocaleString('en-IN')} minute bars, median of ${ROUNDS} rounds`);
console.log(`  runner + paper engine   ${rate(median(runs.runner)).padStart(14)} bars/s  (${median(runs.runner).toFixed(0)} ms; ${last.stats.trades} trades, ${last.fills.length} fills, charges ${formatINR(last.stats.total_charges)})`);
console.log(`  strategy alone          ${rate(median(runs.signals)).padStart(14)} bars/s  (runSignals, same bars)`);
console.log(`  bare EMA-cross loop     ${rate(median(runs.bare)).padStart(14)} bars/s`);
console.log(`  peak RSS ${(peak / 1048576).toFixed(0)} MB; result hash ${last.hash}`);
