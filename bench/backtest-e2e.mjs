// End to end (issue 13's second figure): N sandbox stocks over M months of minute bars, the candles
// made day by day as the feed asks for them (the sandbox computes them), through one runBacktest
// with ema-cross and the paper engine's fills and charges, in this one process (no worker): wall
// time, minute bars per second and peak RSS. Run after `npm run build`:
//   node bench/backtest-e2e.mjs [symbols=50] [months=12]
import { performance } from 'node:perf_hooks';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { runBacktest } = await import(dist('core/backtest/run.js'));
const { createMarket } = await import(dist('sandbox/market.js'));
const { parseIst, isTradingDay } = await import(dist('core/ist.js'));

const SYMBOLS = Number(process.argv[2] ?? 50);
const MONTHS = Number(process.argv[3] ?? 12);
const FROM = '2026-01-01';
const TO = new Date(Date.parse(`${FROM}T00:00:00Z`) + MONTHS * 30.42 * 86_400_000).toISOString().slice(0, 10);
const market = createMarket({ seed: 1 });
const instruments = market.instruments(parseIst(`${FROM} 10:00:00`)).slice(0, SYMBOLS).map((i) => ({ expiry: '', strike: 0, ...i }));
let bars = 0;
let peak = 0;
const feed = {
  instruments,
  async *batches() {
    for (let t = parseIst(`${FROM} 12:00:00`), end = parseIst(`${TO} 12:00:00`); t <= end; t += 86_400_000) {
      if (!isTradingDay(t)) continue;
      const day = parseIst(`${new Date(t + 330 * 60_000).toISOString().slice(0, 10)} 00:00:00`);
      const batch = [];
      for (const i of instruments) for (const c of market.candles(i.instrument_token, day, day + 86_400_000, 1)) batch.push({ token: i.instrument_token, candle: { t: c.t, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume } });
      batch.sort((a, b) => a.candle.t - b.candle.t || a.token - b.token);
      bars += batch.length;
      peak = Math.max(peak, process.memoryUsage().rss);
      yield batch;
    }
  },
};
const spec = {
  strategy: { kind: 'builtin', id: 'ema-cross' }, params: {}, symbols: instruments.map((i) => `NSE:${i.tradingsymbol}`), from: FROM, to: TO,
  sizing: { capital: 20_000_00 }, product: 'MIS', exits: { stopLoss: { percent: 1 }, target: { percent: 2 } }, capital: 10_00_000_00,
  fills: { slippageBps: 5, marketProtectionPct: -1, volumeSharePct: 10 },
};
const t0 = performance.now();
const r = await runBacktest(spec, feed);
const ms = performance.now() - t0;
peak = Math.max(peak, process.memoryUsage().rss);
console.log(`backtest end to end: ema-cross (5m), ${SYMBOLS} sandbox stocks, ${FROM} to ${TO}, ${bars.toLocaleString('en-IN')} minute bars`);
console.log(`  ${(ms / 1000).toFixed(1)} s wall (sandbox candles + runner + engine), ${Math.round(bars / (ms / 1000)).toLocaleString('en-IN')} bars/s; ${r.stats.trades} trades, ${r.fills.length} fills; peak RSS ${(peak / 1048576).toFixed(0)} MB`);
