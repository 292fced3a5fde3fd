import { describe, expect, it } from 'vitest';
import { runBacktest, runStrategy } from '../../src/core/backtest/run.js';
import type { BarFeed } from '../../src/core/backtest/types.js';
import { parseIst } from '../../src/core/ist.js';
import type { Candle, Instrument } from '../../src/core/market/types.js';
import { target } from '../../src/core/strategy/types.js';
import { createMarket } from '../../src/sandbox/market.js';
import { feedOf, scripted, specOf } from '../fixtures/backtest-feed.js';

/** The sandbox's deterministic market as a feed: its minute candles of [from, to] per instrument, a day per batch. */
const market = createMarket({ seed: 1 });
const asInstrument = (i: ReturnType<typeof market.instruments>[number]): Instrument => ({ expiry: '', strike: 0, ...i });
const [first, second] = market.instruments(parseIst('2026-09-01 10:00:00')).map(asInstrument);

function sandboxSeries(inst: Instrument, from: string, to: string): Candle[] {
  return market.candles(inst.instrument_token, parseIst(`${from} 00:00:00`), parseIst(`${to} 00:00:00`) + 86_400_000, 1).map(({ t, open, high, low, close, volume }) => ({ t, open, high, low, close, volume }));
}

const FROM = '2026-09-01';
const TO = '2026-09-30';
const symbol = (i: Instrument) => `${i.exchange}:${i.tradingsymbol}`;
const spec = specOf({ symbols: [symbol(first!)], from: FROM, to: TO, params: { timeframe: '5m' }, exits: { stopLoss: { percent: 1 }, target: { percent: 2 } }, fills: { slippageBps: 5, marketProtectionPct: -1, volumeSharePct: 10 } });
const series = sandboxSeries(first!, FROM, TO);

describe('determinism', () => {
  it('the same spec and feed give the same hash (and trades); run ids come from it', async () => {
    const a = await runBacktest(spec, feedOf([[first!, series]]));
    const b = await runBacktest(spec, feedOf([[first!, series]]));
    expect(a.stats.trades).toBeGreaterThan(3);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
    expect(b.orders).toEqual(a.orders);
    expect(a.run_id).toBe(`bt-${a.hash.slice(0, 12)}`);
  });

  it('one paisa in one candle changes the hash', async () => {
    const a = await runBacktest(spec, feedOf([[first!, series]]));
    // the entry fills at a minute's open: move that open by one paisa
    const entry = a.fills[0]!.filled_at;
    const changed = series.map((c) => (c.t === entry ? { ...c, open: c.open + 1, high: Math.max(c.high, c.open + 1) } : c));
    const b = await runBacktest(spec, feedOf([[first!, changed]]));
    expect(b.hash).not.toBe(a.hash);
  });

  it('run_id, ran_at and elapsed_ms come from the face and are not in the hash', async () => {
    let clock = 1_000;
    const a = await runBacktest(spec, feedOf([[first!, series]]), { runId: () => 'r1', now: () => (clock += 5) });
    const b = await runBacktest(spec, feedOf([[first!, series]]));
    expect([a.run_id, a.ran_at, a.elapsed_ms]).toEqual(['r1', 1_005, 5]);
    expect(a.hash).toBe(b.hash);
  });
});

describe('lookahead at runner level', () => {
  it('trades up to minute t are the same in the full run and in a run whose feed stops at t', async () => {
    const full = await runBacktest(spec, feedOf([[first!, series]]));
    expect(full.fills.length).toBeGreaterThan(6);
    // cut at a few fills' instants along the range, and at plain minutes between
    const cuts = [full.fills[2]!.filled_at, full.fills[5]!.filled_at, series[Math.floor(series.length / 2)]!.t, series[series.length - 200]!.t];
    for (const cut of cuts) {
      const part = await runBacktest(spec, feedOf([[first!, series.filter((c) => c.t <= cut)]]));
      const upTo = <T extends { filled_at?: number; placed_at?: number }>(xs: T[]) => xs.filter((x) => (x.filled_at ?? x.placed_at)! <= cut);
      expect(upTo(part.fills)).toEqual(upTo(full.fills));
      expect(part.orders.filter((o) => o.placed_at <= cut).map((o) => o.order_id)).toEqual(full.orders.filter((o) => o.placed_at <= cut).map((o) => o.order_id));
    }
  });
});

describe('progress and stopping', () => {
  it('progress at most every 1% of the range, the last one done', async () => {
    const seen: number[] = [];
    await runBacktest(spec, feedOf([[first!, series]]), { onProgress: (p) => seen.push(p.done) });
    expect(seen.length).toBeGreaterThan(50);
    expect(seen.length).toBeLessThanOrEqual(102);
    expect(seen.at(-1)).toBe(series.length);
  });

  it('an aborted signal stops the run', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stopped'));
    await expect(runBacktest(spec, feedOf([[first!, series]]), { signal: ac.signal })).rejects.toThrow('stopped');
  });

  it('bad input is one line: an unknown strategy, bad parameters', async () => {
    await expect(runBacktest({ ...spec, strategy: { kind: 'builtin', id: 'nope' } }, feedOf([[first!, series]]))).rejects.toThrow(/unknown strategy "nope"; known: sma-cross/);
    await expect(runBacktest({ ...spec, params: { fast: 30, slow: 10 } }, feedOf([[first!, series]]))).rejects.toThrow(/fast \(30\) must be below slow \(10\)/);
  });
});

describe('the sandbox market, two symbols, CNC', () => {
  it('ema-cross on two sandbox stocks: the account adds up', async () => {
    const s2 = specOf({ symbols: [symbol(first!), symbol(second!)], from: FROM, to: TO, product: 'CNC', sizing: { capital: 20_000_00 } });
    const feed: BarFeed = feedOf([[first!, series], [second!, sandboxSeries(second!, FROM, TO)]]);
    const r = await runBacktest(s2, feed);
    expect(new Set(r.trades.map((t) => t.symbol))).toEqual(new Set([symbol(first!), symbol(second!)]));
    // every fill's charges are in the account's total, and the trades' P&L with the open ones' marks is the net
    expect(r.fills.reduce((s, f) => s + f.charges.total, 0)).toBe(r.stats.total_charges);
    const pnl = r.trades.reduce((s, t) => s + Math.round(t.pnl * 100), 0);
    expect(pnl).toBe(r.stats.net_pnl);
    // CNC: never short, DP charged on the delivery sells of carried shares
    expect(r.trades.every((t) => t.side === 'LONG')).toBe(true);
  });

  it('a scripted entry on a sandbox day fills at the next minute’s open plus slippage', async () => {
    const day = sandboxSeries(first!, '2026-09-01', '2026-09-01');
    const r = await runStrategy({ ...spec, from: '2026-09-01', to: '2026-09-01' }, scripted({ '10:00': target(5) }), {}, feedOf([[first!, day]]));
    const next = day.find((c) => c.t === parseIst('2026-09-01 10:00:00'))!;
    // 5 bps over the 10:00 minute's open, up to the tick
    const tick = BigInt(first!.tick_size);
    const want = Number((((BigInt(next.open) * 10_005n) + 10_000n * tick - 1n) / (10_000n * tick)) * tick);
    expect(r.fills[0]).toMatchObject({ price: want, filled_at: next.t });
  });
});

describe('a rule file through the runner', () => {
  it('examples/rules/ema-rsi-trend.json: its stop, target, trail and 15:10 exit are the runner’s', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../examples/rules/ema-rsi-trend.json', import.meta.url), 'utf8');
    const r = await runBacktest({ ...spec, strategy: { kind: 'rules', text, name: 'ema-rsi-trend.json' }, params: {}, exits: {} }, feedOf([[first!, series]]));
    expect(r.strategy.id).toBe('ema-rsi-trend');
    expect(r.stats.trades).toBeGreaterThan(3);
    const reasons = new Set(r.trades.map((t) => t.exit_reason));
    for (const why of reasons) expect(['signal', 'stop', 'target', 'trailing', 'exit-time', 'end']).toContain(why);
    expect(reasons.has('trailing') || reasons.has('stop')).toBe(true);
    // no trade is left for the 15:20 square-off: the file exits at 15:10, or earlier
    for (const t of r.trades.filter((x) => x.exit_reason === 'exit-time')) expect(t.exit_time.slice(11)).toBe('15:10:00');
    expect(r.trades.filter((t) => t.exit_reason === 'square-off')).toEqual([]);
    // entries only in its window 09:20-15:00 (decided there, filled the next minute)
    for (const t of r.trades) expect(t.entry_time.slice(11) > '09:20' && t.entry_time.slice(11) <= '15:01').toBe(true);
  });
});
