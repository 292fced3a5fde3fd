import { describe, expect, it } from 'vitest';
import { istTimeOn } from '../../src/core/ist.js';
import { circuitBand, PriceModel } from '../../src/sandbox/daypath.js';
import { buildInstruments } from '../../src/sandbox/instruments.js';
import { createMarket } from '../../src/sandbox/market.js';
import { nseCalendar } from '../../src/sandbox/sessions.js';
import type { MarketSnapshot, SandboxCandle } from '../../src/sandbox/types.js';

const MIN = 60_000;
/** Wednesday 7 January 2026. */
const DAY = Date.parse('2026-01-07T00:00:00+05:30');
const OPEN = istTimeOn(DAY, 9, 15);
const CLOSE = istTimeOn(DAY, 15, 30);

const market = createMarket({ seed: 7 });
/** The list of that date: each stock with January 2026's tick. */
const all = market.instruments(DAY);
const listed = (sym: string, exchange = 'NSE') => all.find((i) => i.exchange === exchange && i.tradingsymbol === sym)!;
/** Instruments checked at every second of the day; the others at a few seconds of each minute. */
const EVERY_SECOND = ['NSE:INFY', 'NSE:TATASTEEL', 'NSE:MARUTI', 'NSE:NIFTY 50', 'BSE:SBIN'];

/** What is wrong with a snapshot (plain checks: expect() per field is too slow for a whole day). */
function problemsOf(s: MarketSnapshot, tick: number, candle?: SandboxCandle): string[] {
  const p: string[] = [];
  if (!(s.last_price > 0)) p.push('not positive');
  if (s.last_price % tick !== 0) p.push(`off tick ${tick}`);
  if (s.last_price < s.lower_circuit_limit || s.last_price > s.upper_circuit_limit) p.push('outside the circuits');
  if (s.low > s.last_price || s.high < s.last_price) p.push('outside the day high/low');
  if (candle && (s.last_price < candle.low || s.last_price > candle.high)) p.push('outside its minute candle');
  return p.map((x) => `${s.instrument_token} at ${new Date(s.timestamp).toISOString()}: ${s.last_price} ${x}`);
}

describe('instruments', () => {
  it('lists the NIFTY 50 on NSE with Kite tokens, some BSE twins and the two indices', () => {
    const nse = all.filter((i) => i.segment === 'NSE');
    expect(nse).toHaveLength(50);
    expect(new Set(all.map((i) => i.instrument_token)).size).toBe(all.length);
    expect(market.bySymbol('NSE', 'INFY')?.instrument_token).toBe(408065);
    expect(market.bySymbol('NSE', 'RELIANCE')?.instrument_token).toBe(738561);
    expect(market.bySymbol('NSE', 'TCS')?.instrument_token).toBe(2953217);
    expect(market.bySymbol('NSE', 'NIFTY 50')).toMatchObject({ instrument_token: 256265, segment: 'INDICES', isIndex: true });
    expect(market.bySymbol('NSE', 'NIFTY BANK')).toMatchObject({ instrument_token: 260105, segment: 'INDICES', isIndex: true });
    const bse = all.filter((i) => i.exchange === 'BSE');
    expect(bse.length).toBeGreaterThanOrEqual(3);
    expect(market.bySymbol('BSE', 'SBIN')?.instrument_token).toBe(128028676); // as in holdings.json
    for (const i of all) {
      // Kite's segment byte: 1 NSE, 4 BSE, 9 indices; the exchange token is the rest.
      expect(i.instrument_token & 0xff).toBe(i.segment === 'NSE' ? 1 : i.segment === 'BSE' ? 4 : 9);
      expect(i.exchange_token).toBe(i.instrument_token >>> 8);
      expect(i.lot_size).toBe(1);
      expect(market.byToken(i.instrument_token)?.tradingsymbol).toBe(i.tradingsymbol);
    }
  });

  it("gives BSE twins their NSE twin's tick", () => {
    for (const i of all.filter((x) => x.exchange === 'BSE')) expect(i.tick_size).toBe(listed(i.tradingsymbol).tick_size);
  });
});

describe('a simulated trading day', () => {
  const minutes = (CLOSE - OPEN) / MIN;

  it('has 375 minute candles, and every snapshot is positive, on tick, inside the circuits and inside its candle', () => {
    const problems: string[] = [];
    for (const inst of all) {
      const token = inst.instrument_token;
      const candles = market.candles(token, OPEN, CLOSE, 1);
      expect(candles).toHaveLength(minutes);
      const seconds = EVERY_SECOND.includes(`${inst.exchange}:${inst.tradingsymbol}`) ? [...Array(60).keys()] : [0, 17, 42, 59];
      candles.forEach((c, m) => {
        if (c.t !== OPEN + m * MIN) problems.push(`${token} candle ${m} starts at ${c.t}`);
        if (c.low > Math.min(c.open, c.close) || c.high < Math.max(c.open, c.close)) problems.push(`${token} candle ${m} is not a candle`);
        for (const s of seconds) problems.push(...problemsOf(market.snapshot(token, c.t + s * 1000), inst.tick_size, c));
        // The rule: a minute candle opens at the snapshot of its first second and closes at m + 59 s.
        if (market.snapshot(token, c.t).last_price !== c.open) problems.push(`${token} candle ${m} open`);
        if (market.snapshot(token, c.t + 59_000).last_price !== c.close) problems.push(`${token} candle ${m} close`);
      });
    }
    expect(problems).toEqual([]);
  });

  it('moves within minutes, so consecutive ticks differ', () => {
    const token = market.bySymbol('NSE', 'INFY')!.instrument_token;
    const prices = new Set<number>();
    for (let s = 0; s < 60; s++) prices.add(market.snapshot(token, OPEN + 30 * MIN + s * 1000).last_price);
    expect(prices.size).toBeGreaterThan(5);
  });

  it('reports day OHLC, volume and average price consistent with the minute candles', () => {
    for (const sym of ['INFY', 'HDFCBANK', 'TATASTEEL']) {
      const token = market.bySymbol('NSE', sym)!.instrument_token;
      const candles = market.candles(token, OPEN, CLOSE, 1);
      for (const m of [0, 1, 100, 374]) {
        const snap = market.snapshot(token, OPEN + m * MIN + 59_000);
        const upto = candles.slice(0, m + 1);
        expect(snap.open).toBe(candles[0]!.open);
        expect(snap.high).toBe(Math.max(...upto.map((c) => c.high)));
        expect(snap.low).toBe(Math.min(...upto.map((c) => c.low)));
        const volume = upto.reduce((a, c) => a + c.volume, 0);
        expect(snap.volume).toBe(volume);
        const turnover = upto.reduce((a, c) => a + c.volume * ((c.open + c.high + c.low + c.close) / 4), 0);
        expect(snap.average_price).toBe(Math.round(turnover / volume));
      }
      // Volume only grows during the day.
      let last = 0;
      for (let t = OPEN; t < CLOSE; t += 7 * MIN + 13_000) {
        const v = market.snapshot(token, t).volume;
        expect(v).toBeGreaterThanOrEqual(last);
        last = v;
      }
    }
  });

  it("takes the previous trading day's last price as close, and sets the circuits ±10 % of it on tick", () => {
    for (const sym of ['INFY', 'WIPRO', 'NIFTY BANK']) {
      const inst = listed(sym);
      const tuesdayLast = market.snapshot(inst.instrument_token, CLOSE - 86_400_000 - 1000).last_price;
      const snap = market.snapshot(inst.instrument_token, OPEN + 3 * MIN);
      expect(snap.close).toBe(tuesdayLast);
      expect(snap.net_change).toBe(snap.last_price - snap.close);
      expect(snap.lower_circuit_limit % inst.tick_size).toBe(0);
      expect(snap.upper_circuit_limit % inst.tick_size).toBe(0);
      expect(snap.lower_circuit_limit).toBeGreaterThanOrEqual(snap.close * 0.9);
      expect(snap.upper_circuit_limit).toBeLessThanOrEqual(snap.close * 1.1);
      expect(snap.upper_circuit_limit).toBeGreaterThan(snap.close * 1.1 - inst.tick_size);
    }
  });

  it('keeps every close inside the next circuit band over twenty years of sessions', () => {
    const model = new PriceModel(7);
    const first = nseCalendar.latestAt(DAY).index - 5000;
    for (const inst of buildInstruments()) {
      let prev = model.closeOf(inst, first);
      for (let n = first + 1; n < first + 5000; n++) {
        const close = model.closeOf(inst, n);
        const band = circuitBand(prev, model.sessionTick(inst, n));
        if (close < band.lower || close > band.upper) throw new Error(`${inst.tradingsymbol} session ${n}: ${close} outside ${band.lower}-${band.upper}`);
        prev = close;
      }
    }
  });

  it('gives 5-minute, hourly and day candles that aggregate the minute candles, aligned to 09:15', () => {
    const token = market.bySymbol('NSE', 'RELIANCE')!.instrument_token;
    const ones = market.candles(token, OPEN, CLOSE, 1);
    const agg = (list: SandboxCandle[]) => ({
      open: list[0]!.open,
      high: Math.max(...list.map((c) => c.high)),
      low: Math.min(...list.map((c) => c.low)),
      close: list.at(-1)!.close,
      volume: list.reduce((a, c) => a + c.volume, 0),
    });
    const fives = market.candles(token, OPEN, CLOSE, 5);
    expect(fives).toHaveLength(75);
    fives.forEach((c, k) => expect(c).toEqual({ t: OPEN + k * 5 * MIN, ...agg(ones.slice(k * 5, k * 5 + 5)) }));
    const hours = market.candles(token, OPEN, CLOSE, 60);
    expect(hours.map((c) => new Date(c.t).toISOString().slice(11, 16))).toEqual(['03:45', '04:45', '05:45', '06:45', '07:45', '08:45', '09:45']);
    expect(hours.at(-1)).toEqual({ t: istTimeOn(DAY, 15, 15), ...agg(ones.slice(360)) });
    const days = market.candles(token, DAY - 7 * 86_400_000, DAY + 86_400_000, 1440);
    expect(days).toHaveLength(6); // Wed..Tue, then Wed; no weekend
    expect(days.at(-1)).toEqual({ t: DAY, ...agg(ones) });
  });

  it('gives depth of five levels a side, one tick apart around the price, inside the circuits', () => {
    const inst = listed('SBIN');
    const snap = market.snapshot(inst.instrument_token, OPEN + 90 * MIN + 5_000);
    expect(snap.depth.buy).toHaveLength(5);
    expect(snap.depth.sell).toHaveLength(5);
    snap.depth.buy.forEach((l, i) => expect(l.price).toBe(snap.last_price - (i + 1) * inst.tick_size));
    snap.depth.sell.forEach((l, i) => expect(l.price).toBe(snap.last_price + (i + 1) * inst.tick_size));
    for (const l of [...snap.depth.buy, ...snap.depth.sell]) {
      expect(l.quantity).toBeGreaterThan(0);
      expect(l.orders).toBeGreaterThan(0);
      expect(l.orders).toBeLessThanOrEqual(l.quantity);
    }
    expect(snap.buy_quantity).toBeGreaterThanOrEqual(snap.depth.buy.reduce((a, l) => a + l.quantity, 0));
    const index = market.snapshot(market.bySymbol('NSE', 'NIFTY 50')!.instrument_token, OPEN + 90 * MIN);
    expect(index.volume).toBe(0);
    expect(index.depth.buy.every((l) => l.price === 0 && l.quantity === 0)).toBe(true);
  });
});

describe('time', () => {
  const token = 408065;

  it('stands still at the close outside market hours, until the next session opens', () => {
    const last = market.snapshot(token, CLOSE - 1000);
    const still = [CLOSE, CLOSE + 3 * 3_600_000, istTimeOn(DAY + 86_400_000, 9, 0), istTimeOn(DAY + 86_400_000, 9, 14) + 59_999];
    for (const t of still) {
      const s = market.snapshot(token, t);
      expect({ ...s, timestamp: 0 }).toEqual({ ...last, timestamp: 0 });
      expect(s.last_trade_time).toBe(CLOSE - 1000);
    }
    const next = market.snapshot(token, istTimeOn(DAY + 86_400_000, 9, 15));
    expect(next.close).toBe(last.last_price);
    expect(next.volume).toBeLessThan(last.volume);
  });

  it('does not trade at weekends: Friday close holds until Monday 09:15', () => {
    const friday = DAY + 2 * 86_400_000;
    const fridayLast = market.snapshot(token, istTimeOn(friday, 15, 29) + 59_000);
    for (const t of [istTimeOn(friday + 86_400_000, 12), istTimeOn(friday + 2 * 86_400_000, 20)]) {
      expect(market.snapshot(token, t).last_price).toBe(fridayLast.last_price);
    }
    expect(market.isOpen(istTimeOn(friday + 86_400_000, 12))).toBe(false);
    expect(market.snapshot(token, istTimeOn(friday + 3 * 86_400_000, 9, 16)).close).toBe(fridayLast.last_price);
    expect(market.candles(token, friday + 86_400_000, friday + 3 * 86_400_000, 1)).toEqual([]);
  });

  it('is a pure function of (seed, instrument, time)', () => {
    const other = createMarket({ seed: 7 });
    const t = OPEN + 200 * MIN + 31_000;
    expect(other.snapshot(token, t)).toEqual(market.snapshot(token, t));
    expect(other.candles(token, OPEN, OPEN + 30 * MIN, 1)).toEqual(market.candles(token, OPEN, OPEN + 30 * MIN, 1));
    // Computing a far day first changes nothing (no hidden iteration state).
    const fresh = createMarket({ seed: 7 });
    fresh.snapshot(token, Date.parse('2031-06-03T11:00:00+05:30'));
    expect(fresh.snapshot(token, t)).toEqual(market.snapshot(token, t));
    expect(createMarket({ seed: 8 }).snapshot(token, t).last_price).not.toBe(market.snapshot(token, t).last_price);
  });

});
