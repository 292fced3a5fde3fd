import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFeed } from '../../src/core/backtest/feed-sandbox.js';
import { feedFrom, runBacktest } from '../../src/core/backtest/run.js';
import { parseOrderKey } from '../../src/core/bot/keys.js';
import { BotSession, botOrders, type Minute } from '../../src/core/bot/session.js';
import { botSpec, fillsOf } from '../../src/core/bot/spec.js';
import type { BotConfig } from '../../src/core/bot/types.js';
import { warmFromOf, warmMinutes } from '../../src/core/bot/warmup.js';
import { ManualClock } from '../../src/core/clock.js';
import { parseIst } from '../../src/core/ist.js';
import { PaperService } from '../../src/core/paper/service.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { createMarket } from '../../src/sandbox/market.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { emaBot } from '../helpers/bots.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

const U = 'AB1234';
const DATE = '2026-11-25';
const SYMBOLS = ['NSE:INFY'];

/** EMA 9/21 on 5-minute bars (a declared warm-up of 145 bars: two sessions), long and short, MIS. */
const cfg: BotConfig = emaBot({ params: { timeframe: '5m', allowShort: true }, symbols: SYMBOLS });

const market = new SandboxMarketData(createMarket({}), new ManualClock(parseIst(`${DATE} 18:00:00`)));
const feedOf = (from: string) => sandboxFeed(market, SYMBOLS, from, DATE);
let warm: Minute[] = [];
let day: Minute[] = [];

beforeAll(async () => {
  warm = await warmMinutes(await feedOf(warmFromOf(cfg, DATE)), DATE);
  day = await warmMinutes(await feedOf(DATE), '2026-11-26');
});

const sqlite = sqliteFixture(afterEach);

/** The owner's paper account and one bot's session on it, its clock at each minute's close as live. */
async function desk(kind: 'memory' | 'sqlite') {
  const store: PaperStore = kind === 'memory' ? new MemoryPaperStore() : sqlite.open(sqlite.file());
  const clock = new ManualClock(parseIst(`${DATE} 09:00:00`));
  const service = new PaperService({ store, market: new SandboxMarketData(createMarket({}), clock), clock, onError: (e) => { throw e; } });
  const fills = fillsOf(service.config);
  const rec = await store.bots.create(U, { name: 'Trend5', config: cfg, now: clock.now() });
  const { instruments } = await feedOf(DATE);
  let holder = 0;
  const session = async (): Promise<BotSession> => {
    const lease = (await store.bots.acquireLease(U, rec.id, `runner-${++holder}`, clock.now(), 86_400_000))!;
    const bot = (await store.bots.get(U, rec.id))!;
    return new BotSession({ bot, instruments, fills, bots: store.bots, token: lease.token, place: (req, price, fence) => service.placeFenced(U, req, price, fence), now: () => clock.now(), date: DATE });
  };
  const step = async (s: BotSession, m: Minute) => {
    clock.set(m.t + 60_000);
    await s.step(m.t, m.candles);
  };
  const release = async () => {
    const l = (await store.bots.lease(U, rec.id))!;
    await store.bots.releaseLease(U, rec.id, l.holder, l.token);
  };
  const orders = async () => [...botOrders(await store.orders(U), rec.id)].sort((a, b) => (a.bot_key! < b.bot_key! ? -1 : 1));
  return { fills, session, step, release, orders };
}

const asFills = (os: Array<{ transaction_type: string; filled_quantity: number; average_price: number }>) => os.map((o) => ({ side: o.transaction_type, quantity: o.filled_quantity, price: o.average_price }));

describe.each(['memory', 'sqlite'] as const)('a warmed bot session on the %s store', (kind) => {
  it("mirrors the fills of botSpec's warmed backtest of the day, with trades from the morning", async () => {
    const d = await desk(kind);
    const spec = botSpec(cfg, DATE, d.fills);
    // two trading days before Wed 25 Nov: Fri 20 and Mon 23 (Tue 24 is Guru Nanak Jayanti)
    expect(spec.warmFrom).toBe('2026-11-20');
    expect(warm).toHaveLength(2 * 375);
    const s = await d.session();
    s.warm(warm);
    for (const m of day) await d.step(s, m);
    const bt = await runBacktest(spec, await feedOf(feedFrom(spec)));
    const cold = await runBacktest(botSpec(cfg, DATE, d.fills), await feedOf(DATE));
    // warmed, the bot trades from the morning; cold, a 5-minute EMA 21 waits 145 bars (past the day's 75)
    expect(bt.fills.length).toBeGreaterThanOrEqual(2);
    expect(cold.fills).toEqual([]);
    expect(bt.fills[0]!.filled_at).toBeLessThan(parseIst(`${DATE} 15:00:00`));
    const orders = await d.orders();
    expect(asFills(orders)).toEqual(bt.fills.map((f) => ({ side: f.transaction_type, quantity: f.quantity, price: f.price })));
    expect(orders.every((o) => o.status === 'COMPLETE')).toBe(true);
    // each keyed by the minute the book filled it in, placed at that minute's close
    orders.forEach((o, i) => {
      const minute = parseOrderKey(o.bot_key!).minute;
      expect(bt.fills[i]!.filled_at - minute).toBeGreaterThanOrEqual(0);
      expect(bt.fills[i]!.filled_at - minute).toBeLessThanOrEqual(60_000);
      expect(o.placed_at).toBe(minute + 60_000);
    });
    expect(s.stopped).toBeNull();
  });

  it('warm, then recover: a restarted session warmed with the same days reconciles and carries on as the backtest', async () => {
    const d = await desk(kind);
    const half = day.findIndex((m) => m.t >= parseIst(`${DATE} 13:00:00`));
    const s1 = await d.session();
    s1.warm(warm);
    for (const m of day.slice(0, half)) await d.step(s1, m);
    const before = await d.orders();
    expect(before.length).toBeGreaterThan(0);
    await d.release();
    const s2 = await d.session();
    s2.warm(warm);
    expect(await s2.recover(day.slice(0, half), before)).toEqual({ ok: true, toPlace: [], toMark: [] });
    for (const m of day.slice(half)) await d.step(s2, m);
    const spec = botSpec(cfg, DATE, d.fills);
    const bt = await runBacktest(spec, await feedOf(feedFrom(spec)));
    expect(asFills(await d.orders())).toEqual(bt.fills.map((f) => ({ side: f.transaction_type, quantity: f.quantity, price: f.price })));
    // warm comes first: after a step (or recover) it is refused
    expect(() => s2.warm(warm)).toThrow(/before recover or any step/);
  });
});
