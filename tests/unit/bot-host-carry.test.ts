import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { botParity } from '../../src/app/bot-parity.js';
import { sandboxFeed } from '../../src/core/backtest/feed-sandbox.js';
import { runBacktest } from '../../src/core/backtest/run.js';
import { BarLog } from '../../src/core/bot/bar-log.js';
import { BotHost } from '../../src/core/bot/host.js';
import type { MinuteGroup } from '../../src/core/bot/live-bars.js';
import { botOrders } from '../../src/core/bot/session.js';
import { botSpec, fillsOf } from '../../src/core/bot/spec.js';
import type { BotConfig, BotRecord } from '../../src/core/bot/types.js';
import { ManualClock } from '../../src/core/clock.js';
import { istDate, parseIst } from '../../src/core/ist.js';
import type { Instrument } from '../../src/core/market/types.js';
import { DEFAULT_PAPER_CONFIG } from '../../src/core/paper/config.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { createMarket } from '../../src/sandbox/market.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { emaBot, feedMinutes, ownerDesk } from '../helpers/bots.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

/**
 * A CNC bot that holds its position overnight goes on in the session it began the day before
 * (the Runner a two-day backtest runs): held across midnight, or rebuilt by a runner that starts
 * the next morning from the minutes it logged, it exits the carried position as that backtest
 * does, and `algo bot parity` of either day finds no difference.
 */
const U = 'AB1234';
const DAY1 = '2026-11-25';
const DAY2 = '2026-11-26';
const LEASE = 180_000;
const at = (date: string, hhmm: string): number => parseIst(`${date} ${hhmm}:00`);
const market = new SandboxMarketData(createMarket({}), new ManualClock(at(DAY2, '18:00')));
const fills = fillsOf(DEFAULT_PAPER_CONFIG);

interface Pick {
  cfg: BotConfig;
  instruments: Instrument[];
  minutes: MinuteGroup[];
  want: Array<{ side: string; quantity: number; price: number; day: string }>;
}

/** The first long-only CNC EMA 1-minute bot (by symbol) whose two-day backtest carries a position overnight and exits it on day 2. */
async function overnight(): Promise<Pick> {
  for (const symbol of ['NSE:INFY', 'NSE:TCS', 'NSE:RELIANCE', 'NSE:HDFCBANK', 'NSE:SBIN', 'NSE:ITC']) {
    const cfg = emaBot({ symbols: [symbol], product: 'CNC', params: { timeframe: '1m' }, entryWindow: { from: '09:20', until: '15:25' } });
    const feed = await sandboxFeed(market, [symbol], DAY1, DAY2);
    const bt = await runBacktest(botSpec(cfg, DAY2, fills, DAY1), feed);
    const carried = bt.trades.some((t) => t.entry_time.startsWith(DAY1) && t.exit_time?.startsWith(DAY2) && t.exit_reason !== 'end');
    if (!carried) continue;
    return {
      cfg,
      instruments: feed.instruments,
      minutes: await feedMinutes(await sandboxFeed(market, [symbol], DAY1, DAY2)),
      want: bt.fills.map((f) => ({ side: f.transaction_type, quantity: f.quantity, price: f.price, day: istDate(f.filled_at) })),
    };
  }
  throw new Error('no symbol held an EMA position overnight: pick other days');
}

let pick: Pick;
beforeAll(async () => {
  pick = await overnight();
});

const sqlite = sqliteFixture(afterEach);

function world(kind: 'memory' | 'sqlite') {
  const store: PaperStore = kind === 'memory' ? new MemoryPaperStore() : sqlite.open(sqlite.file());
  const clock = new ManualClock(at(DAY1, '09:14'));
  const { service, desk } = ownerDesk(store, clock);
  const host = (holder: string) =>
    new BotHost({
      store,
      holder,
      leaseMs: LEASE,
      users: async () => [U],
      instruments: async () => pick.instruments,
      place: (userId) => (req, price, fence) => service.placeFenced(userId, req, price, fence),
      fills: () => fillsOf(service.config),
      history: async () => [],
      barLog: new BarLog(store.backtests, 'sandbox'),
      now: () => clock.now(),
      onError: (e) => {
        throw e;
      },
    });
  /** Minutes [from, until) through the host, each at its close, the host ticking after it. */
  async function run(h: BotHost, from: number, until: number): Promise<void> {
    for (const m of pick.minutes.filter((g) => g.t >= from && g.t < until)) {
      clock.set(Math.max(clock.now(), m.t + 60_000));
      await h.onMinutes([m]);
      await h.tick();
    }
  }
  const got = async (bot: BotRecord) =>
    botOrders(await store.orders(U), bot.id)
      .sort((a, b) => (a.bot_key! < b.bot_key! ? -1 : 1))
      .map((o) => ({ side: o.transaction_type, quantity: o.filled_quantity, price: o.average_price, day: istDate(o.placed_at) }));
  const parity = (bot: BotRecord, date: string) => botParity(store, U, bot, date, fillsOf(service.config), { instruments: pick.instruments, source: 'sandbox', history: async () => [] });
  return { store, clock, service, desk, host, run, got, parity };
}

describe.each(['memory', 'sqlite'] as const)('a CNC bot held overnight on the %s store', (kind) => {
  it('goes on in the same session across midnight, exits the carried position as the two-day backtest does, and parity of both days is clean', async () => {
    const w = world(kind);
    await w.store.bots.create(U, { name: 'Swing', config: pick.cfg, now: w.clock.now() });
    const bot = await w.desk.start(U, 'Swing');
    const h = w.host('h1');
    await h.tick();
    await w.run(h, at(DAY1, '09:14'), at(DAY1, '15:31'));
    // the runner stays up overnight, ticking (its lease renewed) across midnight
    for (let t = at(DAY1, '15:32'); t <= at(DAY2, '09:14'); t += 60_000) {
      w.clock.set(t);
      await h.tick();
    }
    expect(h.heldBots()).toEqual([bot.id]);
    await w.run(h, at(DAY2, '09:14'), at(DAY2, '15:31'));
    expect(await w.got(bot)).toEqual(pick.want);
    const events = await w.store.bots.events(U, { botId: bot.id });
    expect(events.filter((e) => e.kind === 'session' && e.data?.carried === true).map((e) => e.data!.date)).toEqual([DAY2]);
    for (const date of [DAY1, DAY2]) {
      const r = await w.parity(bot, date);
      expect(r.differences, date).toEqual([]);
      expect(r.bot_fills, date).toBeGreaterThan(0);
    }
  });

  it('a runner starting the next morning rebuilds the session from the logged minutes and exits the carried position', async () => {
    const w = world(kind);
    await w.store.bots.create(U, { name: 'Swing', config: pick.cfg, now: w.clock.now() });
    const bot = await w.desk.start(U, 'Swing');
    const h1 = w.host('h1');
    await h1.tick();
    await w.run(h1, at(DAY1, '09:14'), at(DAY1, '15:31'));
    await h1.close(); // the evening: no runner overnight
    w.clock.set(at(DAY2, '09:14'));
    const h2 = w.host('h2');
    await h2.tick();
    expect(h2.heldBots()).toEqual([bot.id]);
    expect((await w.store.bots.get(U, bot.id))!.status).toBe('running');
    // and one that dies at 11:00 is taken over again on the carried segment, placing nothing twice
    await w.run(h2, at(DAY2, '09:14'), at(DAY2, '11:00'));
    w.clock.set(at(DAY2, '11:00') + LEASE);
    const h3 = w.host('h3');
    await h3.tick();
    expect(h3.heldBots()).toEqual([bot.id]);
    await w.run(h3, at(DAY2, '11:00'), at(DAY2, '15:31'));
    expect(await w.got(bot)).toEqual(pick.want);
    expect((await w.parity(bot, DAY2)).differences).toEqual([]);
  });

  it('an MIS bot starts each day flat in a fresh session', async () => {
    const w = world(kind);
    await w.store.bots.create(U, { name: 'Day', config: { ...pick.cfg, product: 'MIS' }, now: w.clock.now() });
    const bot = await w.desk.start(U, 'Day');
    const h = w.host('h1');
    await h.tick();
    await w.run(h, at(DAY1, '09:14'), at(DAY1, '15:31'));
    w.clock.set(at(DAY2, '09:14'));
    await h.tick(); // drops it: a new day
    await h.tick(); // and takes it again, fresh
    const events = await w.store.bots.events(U, { botId: bot.id });
    const sessions = events.filter((e) => e.kind === 'session');
    expect(sessions.map((e) => istDate(e.data!.from as number))).toEqual([DAY1, DAY2]);
    expect(sessions.some((e) => e.data?.carried)).toBe(false);
  });
});
