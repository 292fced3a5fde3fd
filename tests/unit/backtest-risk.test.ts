import { describe, expect, it } from 'vitest';
import type { RunnerRisk } from '../../src/core/backtest/risk.js';
import { runStrategy } from '../../src/core/backtest/run.js';
import type { BacktestSpec } from '../../src/core/backtest/types.js';
import type { Candle } from '../../src/core/market/types.js';
import { formatINR } from '../../src/core/money.js';
import { HOLD, target, type Decision, type Strategy } from '../../src/core/strategy/types.js';
import { candle, feedOf, flat, INFY, scripted, specOf, TCS } from '../fixtures/backtest-feed.js';

const D = '2026-11-25'; // a Wednesday
const D2 = '2026-11-26'; // the Thursday after

/**
 * Every scenario: 1m bars, warm-up 1 (the bar closing 09:16 only warms up); a decision at the
 * close of bar HH:MM is placed at the open of the minute starting HH:MM; no slippage, so a fill
 * is the minute's open; sizing 10 shares.
 */
function runOf(risk: RunnerRisk, script: Record<string, Decision>, cs: Candle[], over: Partial<BacktestSpec> = {}) {
  return runStrategy(specOf({ risk, ...over }), scripted(script), {}, feedOf([[INFY, cs]]));
}

const refused = (r: { blocked?: Array<{ symbol: string; at: number; reason: string }> }) => (r.blocked ?? []).map((b) => [b.symbol, new Date(b.at + 330 * 60_000).toISOString().slice(11, 16), b.reason]);
const fillsOf = (r: { fills: Array<{ transaction_type: string; quantity: number; price: number; filled_at: number }> }) =>
  r.fills.map((f) => [f.transaction_type, f.quantity, f.price, new Date(f.filled_at + 330 * 60_000).toISOString().slice(11, 16)]);

describe('squareOff: the run’s own square-off time', () => {
  it('every open position exits at the close of the minute closing at it, and entries from then on are refused', async () => {
    // INFY at ₹1,000 and TCS at ₹500, both long 10 from the 09:18 open; the 09:24 minute closes at
    // 09:25 at ₹1,004 (INFY) and ₹503 (TCS): both out there, 'square-off-time'. The decision at
    // the bar closing 09:26 is refused.
    const script = { '09:18': target(10), '09:26': target(10) };
    const infy = [...flat(D, '09:15', 9, 1000), candle(`${D} 09:24`, 1000, 1005, 999, 1004), ...flat(D, '09:25', 4, 1004)];
    const tcs = [...flat(D, '09:15', 9, 500), candle(`${D} 09:24`, 500, 504, 499, 503), ...flat(D, '09:25', 4, 503)];
    const spec = specOf({ symbols: ['NSE:INFY', 'NSE:TCS'], risk: { squareOff: '09:25' } });
    const r = await runStrategy(spec, scripted(script), {}, feedOf([[INFY, infy], [TCS, tcs]]));
    expect(r.trades.map((t) => [t.symbol, t.exit_reason, t.exit_price, t.exit_time])).toEqual([
      ['NSE:INFY', 'square-off-time', 1004, `${D} 09:25:00`],
      ['NSE:TCS', 'square-off-time', 503, `${D} 09:25:00`],
    ]);
    expect(refused(r)).toEqual([
      ['NSE:INFY', '09:26', 'at or after the square-off time 09:25 IST'],
      ['NSE:TCS', '09:26', 'at or after the square-off time 09:25 IST'],
    ]);
  });

  it('an order resting at the square-off time is cancelled, so it cannot open a position later', async () => {
    // a BUY LIMIT at ₹990 rests from the 09:20 open under the market (₹1,000); cancelled at 09:25;
    // the 09:27 minute trades down to ₹985, through it: nothing fills
    const limit: Decision = { kind: 'orders', orders: [{ side: 'BUY', quantity: 10, type: 'LIMIT', price: 990_00 }] };
    const cs = [...flat(D, '09:15', 12, 1000), candle(`${D} 09:27`, 1000, 1000, 985, 986), ...flat(D, '09:28', 2, 986)];
    const r = await runOf({ squareOff: '09:25' }, { '09:20': limit }, cs);
    expect(r.fills).toEqual([]);
    expect(r.orders.map((o) => [o.order_type, o.status])).toEqual([['LIMIT', 'CANCELLED']]);
  });

  it('without it the same run stays open to the end', async () => {
    const cs = [...flat(D, '09:15', 9, 1000), candle(`${D} 09:24`, 1000, 1005, 999, 1004), ...flat(D, '09:25', 4, 1004)];
    const r = await runStrategy(specOf(), scripted({ '09:18': target(10) }), {}, feedOf([[INFY, cs]]));
    expect(r.trades.map((t) => t.exit_reason)).toEqual(['end']);
  });
});

describe('noEntriesAfter', () => {
  it('refuses an entry decided at or after the time; an exit after it still goes', async () => {
    // 09:19 "be long 10": in at the 09:19 open; 09:20 "be long 20" (10 more) refused; 09:21 flat: out at the 09:21 open
    const r = await runOf({ noEntriesAfter: '09:20' }, { '09:19': target(10), '09:20': target(20), '09:21': target('flat') }, flat(D, '09:15', 10, 1000));
    expect(fillsOf(r)).toEqual([['BUY', 10, 1000_00, '09:19'], ['SELL', 10, 1000_00, '09:21']]);
    expect(refused(r)).toEqual([['NSE:INFY', '09:20', 'no entries from 09:20 IST']]);
  });
});

describe('maxQuantity', () => {
  it('an entry above it is refused, not clipped; one at it goes', async () => {
    const r = await runOf({ maxQuantity: 5 }, { '09:18': target(10), '09:20': target(5) }, flat(D, '09:15', 8, 1000));
    expect(fillsOf(r)).toEqual([['BUY', 5, 1000_00, '09:20']]);
    expect(refused(r)).toEqual([['NSE:INFY', '09:18', 'quantity 10 is above the maximum 5 per entry']]);
  });
});

/** Decisions by the bar's close price (tells INFY at ₹1,000 from TCS at ₹500 in one run). */
function byPrice(scripts: Record<number, Record<string, Decision>>): Strategy {
  const base = scripted({});
  return {
    ...base,
    onBar(ctx) {
      const m = ctx.minuteOfDay;
      const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      return scripts[ctx.bar.close]?.[hhmm] ?? HOLD;
    },
  };
}

describe('maxExposure', () => {
  it('the entry at its bar’s close plus the open positions at their last close, above the maximum: refused', async () => {
    // limit ₹15,000. 09:18 INFY long 10: 10 x ₹1,000 = ₹10,000, in. 09:19 TCS long 12:
    // ₹10,000 + 12 x ₹500 = ₹16,000 > ₹15,000, refused. 09:20 TCS long 10: ₹10,000 + ₹5,000 =
    // ₹15,000, not above: in.
    const strategy = byPrice({ [1000_00]: { '09:18': target(10) }, [500_00]: { '09:19': target(12), '09:20': target(10) } });
    const spec = specOf({ symbols: ['NSE:INFY', 'NSE:TCS'], risk: { maxExposure: 15_000_00 } });
    const r = await runStrategy(spec, strategy, {}, feedOf([[INFY, flat(D, '09:15', 8, 1000)], [TCS, flat(D, '09:15', 8, 500)]]));
    expect(r.fills.map((f) => [f.tradingsymbol, f.quantity, f.price])).toEqual([['INFY', 10, 1000_00], ['TCS', 10, 500_00]]);
    expect(refused(r)).toEqual([['NSE:TCS', '09:19', `exposure ${formatINR(16_000_00)} with this entry is above the maximum ${formatINR(15_000_00)}`]]);
  });

  it('entries queued in the same minute count too', async () => {
    // both decide at 09:18: INFY 10 x ₹1,000 = ₹10,000 queued; TCS 12 x ₹500 = ₹6,000 on top: ₹16,000, refused
    const strategy = byPrice({ [1000_00]: { '09:18': target(10) }, [500_00]: { '09:18': target(12) } });
    const spec = specOf({ symbols: ['NSE:INFY', 'NSE:TCS'], risk: { maxExposure: 15_000_00 } });
    const r = await runStrategy(spec, strategy, {}, feedOf([[INFY, flat(D, '09:15', 6, 1000)], [TCS, flat(D, '09:15', 6, 500)]]));
    expect(r.fills.map((f) => f.tradingsymbol)).toEqual(['INFY']);
    expect(refused(r)).toEqual([['NSE:TCS', '09:18', expect.stringMatching(/^exposure ₹16,000.00 with this entry/)]]);
  });
});

describe('maxLossDay', () => {
  // long 10 from the 09:18 open ₹1,000; the 09:19 minute closes (09:20) at ₹985: the day's P&L is
  // 10 x (985 - 1,000) = -₹150 less the buy's charges c
  const day1 = [...flat(D, '09:15', 4, 1000), candle(`${D} 09:19`, 1000, 1000, 985, 985), candle(`${D} 09:20`, 986, 987, 985, 986), ...flat(D, '09:21', 5, 986)];
  const day2 = flat(D2, '09:15', 10, 986);
  const script = { '09:18': target(10), '09:22': target(20) };
  const twoDays = { to: D2 };
  const buyCharges = async () => (await runOf({}, script, day1)).fills[0]!.charges.total;

  it("'block': at -amount exactly, noted once, entries refused for the rest of the day; the position stays; the next day trades", async () => {
    const c = await buyCharges();
    const amount = 150_00 + c; // the P&L at 09:20 is exactly -amount: "at or below" reaches it
    const r = await runOf({ maxLossDay: { amount, action: 'block' } }, script, [...day1, ...day2], twoDays);
    const line = `the day's loss limit ${formatINR(amount)} is reached (the day's P&L ${formatINR(-amount)}): entries stop for the rest of the day`;
    expect(refused(r)).toEqual([['*', '09:20', line], ['NSE:INFY', '09:22', line]]);
    // day 1: in at 09:18, squared off by the engine at 15:20 (at the last close, ₹986); day 2: in at 09:18 and 10 more at 09:22
    expect(fillsOf(r)).toEqual([['BUY', 10, 1000_00, '09:18'], ['SELL', 10, 986_00, '15:20'], ['BUY', 10, 986_00, '09:18'], ['BUY', 10, 986_00, '09:22']]);
  });

  it('one paisa short of the limit: nothing is refused', async () => {
    const c = await buyCharges();
    const r = await runOf({ maxLossDay: { amount: 150_00 + c + 1, action: 'block' } }, script, day1);
    expect(r.blocked).toEqual([]);
    expect(r.fills).toHaveLength(2);
  });

  it("'halt': every position exits at the next minute's open, and no entry for the rest of the run", async () => {
    const c = await buyCharges();
    const amount = 100_00; // -₹150 - c is below -₹100 at 09:20
    const r = await runOf({ maxLossDay: { amount, action: 'halt' } }, script, [...day1, ...day2], twoDays);
    const line = `the day's loss limit ₹100.00 is reached (the day's P&L ${formatINR(-150_00 - c)}): every position exits at the next open and entries stop for the rest of the run`;
    expect(r.trades).toEqual([expect.objectContaining({ exit_reason: 'max-loss', exit_price: 986, exit_time: `${D} 09:20:00` })]);
    expect(refused(r)).toEqual([
      ['*', '09:20', line],
      ['NSE:INFY', '09:22', `halted: ${line}`],
      ['NSE:INFY', '09:18', `halted: ${line}`],
      ['NSE:INFY', '09:22', `halted: ${line}`],
    ]);
  });
});

describe('cooldownBars', () => {
  it('an exit, then the next n strategy bars may not enter that symbol', async () => {
    // out at the 09:20 open (the flat decided at 09:20); bars closing 09:21 and 09:22 are bars 1
    // and 2 of the cooldown: refused; the bar closing 09:23 enters (in at the 09:23 open)
    const script = { '09:18': target(10), '09:20': target('flat'), '09:21': target(10), '09:22': target(10), '09:23': target(10) };
    const r = await runOf({ cooldownBars: 2 }, script, flat(D, '09:15', 10, 1000));
    expect(fillsOf(r)).toEqual([['BUY', 10, 1000_00, '09:18'], ['SELL', 10, 1000_00, '09:20'], ['BUY', 10, 1000_00, '09:23']]);
    expect(refused(r)).toEqual([
      ['NSE:INFY', '09:21', 'cooling down after an exit: bar 1 of 2 (entries from bar 3)'],
      ['NSE:INFY', '09:22', 'cooling down after an exit: bar 2 of 2 (entries from bar 3)'],
    ]);
  });

  it('a stop is an exit too', async () => {
    // stop 1% under ₹1,000: the 09:19 minute reaches ₹989, out at ₹990 during it; the bar closing 09:20 is bar 1: refused
    const cs = [...flat(D, '09:15', 4, 1000), candle(`${D} 09:19`, 1000, 1000, 989, 995), ...flat(D, '09:20', 4, 995)];
    const r = await runOf({ cooldownBars: 1 }, { '09:18': target(10), '09:20': target(10), '09:21': target(10) }, cs, { exits: { stopLoss: { percent: 1 } } });
    expect(fillsOf(r)).toEqual([['BUY', 10, 1000_00, '09:18'], ['SELL', 10, 990_00, '09:19'], ['BUY', 10, 995_00, '09:21']]);
    expect(refused(r).map((b) => b[1])).toEqual(['09:20']);
  });
});

describe('maxOrdersDay', () => {
  it('entries per IST day (exits never count and are never refused); a new day starts again', async () => {
    // day 1: in 09:18, out 09:20, in 09:21, out 09:23, the third entry at 09:24 refused; day 2: in at 09:18
    const script = { '09:18': target(10), '09:20': target('flat'), '09:21': target(10), '09:23': target('flat'), '09:24': target(10) };
    const r = await runOf({ maxOrdersDay: 2 }, script, [...flat(D, '09:15', 12, 1000), ...flat(D2, '09:15', 5, 1000)], { to: D2 });
    expect(fillsOf(r).map((f) => `${f[0]} ${f[3]}`)).toEqual(['BUY 09:18', 'SELL 09:20', 'BUY 09:21', 'SELL 09:23', 'BUY 09:18']);
    expect(refused(r)).toEqual([['NSE:INFY', '09:24', "the day's 2 entries are used"]]);
  });
});

describe('staleAfterMs in a backtest', () => {
  it('a backtest never sets the arrival time: nothing is stale', async () => {
    const r = await runOf({ staleAfterMs: 1 }, { '09:18': target(10) }, flat(D, '09:15', 6, 1000));
    expect(r.blocked).toEqual([]);
    expect(r.fills).toHaveLength(1);
  });
});

describe('risk absent or empty', () => {
  it('an empty risk object gives the same orders, fills and trades as none', async () => {
    const cs = [...flat(D, '09:15', 4, 1000), candle(`${D} 09:19`, 1000, 1000, 985, 985), ...flat(D, '09:20', 6, 990)];
    const script = { '09:18': target(10), '09:22': target(-10) };
    const a = await runStrategy(specOf(), scripted(script), {}, feedOf([[INFY, cs]]));
    const b = await runOf({}, script, cs);
    expect(b.orders).toEqual(a.orders);
    expect(b.fills).toEqual(a.fills);
    expect(b.trades).toEqual(a.trades);
    expect(a.spec.risk).toBeUndefined();
  });
});
