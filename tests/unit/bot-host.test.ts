import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFeed } from '../../src/core/backtest/feed-sandbox.js';
import { runBacktest } from '../../src/core/backtest/run.js';
import { BarLog } from '../../src/core/bot/bar-log.js';
import { BotHost, type HostEvent } from '../../src/core/bot/host.js';
import type { MinuteGroup } from '../../src/core/bot/live-bars.js';
import { botOrders, type PlaceFn } from '../../src/core/bot/session.js';
import { botSpec, fillsOf } from '../../src/core/bot/spec.js';
import { StaleLeaseError } from '../../src/core/bot/store.js';
import type { BotConfig, BotRecord } from '../../src/core/bot/types.js';
import { ManualClock } from '../../src/core/clock.js';
import { parseIst } from '../../src/core/ist.js';
import type { Instrument } from '../../src/core/market/types.js';
import type { PaperOrder } from '../../src/core/paper/types.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { createMarket } from '../../src/sandbox/market.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { emaBot, feedMinutes, ownerDesk } from '../helpers/bots.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

const U = 'AB1234';
const V = 'CD5678';
const DATE = '2026-11-25';
const LEASE = 180_000;
const at = (hhmm: string): number => parseIst(`${DATE} ${hhmm}:00`);

const config = (quantity = 10, over: Partial<BotConfig> = {}): BotConfig => emaBot({ sizing: { quantity }, ...over });

const dayMarket = new SandboxMarketData(createMarket({}), new ManualClock(at('18:00')));
let minutes: MinuteGroup[] = [];
let instruments: Instrument[] = [];

beforeAll(async () => {
  const feed = await sandboxFeed(dayMarket, ['NSE:INFY'], DATE, DATE);
  instruments = feed.instruments;
  minutes = await feedMinutes(feed);
});

const sqlite = sqliteFixture(afterEach);

/** One store, one clock, a paper service and a desk; hosts on it by holder name. */
function world(kind: 'memory' | 'sqlite') {
  const store: PaperStore = kind === 'memory' ? new MemoryPaperStore() : sqlite.open(sqlite.file());
  const clock = new ManualClock(at('09:14'));
  const { service, fills, desk } = ownerDesk(store, clock);
  const events: HostEvent[] = [];
  /** `crash`: from when its place call never returns (the process died there), after placing or before. */
  function host(holder: string, users: string[] = [U], crash?: { from: number; placed: boolean }): BotHost {
    const place = (userId: string): PlaceFn => async (req, price, fence) => {
      if (!crash || clock.now() < crash.from) return service.placeFenced(userId, req, price, fence);
      if (crash.placed) await service.placeFenced(userId, req, price, fence);
      return new Promise<never>(() => undefined);
    };
    return new BotHost({
      store,
      holder,
      leaseMs: LEASE,
      users: async () => users,
      instruments: async () => instruments,
      place,
      fills: () => fills,
      history: async () => [], // cold: these bots trade 1-minute bars that warm up on the day
      barLog: new BarLog(store.backtests, 'sandbox'),
      now: () => clock.now(),
      onEvent: (e) => events.push(e),
      onError: (e) => { throw e; },
    });
  }
  async function started(name: string, cfg: BotConfig, user = U): Promise<BotRecord> {
    await store.bots.create(user, { name, config: cfg, now: clock.now() });
    return desk.start(user, name);
  }
  /** Minutes [from, until) through the hosts, each at its close, every host ticking after it. */
  async function run(hosts: BotHost[], from: string | number, until: string | number, beforeEach?: (t: number) => Promise<void>): Promise<void> {
    const ms = (x: string | number): number => (typeof x === 'number' ? x : at(x));
    for (const m of minutes.filter((g) => g.t >= ms(from) && g.t < ms(until))) {
      if (beforeEach) await beforeEach(m.t);
      clock.set(Math.max(clock.now(), m.t + 60_000)); // after a gap the late minutes close at once
      for (const h of hosts) await h.onMinutes([m]);
      for (const h of hosts) await h.tick();
    }
  }
  const orders = async (bot: BotRecord, user = U): Promise<PaperOrder[]> => botOrders(await store.orders(user), bot.id);
  return { store, clock, service, fills, desk, events, host, started, run, orders };
}

const position = (orders: PaperOrder[]): number => orders.reduce((q, o) => q + (o.transaction_type === 'BUY' ? 1 : -1) * o.filled_quantity, 0);
const sides = (orders: PaperOrder[]) => [...orders].sort((a, b) => (a.bot_key! < b.bot_key! ? -1 : 1)).map((o) => ({ side: o.transaction_type, quantity: o.filled_quantity, price: o.average_price }));
const uniqueKeys = (orders: PaperOrder[]): boolean => new Set(orders.map((o) => o.bot_key)).size === orders.length;

async function backtestFills(cfg: BotConfig, fills: ReturnType<typeof fillsOf>) {
  const bt = await runBacktest(botSpec(cfg, DATE, fills), await sandboxFeed(dayMarket, cfg.symbols, DATE, DATE));
  return bt.fills.map((f) => ({ side: f.transaction_type, quantity: f.quantity, price: f.price }));
}

describe.each(['memory', 'sqlite'] as const)('BotHost on the %s store', (kind) => {
  it('a running bot trades the day exactly like the backtest of its spec', async () => {
    const w = world(kind);
    const bot = await w.started('Trend', config(10));
    const host = w.host('h1');
    await host.tick();
    expect(host.heldBots()).toEqual([bot.id]);
    expect(host.tokens()).toEqual([instruments[0]!.instrument_token]);
    expect((await w.store.bots.get(U, bot.id))!.status).toBe('running');
    await w.run([host], '09:14', '15:30');
    const want = await backtestFills(config(10), w.fills);
    expect(want.length).toBeGreaterThanOrEqual(4);
    const got = await w.orders(bot);
    expect(sides(got)).toEqual(want);
    expect(host.stats()).toMatchObject({ held: 1, fills: want.length, lastMinute: at('15:29') });
    const session = (await w.store.bots.events(U, { botId: bot.id })).filter((e) => e.kind === 'session');
    expect(session.map((e) => e.data)).toEqual([{ from: at('09:14') }]);
    await host.close();
    expect(await w.store.bots.lease(U, bot.id)).toBeNull();
  });

  it('pause blocks entries but still exits; stop flattens, then stops and releases', async () => {
    const w = world(kind);
    const bot = await w.started('Trend', config(10));
    const host = w.host('h1');
    await host.tick();
    // run until the bot holds a position, then pause
    let pausedAt = 0;
    await w.run([host], '09:14', '15:30', async (t) => {
      if (pausedAt === 0 && position(await w.orders(bot)) !== 0) {
        pausedAt = t;
        await w.desk.pause(U, 'Trend');
      }
    });
    expect(pausedAt).toBeGreaterThan(0);
    const after = (await w.orders(bot)).filter((o) => o.placed_at > pausedAt);
    // exits only: at most the one that closes the position held when paused, and flat at the end
    expect(after.length).toBe(1);
    expect(position(await w.orders(bot))).toBe(0);
    expect((await w.store.bots.get(U, bot.id))!.status).toBe('paused');
    expect((await w.orders(bot)).length).toBeLessThan((await backtestFills(config(10), w.fills)).length);

    const w2 = world(kind);
    const b2 = await w2.started('Trend', config(10));
    const h2 = w2.host('h2');
    await h2.tick();
    let stoppedAt = 0;
    await w2.run([h2], '09:14', '15:30', async (t) => {
      if (stoppedAt === 0 && position(await w2.orders(b2)) !== 0) {
        stoppedAt = t;
        await w2.desk.stop(U, 'Trend');
      }
    });
    const rec = (await w2.store.bots.get(U, b2.id))!;
    expect([rec.desired, rec.status]).toEqual(['stopped', 'stopped']);
    expect(position(await w2.orders(b2))).toBe(0);
    // the stop is seen at the tick after minute stoppedAt closes; the exit fills at the next open, and nothing after it
    expect((await w2.orders(b2)).filter((o) => o.placed_at > stoppedAt).map((o) => o.placed_at)).toEqual([stoppedAt + 120_000]);
    expect(await w2.store.bots.lease(U, b2.id)).toBeNull();
    expect(h2.heldBots()).toEqual([]);
  });

  it("kill flattens and stops every bot of that user only", async () => {
    const w = world(kind);
    const a = await w.started('A', config(10));
    const b = await w.started('B', config(5));
    const c = await w.started('C', config(7), V);
    const host = w.host('h1', [U, V]);
    await host.tick();
    expect(host.heldBots().sort()).toEqual([a.id, b.id, c.id].sort());
    let killed = false;
    await w.run([host], '09:14', '15:30', async () => {
      if (!killed && position(await w.orders(a)) !== 0) {
        killed = true;
        await w.desk.kill(U);
      }
    });
    expect(killed).toBe(true);
    for (const bot of [a, b]) {
      const rec = (await w.store.bots.get(U, bot.id))!;
      expect([rec.status, rec.entries_blocked]).toEqual(['stopped', true]);
      expect(position(await w.orders(bot))).toBe(0);
    }
    expect((await w.store.bots.get(V, c.id))!.status).toBe('running');
    expect(sides(await w.orders(c, V))).toEqual(await backtestFills(config(7), w.fills));
    expect(host.heldBots()).toEqual([c.id]);
  });

  it('renews a held lease once a third of it has gone, not on every pass', async () => {
    const w = world(kind);
    const bot = await w.started('Trend', config());
    const h = w.host('one');
    await h.tick();
    const first = (await w.store.bots.lease(U, bot.id))!;
    w.clock.advance(LEASE / 3 - 1_000);
    await h.tick();
    expect((await w.store.bots.lease(U, bot.id))!.expires_at).toBe(first.expires_at);
    w.clock.advance(2_000);
    await h.tick();
    const renewed = (await w.store.bots.lease(U, bot.id))!;
    expect([renewed.token, renewed.holder, renewed.expires_at]).toEqual([first.token, first.holder, w.clock.now() + LEASE]);
    await h.close();
  });

  it('two hosts on one store: each bot in exactly one', async () => {
    const w = world(kind);
    const bots = [await w.started('A', config(10)), await w.started('B', config(3)), await w.started('C', config(4))];
    const h1 = w.host('h1');
    const h2 = w.host('h2');
    await Promise.all([h1.tick(), h2.tick()]);
    await w.run([h1, h2], '09:14', '10:30');
    const held = [...h1.heldBots(), ...h2.heldBots()].sort();
    expect(held).toEqual(bots.map((b) => b.id).sort());
    expect(new Set(held).size).toBe(held.length);
    for (const bot of bots) expect(uniqueKeys(await w.orders(bot))).toBe(true);
  });

  it('a holder that stops renewing is taken over within two lease periods with a higher token; its orders are refused', async () => {
    const w = world(kind);
    const bot = await w.started('Trend', config(10));
    const dead = w.host('dead');
    const live = w.host('live');
    await dead.tick();
    await live.tick();
    expect(dead.heldBots()).toEqual([bot.id]);
    await w.run([dead, live], '09:14', '11:00');
    const old = (await w.store.bots.lease(U, bot.id))!;
    expect(old.holder).toBe('dead');
    // 'dead' stops ticking and renewing; 'live' ticks every few seconds
    const died = w.clock.now();
    while (!live.heldBots().includes(bot.id)) {
      w.clock.advance(5_000);
      await live.tick();
    }
    expect(w.clock.now() - died).toBeLessThanOrEqual(2 * LEASE);
    const lease = (await w.store.bots.lease(U, bot.id))!;
    expect(lease.holder).toBe('live');
    expect(lease.token).toBeGreaterThan(old.token);
    await w.run([live], '11:03', '15:30');
    await expect(w.store.bots.putOrders(U, bot.id, old.token, w.clock.now(), [{ key: 'zz', minute: at('15:29'), request: {} }])).rejects.toThrow(StaleLeaseError);
    const req = (await w.orders(bot))[0]!;
    const fence = { botId: bot.id, token: old.token, key: `${bot.id}zzzzzzzz` };
    await expect(w.service.placeFenced(U, { exchange: 'NSE', tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1, order_type: 'LIMIT', product: 'MIS', price: req.average_price, validity: 'DAY' }, req.average_price, fence)).rejects.toThrow(StaleLeaseError);
    expect(uniqueKeys(await w.orders(bot))).toBe(true);
  });

  it('restart mid-day: a new host recovers from the stored minutes and orders and places nothing twice', async () => {
    const w = world(kind);
    const bot = await w.started('Trend', config(10));
    const first = w.host('first');
    await first.tick();
    const bt = await runBacktest(botSpec(config(10), DATE, w.fills), await sandboxFeed(dayMarket, ['NSE:INFY'], DATE, DATE));
    // dropped a few minutes after its first entry, with a position open
    const split = Math.floor(bt.fills[0]!.filled_at / 60_000) * 60_000 + 5 * 60_000;
    await w.run([first], '09:14', split);
    const before = await w.orders(bot);
    expect(before.length).toBeGreaterThan(0);
    // the first host is gone without a word; its lease runs out
    w.clock.advance(LEASE);
    const second = w.host('second');
    await second.tick();
    expect(second.heldBots()).toEqual([bot.id]);
    expect(w.events.some((e) => e.kind === 'recovered' && e.botId === bot.id)).toBe(true);
    expect((await w.orders(bot)).length).toBe(before.length);
    expect(position(before)).not.toBe(0);
    await w.run([second], split, '15:30');
    const got = await w.orders(bot);
    expect(uniqueKeys(got)).toBe(true);
    expect(sides(got)).toEqual(await backtestFills(config(10), w.fills));
    expect((await w.store.bots.get(U, bot.id))!.status).toBe('running');
  });

  it.each([
    ['logged, before its orders were written', 'log'],
    ['its order written to the outbox, not sent', 'unsent'],
    ['its order placed in the account, not marked', 'placed'],
  ] as const)('a crash inside a minute (%s): the restart steps it again and places each order once', async (_what, mode) => {
    const w = world(kind);
    const bot = await w.started('Trend', config(10));
    const bt = await runBacktest(botSpec(config(10), DATE, w.fills), await sandboxFeed(dayMarket, ['NSE:INFY'], DATE, DATE));
    const m = Math.floor(bt.fills[1]!.filled_at / 60_000) * 60_000; // the minute whose step makes the second order
    const first = w.host('first', [U], mode === 'log' ? undefined : { from: m + 60_000, placed: mode === 'placed' });
    await first.tick();
    await w.run([first], '09:14', m);
    const crashed = minutes.find((g) => g.t === m)!;
    w.clock.set(m + 60_000);
    if (mode === 'log') await new BarLog(w.store.backtests, 'sandbox').append(m, crashed.candles);
    else void first.onMinutes([crashed]); // never settles: the process died inside the place call
    await new Promise((r) => setTimeout(r, 50));
    const outbox = await w.store.bots.orders(U, bot.id);
    const rows = outbox.filter((r) => r.minute === m);
    expect(rows.length > 0).toBe(mode !== 'log');
    expect(rows.every((r) => r.status === 'pending')).toBe(true);
    expect((await w.orders(bot)).length).toBe(mode === 'placed' ? 2 : 1);
    w.clock.advance(LEASE);
    const second = w.host('second');
    await second.tick();
    expect(second.heldBots()).toEqual([bot.id]);
    await w.run([second], m + 60_000, '15:30');
    const got = await w.orders(bot);
    expect(uniqueKeys(got)).toBe(true);
    expect(sides(got)).toEqual(await backtestFills(config(10), w.fills));
    expect((await w.store.bots.orders(U, bot.id)).filter((r) => r.status !== 'placed')).toEqual([]);
    expect((await w.store.bots.get(U, bot.id))!.status).toBe('running');
  });

  it.each(['pause', 'flatten'] as const)('a restart after a %s replays it where it was given: no needs_review, the same orders as without the restart', async (cmd) => {
    const give = (w: ReturnType<typeof world>) => (cmd === 'pause' ? w.desk.pause(U, 'Trend') : w.desk.flatten(U, 'Trend'));
    // the reference: one host all day, the command at the first open position
    const ref = world(kind);
    const rb = await ref.started('Trend', config(10));
    const rh = ref.host('ref');
    await rh.tick();
    let given = 0;
    await ref.run([rh], '09:14', '15:30', async (t) => {
      if (given === 0 && position(await ref.orders(rb)) !== 0) {
        given = t;
        await give(ref);
      }
    });
    expect(given).toBeGreaterThan(0);
    const want = sides(await ref.orders(rb));
    // the same, with the host dropped 20 minutes after the command and another taking over
    const w = world(kind);
    const bot = await w.started('Trend', config(10));
    const first = w.host('first');
    await first.tick();
    await w.run([first], '09:14', given + 20 * 60_000, async (t) => {
      if (t === given) await give(w);
    });
    w.clock.advance(LEASE);
    const second = w.host('second');
    await second.tick();
    expect(second.heldBots()).toEqual([bot.id]);
    await w.run([second], given + 20 * 60_000, '15:30');
    expect((await w.store.bots.get(U, bot.id))!.status).toBe(cmd === 'pause' ? 'paused' : 'running');
    expect(sides(await w.orders(bot))).toEqual(want);
    expect(uniqueKeys(await w.orders(bot))).toBe(true);
  });
});
