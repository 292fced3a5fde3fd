import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFeed } from '../../src/core/backtest/feed-sandbox.js';
import { feedFrom, runBacktest } from '../../src/core/backtest/run.js';
import { BarLog } from '../../src/core/bot/bar-log.js';
import { BotHost, type HostEvent } from '../../src/core/bot/host.js';
import { botOrders, type Minute } from '../../src/core/bot/session.js';
import { botSpec } from '../../src/core/bot/spec.js';
import type { BotConfig } from '../../src/core/bot/types.js';
import { marketHistory, warmMinutes, type History } from '../../src/core/bot/warmup.js';
import { ManualClock } from '../../src/core/clock.js';
import { parseIst } from '../../src/core/ist.js';
import type { Instrument } from '../../src/core/market/types.js';
import type { PaperOrder } from '../../src/core/paper/types.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { createMarket } from '../../src/sandbox/market.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { emaBot, ownerDesk } from '../helpers/bots.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

const U = 'AB1234';
const DATE = '2026-11-25';
const SYMBOLS = ['NSE:INFY'];
const at = (hhmm: string): number => parseIst(`${DATE} ${hhmm}:00`);

/** EMA 9/21 on 5-minute bars: a declared warm-up of 145 bars, two sessions; cold, it never trades a day. */
const cfg: BotConfig = emaBot({ params: { timeframe: '5m', allowShort: true }, symbols: SYMBOLS });

const market = new SandboxMarketData(createMarket({}), new ManualClock(at('18:00')));
let day: Minute[] = [];
let instruments: Instrument[] = [];

beforeAll(async () => {
  const feed = await sandboxFeed(market, SYMBOLS, DATE, DATE);
  instruments = feed.instruments;
  day = await warmMinutes(feed, '2026-11-26');
});

const sqlite = sqliteFixture(afterEach);

/** A store, a clock at 09:14, the owner's paper account, and hosts over them with a history of choice. */
function world(kind: 'memory' | 'sqlite') {
  const store: PaperStore = kind === 'memory' ? new MemoryPaperStore() : sqlite.open(sqlite.file());
  const clock = new ManualClock(at('09:14'));
  const { service, fills, desk } = ownerDesk(store, clock);
  const events: HostEvent[] = [];
  const asked: string[] = [];
  // the runner's history: the sandbox's minutes, cached in the store (src/app/bot-runner.ts)
  const sandbox = marketHistory(market, { cache: store.backtests, source: 'sandbox', clock });
  const host = (holder: string, history: History = sandbox) =>
    new BotHost({
      store,
      holder,
      leaseMs: 180_000,
      users: async () => [U],
      instruments: async () => instruments,
      place: (userId) => (req, price, fence) => service.placeFenced(userId, req, price, fence),
      fills: () => fills,
      history: (userId, symbols, from, until) => {
        asked.push(`${userId} ${symbols.join(',')} ${from} ${until}`);
        return history(symbols, from, until);
      },
      barLog: new BarLog(store.backtests, 'sandbox'),
      now: () => clock.now(),
      onEvent: (e) => events.push(e),
      onError: (e) => { throw e; },
    });
  /** Minutes [from, until) through the host, each at its close, the host ticking after it. */
  const run = async (h: BotHost, from: string, until: string) => {
    for (const m of day.filter((g) => g.t >= at(from) && g.t < at(until))) {
      clock.set(m.t + 60_000);
      await h.onMinutes([{ t: m.t, candles: [...m.candles] }]);
      await h.tick();
    }
  };
  const orders = async (botId: string): Promise<PaperOrder[]> => [...botOrders(await store.orders(U), botId)].sort((a, b) => (a.bot_key! < b.bot_key! ? -1 : 1));
  return { store, clock, fills, desk, events, asked, host, run, orders };
}

const sides = (os: PaperOrder[]) => os.map((o) => ({ side: o.transaction_type, quantity: o.filled_quantity, price: o.average_price }));

describe.each(['memory', 'sqlite'] as const)('a host warming its bots from history on the %s store', (kind) => {
  it("warms a 5-minute EMA bot with its two warm-up days, trades from the morning, and mirrors botSpec's backtest of the day", async () => {
    const w = world(kind);
    const bot = await w.store.bots.create(U, { name: 'Trend5', config: cfg, now: w.clock.now() });
    await w.desk.start(U, 'Trend5');
    const h = w.host('runner-1');
    await h.tick();
    expect(w.asked).toEqual([`${U} NSE:INFY 2026-11-20 ${DATE}`]);
    expect(w.events.filter((e) => e.kind === 'warmup').map((e) => e.message)).toEqual(['warmed up on 750 minutes from 2026-11-20']);
    await w.run(h, '09:15', '15:30');
    const spec = botSpec(cfg, DATE, w.fills);
    const bt = await runBacktest(spec, await sandboxFeed(market, SYMBOLS, feedFrom(spec), DATE));
    const cold = await runBacktest(spec, await sandboxFeed(market, SYMBOLS, DATE, DATE));
    expect(cold.fills).toEqual([]);
    expect(bt.fills.length).toBeGreaterThanOrEqual(2);
    const mine = await w.orders(bot.id);
    expect(sides(mine)).toEqual(bt.fills.map((f) => ({ side: f.transaction_type, quantity: f.quantity, price: f.price })));
    // its first order within the first hour of its first day
    expect(Math.min(...mine.map((o) => o.placed_at))).toBeLessThan(at('10:15'));
    // the warm-up days are in the store's candle cache now (what `algo bot parity` reads)
    expect(await w.store.backtests.cachedCandles('sandbox', instruments[0]!.instrument_token, '2026-11-23')).toHaveLength(375);
    // the warm-up only warms: the bot's log has no 'warmup' event, as nothing went wrong
    expect((await w.store.bots.events(U, { botId: bot.id })).filter((e) => e.kind === 'warmup')).toEqual([]);
  });

  it('a restarted host warms the new session first, then recovers it, and carries on as the backtest', async () => {
    const w = world(kind);
    const bot = await w.store.bots.create(U, { name: 'Trend5', config: cfg, now: w.clock.now() });
    await w.desk.start(U, 'Trend5');
    const first = w.host('runner-1');
    await first.tick();
    await w.run(first, '09:15', '12:00');
    expect((await w.orders(bot.id)).length).toBeGreaterThan(0);
    await first.close();
    const second = w.host('runner-2');
    await second.tick();
    expect(w.events.filter((e) => e.kind === 'recovered')).toHaveLength(1);
    expect(second.heldBots()).toEqual([bot.id]);
    await w.run(second, '12:00', '15:30');
    const spec = botSpec(cfg, DATE, w.fills);
    const bt = await runBacktest(spec, await sandboxFeed(market, SYMBOLS, feedFrom(spec), DATE));
    expect(sides(await w.orders(bot.id))).toEqual(bt.fills.map((f) => ({ side: f.transaction_type, quantity: f.quantity, price: f.price })));
    expect(w.asked).toHaveLength(2);
  });

  it("history that fails: the bot runs cold, and its log says so once, with the reason", async () => {
    const w = world(kind);
    const bot = await w.store.bots.create(U, { name: 'Trend5', config: cfg, now: w.clock.now() });
    await w.desk.start(U, 'Trend5');
    const h = w.host('runner-1', () => Promise.reject(new Error('no historical data: the Kite app has no historical add-on')));
    await h.tick();
    await w.run(h, '09:15', '15:30');
    const warmups = (await w.store.bots.events(U, { botId: bot.id })).filter((e) => e.kind === 'warmup');
    expect(warmups).toHaveLength(1);
    expect(warmups[0]!.message).toMatch(/^running cold: no history for its warm-up days from 2026-11-20 \(.*no historical add-on.*\)/);
    expect(warmups[0]!.data).toMatchObject({ cold: true, from: '2026-11-20', date: DATE });
    expect(w.events.filter((e) => e.kind === 'warmup')).toHaveLength(1);
    // cold, a 5-minute EMA 21 never trades the day, as the cold backtest
    expect(await w.orders(bot.id)).toEqual([]);
    expect((await w.store.bots.get(U, bot.id))!.status).toBe('running');
  });
});
