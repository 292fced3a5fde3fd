import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isTradingDate } from '../../src/core/calendar.js';
import { istDate, istTimeOn } from '../../src/core/ist.js';
import { ManualClock } from '../../src/core/clock.js';
import { PaperService } from '../../src/core/paper/service.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import { tickForPrice } from '../../src/sandbox/instruments.js';
import { createMarket } from '../../src/sandbox/market.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { nseCalendar } from '../../src/sandbox/sessions.js';

const MIN = 60_000;
const DAY = 86_400_000;
const at = (iso: string) => Date.parse(`${iso}+05:30`);
const market = createMarket({ seed: 3 });
const open = createMarket({ seed: 3, alwaysOpen: true });
const INFY = 408065;
const TOKENS = [INFY, 81153 /* BAJFINANCE */, 969473 /* WIPRO */, 895745 /* TATASTEEL */, 2815745 /* MARUTI */, 256265 /* NIFTY 50 */, 500112 * 256 + 4 /* BSE SBIN */];

describe('sandbox sessions follow the NSE calendar', () => {
  it('numbers sessions over trading days only: none on a holiday or weekend, consecutive across them', () => {
    const first = nseCalendar.latestAt(at('2026-01-01T00:00:00')).index + 1;
    const last = nseCalendar.latestAt(at('2027-01-01T00:00:00')).index;
    expect(last - first + 1).toBe(245); // 261 weekdays of 2026 less its 16 holidays
    for (let n = first; n <= last; n++) {
      const s = nseCalendar.session(n);
      expect(isTradingDate(istDate(s.date))).toBe(true);
      expect(nseCalendar.latestAt(s.start)).toEqual(s);
      expect(nseCalendar.latestAt(s.start - 1).index).toBe(n - 1);
    }
    const monday = nseCalendar.latestAt(at('2026-11-23T12:00:00'));
    expect(nseCalendar.latestAt(at('2026-11-24T12:00:00'))).toEqual(monday); // the holiday: still Monday's
    expect(istDate(nseCalendar.session(monday.index + 1).date)).toBe('2026-11-25');
    expect(nseCalendar.isOpen(at('2026-11-24T12:00:00'))).toBe(false);
  });

  it('stands still on a holiday at the previous close: quotes show it, no candles, day candles skip the day', () => {
    for (const token of TOKENS) {
      const mondayLast = market.snapshot(token, at('2026-11-23T15:29:59'));
      const minute = market.candles(token, at('2026-11-23T15:29:00'), at('2026-11-23T15:30:00'), 1);
      expect(mondayLast.last_price).toBe(minute[0]!.close);
      for (const time of ['00:00:00', '09:15:00', '12:34:56', '23:59:59']) {
        const s = market.snapshot(token, at(`2026-11-24T${time}`));
        expect({ ...s, timestamp: 0 }).toEqual({ ...mondayLast, timestamp: 0 });
      }
      expect(market.candles(token, at('2026-11-24T00:00:00'), at('2026-11-25T00:00:00'), 1)).toEqual([]);
      expect(market.candles(token, at('2026-11-24T00:00:00'), at('2026-11-25T00:00:00'), 60)).toEqual([]);
      const days = market.candles(token, at('2026-11-23T00:00:00'), at('2026-11-26T00:00:00'), 1440);
      expect(days.map((c) => istDate(c.t))).toEqual(['2026-11-23', '2026-11-25']);
      // Wednesday's previous close is Monday's last price
      expect(market.snapshot(token, at('2026-11-25T09:15:00')).close).toBe(mondayLast.last_price);
    }
  });
});

describe('an always-open sandbox is the same market', () => {
  /** Instants inside sessions across 2026: every session's open, a mid-session second and its last second, month ends included. */
  function sessionInstants(): number[] {
    const first = nseCalendar.latestAt(at('2026-01-01T00:00:00')).index + 1;
    const out: number[] = [];
    for (let n = first; n < first + 245; n += 4) {
      const s = nseCalendar.session(n);
      out.push(s.start, s.start + ((n * 7919) % s.minutes) * MIN + ((n * 31) % 60) * 1000, s.end - 1000);
    }
    return out;
  }

  it('gives identical snapshots (price, depth, volume, circuits) at instants inside sessions', () => {
    for (const t of sessionInstants()) for (const token of TOKENS) expect(open.snapshot(token, t)).toEqual(market.snapshot(token, t));
  });

  it("gives identical candles of a session's minutes and the same instrument lists", () => {
    for (const day of ['2026-01-07', '2026-04-30', '2026-11-25']) {
      const from = at(`${day}T09:15:00`);
      const to = at(`${day}T15:30:00`);
      for (const token of TOKENS) {
        for (const interval of [1, 5, 60]) expect(open.candles(token, from, to, interval)).toEqual(market.candles(token, from, to, interval));
      }
      expect(open.instruments(from)).toEqual(market.instruments(from));
    }
    // day candles are the sessions' in both
    expect(open.candles(INFY, at('2026-11-16T00:00:00'), at('2026-11-30T00:00:00'), 1440)).toEqual(market.candles(INFY, at('2026-11-16T00:00:00'), at('2026-11-30T00:00:00'), 1440));
  });

  it("trades after hours along a path that starts at the session's close and ends at the next open", () => {
    const close = market.snapshot(INFY, at('2026-11-23T15:30:00')).last_price; // Monday's close (the market stands still)
    const wednesdayOpen = market.snapshot(INFY, at('2026-11-25T09:15:00')).last_price;
    expect(open.snapshot(INFY, at('2026-11-23T15:30:00')).last_price).toBe(close);
    expect(open.snapshot(INFY, at('2026-11-25T09:14:59')).last_price).toBe(wednesdayOpen);
    // the minute candles chain without a jump: Monday's session, the bridge over the holiday, Wednesday's session
    const candles = open.candles(INFY, at('2026-11-23T09:15:00'), at('2026-11-25T15:30:00'), 1);
    expect(candles).toHaveLength(375 + (at('2026-11-25T09:15:00') - at('2026-11-23T15:30:00')) / MIN + 375);
    for (let i = 1; i < candles.length; i++) {
      expect(candles[i]!.t).toBe(candles[i - 1]!.t + MIN);
      expect(candles[i]!.open).toBe(candles[i - 1]!.close);
    }
    const holiday = candles.filter((c) => istDate(c.t) === '2026-11-24');
    expect(holiday).toHaveLength(1440);
    expect(new Set(holiday.map((c) => c.close)).size).toBeGreaterThan(20); // it moves at night
    expect(holiday.every((c) => c.volume > 0)).toBe(true);
    // every after-hours snapshot sits inside its candle, on tick, inside the circuits of the next session
    const tick = open.tickAt(INFY, at('2026-11-24T12:00:00'));
    for (let t = at('2026-11-23T15:30:00'); t < at('2026-11-25T09:15:00'); t += 37 * MIN + 13_000) {
      const s = open.snapshot(INFY, t);
      const c = candles.find((x) => x.t === Math.floor(t / MIN) * MIN)!;
      expect(s.last_price % tick).toBe(0);
      expect(s.last_price).toBeGreaterThanOrEqual(c.low);
      expect(s.last_price).toBeLessThanOrEqual(c.high);
      expect(s.close).toBe(close);
      expect(s.last_price).toBeGreaterThanOrEqual(s.lower_circuit_limit);
      expect(s.last_price).toBeLessThanOrEqual(s.upper_circuit_limit);
    }
  });

  it('is deterministic after hours: a fresh market, asked in another order, agrees', () => {
    const t = at('2026-11-28T03:03:03'); // Saturday night
    const fresh = createMarket({ seed: 3, alwaysOpen: true });
    fresh.snapshot(INFY, at('2031-06-03T11:00:00'));
    expect(fresh.snapshot(INFY, t)).toEqual(open.snapshot(INFY, t));
    expect(open.snapshot(INFY, t).last_price).not.toBe(market.snapshot(INFY, t).last_price);
  });
});

describe('tick sizes', () => {
  it("follows NSE's bands at every edge (fixture copied from FACTS.md)", () => {
    const text = readFileSync(new URL('../fixtures/nse/tick-bands.txt', import.meta.url), 'utf8');
    expect(text).toContain('below ₹250: 0.01; 250-1,000: 0.05; above 1,000 to 5,000: 0.10; above 5,000 to 10,000: 0.50; above 10,000 to 20,000: 1.00; above 20,000: 5.00');
    const cases: Array<[number, number]> = [
      [1, 1], [249_99, 1], [250_00, 5], [250_01, 5], [999_95, 5], [1_000_00, 5], [1_000_01, 10], [1_000_10, 10],
      [4_999_90, 10], [5_000_00, 10], [5_000_01, 50], [10_000_00, 50], [10_000_01, 100], [20_000_00, 100], [20_000_01, 500], [1_00_000_00, 500],
    ];
    for (const [price, tick] of cases) expect([price, tickForPrice(price)]).toEqual([price, tick]);
  });

  it("takes each stock's tick of a month from the band of the previous month's last close", () => {
    const stocks = market.instruments(at('2026-01-10T12:00:00')).filter((i) => !i.isIndex).map((i) => i.instrument_token);
    const seen = new Set<string>();
    for (let month = 1; month <= 12; month++) {
      const first = at(`2026-${String(month).padStart(2, '0')}-01T00:00:00`);
      const lastSession = nseCalendar.latestAt(first);
      const list = new Map(market.instruments(first + 10 * DAY).map((i) => [i.instrument_token, i.tick_size]));
      for (const token of stocks) {
        const monthEnd = market.snapshot(token, lastSession.end).last_price; // the month's last close, as quoted
        expect(list.get(token)).toBe(tickForPrice(monthEnd));
        expect(market.tickAt(token, first)).toBe(list.get(token));
        seen.add(`${token}:${list.get(token)}`);
      }
    }
    // some stock changes band during the year (the rule is not a constant)
    expect(seen.size).toBeGreaterThan(stocks.length);
  });

  it("prices every session on the tick of its date's instrument list", () => {
    for (const day of ['2026-05-04', '2026-11-02', '2026-12-01']) {
      const t0 = at(`${day}T09:15:00`);
      const list = market.instruments(t0).filter((i) => i.exchange === 'NSE');
      for (const i of list) {
        const candles = market.candles(i.instrument_token, t0, at(`${day}T15:30:00`), 1);
        const prices = candles.flatMap((c) => [c.open, c.high, c.low, c.close]);
        for (let m = 0; m < 375; m += 17) {
          const s = market.snapshot(i.instrument_token, t0 + m * MIN + 29_000);
          prices.push(s.last_price, s.lower_circuit_limit, s.upper_circuit_limit);
          if (!i.isIndex) prices.push(s.depth.buy[0]!.price, s.depth.sell[4]!.price);
          if (!i.isIndex) expect(s.depth.sell[0]!.price - s.depth.buy[0]!.price).toBe(2 * i.tick_size);
        }
        expect(prices.filter((p) => p % i.tick_size !== 0)).toEqual([]);
      }
    }
  });

  it('lists BAJFINANCE at 0.05 and WIPRO by its month-end close, whatever their reference price', () => {
    const market = createMarket(); // the default seed, the market a user sees
    const nov = at('2026-11-25T11:00:00');
    const baj = market.instruments(nov).find((i) => i.tradingsymbol === 'BAJFINANCE')!;
    const price = market.snapshot(baj.instrument_token, nov).last_price;
    expect(price).toBeGreaterThan(250_00);
    expect(price).toBeLessThanOrEqual(1_000_00); // in the 250-1,000 band ...
    expect(baj.tick_size).toBe(5); // ... so 0.05, not the 0.10 of its ₹1,010 reference price
    for (const month of ['2026-11', '2026-12']) {
      const first = at(`${month}-01T00:00:00`);
      const wipro = market.instruments(first).find((i) => i.tradingsymbol === 'WIPRO')!;
      const monthEnd = market.snapshot(wipro.instrument_token, first).last_price;
      expect(wipro.tick_size).toBe(monthEnd < 250_00 ? 1 : 5);
    }
  });

  it('keeps the tick of the whole IST date of a list, month boundaries included', () => {
    // 30 Nov is a Monday and the last session of November; 1 Dec takes the new tick from its close
    const token = 969473;
    expect(market.tickAt(token, at('2026-11-30T23:59:59'))).toBe(market.tickAt(token, at('2026-11-02T10:00:00')));
    expect(market.tickAt(token, at('2026-12-01T00:00:00'))).toBe(tickForPrice(market.snapshot(token, at('2026-11-30T15:30:00')).last_price));
    expect(istTimeOn(at('2026-12-01T00:00:00'), 0)).toBe(at('2026-12-01T00:00:00'));
  });

  it("reaches the paper engine, which reads the instrument list per IST date: a new month's tick is used the next day", async () => {
    // the default seed: WIPRO closed October below ₹250 (0.01) and November above it (0.05)
    const market = createMarket();
    const clock = new ManualClock(at('2026-11-30T10:00:00'));
    const service = new PaperService({ store: new MemoryPaperStore(), market: new SandboxMarketData(market, clock), clock, onError: (e) => { throw e; } });
    const nov = (await service.instruments(['NSE'])).get('NSE', 'WIPRO')!;
    expect(nov.tick_size).toBe(tickForPrice(market.snapshot(nov.instrument_token, at('2026-10-30T15:30:00')).last_price));
    expect(nov.tick_size).toBe(1);
    const ltp = market.snapshot(nov.instrument_token, clock.now()).last_price;
    /** 2 % below the LTP, one paisa above a multiple of 5 paise: on the 0.01 tick, never on the 0.05 one. */
    const offTick = (p: number) => Math.floor((p * 0.98) / 5) * 5 + 1;
    const buy = { exchange: 'NSE', tradingsymbol: 'WIPRO', transaction_type: 'BUY' as const, quantity: 1, order_type: 'LIMIT' as const, product: 'CNC' as const, validity: 'DAY' as const };
    expect((await service.place('AB1234', { ...buy, price: offTick(ltp) })).status).toBe('OPEN');
    clock.set(at('2026-12-01T10:00:00'));
    const dec = (await service.instruments(['NSE'])).get('NSE', 'WIPRO')!;
    expect(dec.tick_size).toBe(5);
    const decLtp = market.snapshot(nov.instrument_token, clock.now()).last_price;
    await expect(service.place('AB1234', { ...buy, price: offTick(decLtp) })).rejects.toThrow(/not a multiple of the tick size ₹0.05 for WIPRO/);
  });
});
