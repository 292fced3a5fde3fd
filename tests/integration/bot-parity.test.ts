import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { botParity } from '../../src/app/bot-parity.js';
import { sandboxFeed } from '../../src/core/backtest/feed-sandbox.js';
import { BarLog } from '../../src/core/bot/bar-log.js';
import { BotSession, type Minute } from '../../src/core/bot/session.js';
import { fillsOf } from '../../src/core/bot/spec.js';
import type { BotConfig } from '../../src/core/bot/types.js';
import { marketHistory, warmFromOf } from '../../src/core/bot/warmup.js';
import { ManualClock } from '../../src/core/clock.js';
import { parseIst } from '../../src/core/ist.js';
import type { Instrument } from '../../src/core/market/types.js';
import { PaperService } from '../../src/core/paper/service.js';
import { BUILTINS } from '../../src/core/strategy/builtins/index.js';
import { createMarket } from '../../src/sandbox/market.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { feedMinutes } from '../helpers/bots.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

const U = 'AB1234';
const DATE = '2026-11-25';
const SYMBOLS = ['NSE:INFY', 'NSE:TCS', 'NSE:RELIANCE'];
const SOURCE = 'sandbox';
const at = (hms: string) => parseIst(`${DATE} ${hms}`);

const market = new SandboxMarketData(createMarket({}), new ManualClock(parseIst(`${DATE} 18:00:00`)));
let minutes: Minute[] = [];
let instruments: Instrument[] = [];

beforeAll(async () => {
  const feed = await sandboxFeed(market, SYMBOLS, DATE, DATE);
  instruments = feed.instruments;
  minutes = await feedMinutes(feed);
});

const sqlite = sqliteFixture(afterEach);

const config = (id: string, exits: BotConfig['exits'] = {}, params: BotConfig['params'] = { timeframe: '1m' }): BotConfig => ({
  strategy: { kind: 'builtin', id },
  params,
  symbols: SYMBOLS,
  sizing: { quantity: 5 },
  product: 'MIS',
  exits,
  entryWindow: { from: '09:20', until: '15:00' },
  risk: {},
});

/**
 * A paper bot over the sandbox day on a SQLite store, as a live runner would: warmed with its
 * warm-up days from the runner's history (the sandbox's minutes, cached in the store under the
 * source, where parity reads them back), a 'session' event at its first minute, each closed minute
 * written to the BarLog and stepped (the session's clock at its close). `feed` may change the
 * minute the session sees (the BarLog keeps the true one).
 */
async function runBot(id: string, from = 0, feed: (m: Minute) => Minute = (m) => m, exits: BotConfig['exits'] = {}, person?: (t: number, service: PaperService) => Promise<unknown>, opts: { params?: BotConfig['params']; cold?: string } = {}) {
  const file = sqlite.file();
  const store = sqlite.open(file);
  const clock = new ManualClock(parseIst(`${DATE} 09:00:00`));
  const service = new PaperService({ store, market: new SandboxMarketData(createMarket({}), clock), clock, onError: (e) => { throw e; } });
  const fills = fillsOf(service.config);
  const cfg = config(id, exits, opts.params);
  const bot = await store.bots.create(U, { name: `bot-${id}`, config: cfg, now: clock.now() });
  const lease = (await store.bots.acquireLease(U, bot.id, 'runner-1', clock.now(), 86_400_000))!;
  const session = new BotSession({ bot, instruments, fills, bots: store.bots, token: lease.token, place: (req, price, fence) => service.placeFenced(U, req, price, fence), now: () => clock.now(), date: DATE });
  const history = marketHistory(market, { cache: store.backtests, source: SOURCE, clock });
  // cold: the host's history failed, and its 'warmup' event says why
  if (opts.cold) await store.bots.appendEvents(U, [{ bot_id: bot.id, at: clock.now(), kind: 'warmup', message: 'running cold', data: { cold: true, from: warmFromOf(cfg, DATE), date: DATE, reason: opts.cold } }]);
  else session.warm(await history(cfg.symbols, warmFromOf(cfg, DATE), DATE));
  const log = new BarLog(store.backtests, SOURCE);
  const mine = minutes.slice(from);
  await store.bots.appendEvents(U, [{ bot_id: bot.id, at: clock.now(), kind: 'session', message: 'session', data: { from: mine[0]!.t } }]);
  for (const m of mine) {
    clock.set(m.t + 60_000);
    await log.append(m.t, m.candles);
    const seen = feed(m);
    await session.step(seen.t, seen.candles);
    await person?.(m.t, service);
  }
  expect(session.stopped).toBeNull();
  return { file, store, bot, fills, parity: () => botParity(store, U, bot, DATE, fills, { instruments, source: SOURCE }) };
}

describe('algo bot parity: a paper bot over a sandbox day against a backtest of the minutes it consumed', () => {
  it.each(BUILTINS.map((s) => s.id))('%s on three symbols: zero differences', async (id) => {
    const { parity } = await runBot(id);
    const r = await parity();
    expect(r.minutes).toBe(minutes.length);
    expect(r.differences).toEqual([]);
    expect(r.notes).toEqual([]);
    expect(r.bot_fills).toBe(r.backtest_fills);
    // warmed, even orb and vwap-reversion (a whole session of 1-minute bars) trade the day
    expect(r.backtest_fills).toBeGreaterThan(0);
  });

  it.each([['ema-cross'], ['vwap-reversion'], ['supertrend'], ['orb']])('%s on 5-minute bars: zero differences', async (id) => {
    const { parity } = await runBot(id, 0, (m) => m, {}, undefined, { params: { timeframe: '5m' } });
    const r = await parity();
    expect(r.differences).toEqual([]);
    expect(r.notes).toEqual([]);
    expect(r.backtest_fills).toBeGreaterThan(0);
  });

  it('a bot the host ran cold (its history failed) is compared with a cold backtest, and a note says so', async () => {
    const { parity } = await runBot('ema-cross', 0, (m) => m, {}, undefined, { params: { timeframe: '5m' }, cold: 'no historical data permission' });
    const r = await parity();
    expect(r.differences).toEqual([]);
    // a 5-minute EMA 21 waits 145 bars, past the day's 75: cold, it never trades
    expect(r.backtest_fills).toBe(0);
    expect(r.notes).toEqual([`the bot ran cold on ${DATE} (no history for its warm-up days: no historical data permission), so the backtest runs cold too`]);
  });

  it('the warm-up days not to be had: the backtest runs cold and a note says so, and the differences show it', async () => {
    const { store, bot, fills } = await runBot('ema-cross', 0, (m) => m, {}, undefined, { params: { timeframe: '5m' } });
    const history = () => Promise.reject(new Error("the warm-up days are not in the store's sandbox candle cache"));
    const r = await botParity(store, U, bot, DATE, fills, { instruments, source: SOURCE, history });
    expect(r.notes).toEqual(["the backtest ran cold: its warm-up days are not to be had (the warm-up days are not in the store's sandbox candle cache), while the bot was warmed, so they may differ"]);
    expect(r.backtest_fills).toBe(0);
    expect(r.bot_fills).toBeGreaterThan(0);
    expect(r.differences[0]).toMatchObject({ field: 'fill', backtest: null });
  });

  it('with a stop-loss and a target: the exits by stop and target agree too, reason and all', async () => {
    const { parity, store, bot } = await runBot('ema-cross', 0, (m) => m, { stopLoss: { percent: 0.2 }, target: { percent: 0.3 } });
    const reasons = new Set((await store.bots.events(U, { botId: bot.id })).filter((e) => e.kind === 'fill').map((e) => e.data?.reason));
    expect(reasons).toContain('stop');
    expect(reasons).toContain('target');
    expect((await parity()).differences).toEqual([]);
  });

  it("the person's own trades of two of the symbols that day: those symbols' charges are shares of a shared day, not compared (noted); the third's are", async () => {
    const { parity, store } = await runBot('ema-cross', 0, (m) => m, {}, async (t, service) => {
      if (t !== at('11:00:00') && t !== at('13:00:00')) return;
      for (const sym of ['INFY', 'TCS']) await service.place(U, { exchange: 'NSE', tradingsymbol: sym, transaction_type: t === at('11:00:00') ? 'BUY' : 'SELL', quantity: 7, order_type: 'MARKET', product: 'MIS', validity: 'DAY' });
    });
    expect((await store.trades(U)).filter((x) => x.quantity === 7)).toHaveLength(4);
    const r = await parity();
    expect(r.differences).toEqual([]);
    expect(r.notes).toEqual(['NSE:INFY', 'NSE:TCS'].map((s) => `charges of ${s} not compared: the account's day for it holds trades that are not this bot's, and each trade is charged its share of the whole day`));
    expect(r.bot_fills).toBe(r.backtest_fills);
  });

  it('a bot started mid-day is compared over its own segment only', async () => {
    const half = minutes.findIndex((m) => m.t >= parseIst(`${DATE} 12:00:00`));
    const { parity } = await runBot('ema-cross', half);
    const r = await parity();
    expect(r.segments).toEqual([{ from: minutes[half]!.t, to: Infinity }]);
    expect(r.minutes).toBe(minutes.length - half);
    expect(r.differences).toEqual([]);
  });

  it("a trade's price changed in the store by a direct write is reported naming the price", async () => {
    const { file, parity, store, bot } = await runBot('ema-cross');
    const trades = (await store.trades(U)).filter((t) => t.tradingsymbol === 'TCS');
    const orders = new Set((await store.orders(U)).filter((o) => o.tag === bot.id).map((o) => o.order_id));
    const victim = trades.find((t) => orders.has(t.order_id))!;
    const db = new Database(file);
    db.prepare("UPDATE trades SET doc = json_set(doc, '$.price', json_extract(doc, '$.price') + 5) WHERE trade_id = ?").run(victim.trade_id);
    db.close();
    const r = await parity();
    expect(r.differences).toEqual([expect.objectContaining({ symbol: 'NSE:TCS', field: 'price', backtest: victim.price / 100, bot: (victim.price + 5) / 100 })]);
  });

  it("a fill event's exit reason changed in the store is reported naming the reason", async () => {
    const { file, parity, store, bot } = await runBot('ema-cross');
    const last = (await store.bots.events(U, { botId: bot.id })).filter((e) => e.kind === 'fill').at(-1)!;
    expect(last.data?.reason).toBe('square-off-time');
    const db = new Database(file);
    db.prepare("UPDATE bot_events SET doc = json_set(doc, '$.data.reason', 'stop') WHERE user_id = ? AND seq = ?").run(U, last.seq);
    db.close();
    expect((await parity()).differences).toEqual([expect.objectContaining({ field: 'reason', backtest: 'square-off-time', bot: 'stop', time: '2026-11-25 15:10:00' })]);
  });

  it('a session fed a different bar than the log kept trades differently: the differences name the fields', async () => {
    const { parity: clean } = await runBot('ema-cross');
    const first = (await clean()).differences;
    expect(first).toEqual([]);
    // the open of every minute a paisa-and-more higher for INFY, for the session only
    const bump = (m: Minute): Minute => ({ t: m.t, candles: m.candles.map((c) => (c.token === instruments[0]!.instrument_token ? { ...c, candle: { ...c.candle, open: c.candle.open + 5, high: Math.max(c.candle.high, c.candle.open + 5) } } : c)) });
    const { parity } = await runBot('ema-cross', 0, bump);
    const r = await parity();
    expect(r.differences.length).toBeGreaterThan(0);
    expect(r.differences.every((d) => d.symbol === 'NSE:INFY')).toBe(true);
    expect(r.differences.map((d) => d.field)).toContain('price');
  });
});
