import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFeed } from '../../src/core/backtest/feed-sandbox.js';
import { paramsOf, runBacktest, strategyOf } from '../../src/core/backtest/run.js';
import { Runner } from '../../src/core/backtest/runner.js';
import type { BacktestResult } from '../../src/core/backtest/types.js';
import { parseOrderKey } from '../../src/core/bot/keys.js';
import { reconcile } from '../../src/core/bot/reconcile.js';
import { BotSession, botOrders, type Minute } from '../../src/core/bot/session.js';
import { botSpec, fillsOf } from '../../src/core/bot/spec.js';
import type { BotStore } from '../../src/core/bot/store.js';
import type { BotConfig, BotRecord } from '../../src/core/bot/types.js';
import { ManualClock } from '../../src/core/clock.js';
import { parseIst } from '../../src/core/ist.js';
import type { Instrument } from '../../src/core/market/types.js';
import { PaperService } from '../../src/core/paper/service.js';
import type { PaperOrder, PaperTrade } from '../../src/core/paper/types.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { createMarket } from '../../src/sandbox/market.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { emaBot, feedMinutes } from '../helpers/bots.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

const U = 'AB1234';
const DATE = '2026-11-25';
const DAY_MS = 86_400_000;

/** EMA 9/21 on 1-minute bars, long and short, MIS (so out at 15:10 IST, botSpec's default: the account refuses MIS from 15:20). */
const config = (quantity = 10, over: Partial<BotConfig> = {}): BotConfig => emaBot({ sizing: { quantity }, ...over });

const market = new SandboxMarketData(createMarket({}), new ManualClock(parseIst(`${DATE} 18:00:00`)));
let minutes: Minute[] = [];
let instruments: Instrument[] = [];

beforeAll(async () => {
  const feed = await sandboxFeed(market, ['NSE:INFY'], DATE, DATE);
  instruments = feed.instruments;
  minutes = await feedMinutes(feed);
});

const sqlite = sqliteFixture(afterEach);

/** A paper account on the store, its service's clock at the close of each minute stepped (as live). */
function desk(kind: 'memory' | 'sqlite') {
  const store: PaperStore = kind === 'memory' ? new MemoryPaperStore() : sqlite.open(sqlite.file());
  const bots: BotStore = store.bots;
  const clock = new ManualClock(parseIst(`${DATE} 09:00:00`));
  const sandbox = new SandboxMarketData(createMarket({}), clock);
  const service = new PaperService({ store, market: sandbox, clock, onError: (e) => { throw e; } });
  const fills = fillsOf(service.config);
  let holder = 0;
  async function bot(name: string, cfg: BotConfig): Promise<BotRecord> {
    return bots.create(U, { name, config: cfg, now: clock.now() });
  }
  /** A session holding a fresh lease (a new holder once the last one is released). */
  async function session(rec: BotRecord): Promise<BotSession> {
    const lease = await bots.acquireLease(U, rec.id, `runner-${++holder}`, clock.now(), DAY_MS);
    if (!lease) throw new Error('no lease');
    const fresh = (await bots.get(U, rec.id))!;
    return new BotSession({ bot: fresh, instruments, fills, bots, token: lease.token, place: (req, price, fence) => service.placeFenced(U, req, price, fence), now: () => clock.now(), date: DATE });
  }
  /** A session that only replays (no lease, never places). */
  function probe(rec: BotRecord): BotSession {
    return new BotSession({ bot: rec, instruments, fills, bots, token: 1, place: () => Promise.reject(new Error('a probe places nothing')), now: () => clock.now(), date: DATE });
  }
  async function release(rec: BotRecord): Promise<void> {
    const l = (await bots.lease(U, rec.id))!;
    await bots.releaseLease(U, rec.id, l.holder, l.token);
  }
  async function step(sessions: BotSession[], m: Minute): Promise<void> {
    clock.set(m.t + 60_000);
    for (const s of sessions) await s.step(m.t, m.candles);
  }
  const accountOrders = async (rec: BotRecord): Promise<PaperOrder[]> => botOrders(await store.orders(U), rec.id);
  return { store, bots, clock, service, fills, bot, session, probe, release, step, accountOrders };
}

async function backtestOf(cfg: BotConfig, fills: ReturnType<typeof fillsOf>): Promise<BacktestResult> {
  return runBacktest(botSpec(cfg, DATE, fills), await sandboxFeed(market, cfg.symbols, DATE, DATE));
}

/** The account's orders of a bot in key order, as fills: side, quantity, price, and the minute its key names. */
function mirrored(orders: PaperOrder[]) {
  return [...orders].sort((a, b) => (a.bot_key! < b.bot_key! ? -1 : 1)).map((o) => ({ side: o.transaction_type, quantity: o.filled_quantity, price: o.average_price, status: o.status, minute: parseOrderKey(o.bot_key!).minute, placed_at: o.placed_at }));
}

/** A fill without its ids (they end in two random digits). */
const noIds = ({ order_id: _o, trade_id: _t, ...rest }: PaperTrade) => rest;

/** A bot's position in the account: the sum of its tagged fills per symbol. */
const positionOf = (orders: PaperOrder[], symbol = 'INFY'): number => orders.filter((o) => o.tradingsymbol === symbol).reduce((q, o) => q + (o.transaction_type === 'BUY' ? 1 : -1) * o.filled_quantity, 0);

function expectSameAsBacktest(orders: PaperOrder[], bt: BacktestResult): void {
  const got = mirrored(orders);
  expect(got.map(({ side, quantity, price }) => ({ side, quantity, price }))).toEqual(bt.fills.map((f) => ({ side: f.transaction_type, quantity: f.quantity, price: f.price })));
  expect(got.every((o) => o.status === 'COMPLETE')).toBe(true);
  // each was decided in the minute its key names and placed at that minute's close (a fill at the open, or an exit at the close)
  got.forEach((o, i) => {
    const at = bt.fills[i]!.filled_at;
    expect(at >= o.minute && at <= o.minute + 60_000).toBe(true);
    expect(o.placed_at).toBe(o.minute + 60_000);
  });
}

describe.each(['memory', 'sqlite'] as const)('a bot session on the %s store over a sandbox day', (kind) => {
  it('mirrors the fills of a backtest of the same minutes into the account, each once, with its events', async () => {
    const d = desk(kind);
    // entries until 14:00: the 14:06 cross's entry is blocked (its exit is not)
    const cfg = config(10, { entryWindow: { from: '09:20', until: '14:00' } });
    const rec = await d.bot('Trend', cfg);
    const s = await d.session(rec);
    for (const m of minutes) await d.step([s], m);
    const bt = await backtestOf(cfg, d.fills);
    expect(bt.fills.length).toBeGreaterThanOrEqual(4);
    // the private book is the backtest's account, fill for fill
    expect(s.runner.account.trades.map(noIds)).toEqual(bt.fills.map(noIds));
    const orders = await d.accountOrders(rec);
    expectSameAsBacktest(orders, bt);
    expect(positionOf(orders)).toBe(0);
    // the outbox: every key placed with its order id
    const outbox = await d.bots.orders(U, rec.id);
    expect(outbox.map((r) => [r.key, r.status, r.order_id])).toEqual([...orders].sort((a, b) => (a.bot_key! < b.bot_key! ? -1 : 1)).map((o) => [o.bot_key, 'placed', o.order_id]));
    const events = await d.bots.events(U, { botId: rec.id });
    expect(events.filter((e) => e.kind === 'fill')).toHaveLength(bt.fills.length);
    expect(bt.blocked?.length).toBeGreaterThan(0);
    expect(events.filter((e) => e.kind === 'blocked').map((e) => e.data)).toEqual(bt.blocked);
    expect(events.find((e) => e.kind === 'fill')?.data).toMatchObject({ symbol: 'NSE:INFY', reason: 'signal' });
    expect(s.stopped).toBeNull();
  });

  it('two bots of one user on one symbol keep their own positions; a manual order changes neither', async () => {
    const d = desk(kind);
    const a = await d.bot('Fast', config(10));
    const b = await d.bot('Slow', config(3, { params: { fast: 5, slow: 30, timeframe: '1m', allowShort: false } }));
    const sa = await d.session(a);
    const sb = await d.session(b);
    let apart = 0;
    for (const m of minutes) {
      await d.step([sa, sb], m);
      if (m.t === parseIst(`${DATE} 11:00:00`)) await d.service.place(U, { exchange: 'NSE', tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 7, order_type: 'MARKET', product: 'MIS', validity: 'DAY' });
      if (m.t % (15 * 60_000) !== 0) continue;
      const qa = positionOf(await d.accountOrders(a));
      const qb = positionOf(await d.accountOrders(b));
      expect(qa).toBe(sa.runner.account.quantity('NSE:INFY:MIS'));
      expect(qb).toBe(sb.runner.account.quantity('NSE:INFY:MIS'));
      const total = (await d.store.positions(U)).find((p) => p.tradingsymbol === 'INFY')?.quantity ?? 0;
      expect(total).toBe(qa + qb + (m.t >= parseIst(`${DATE} 11:00:00`) ? 7 : 0));
      if (qa !== qb && qa !== 0 && qb !== 0) apart++;
    }
    expect(apart).toBeGreaterThan(0);
    expectSameAsBacktest(await d.accountOrders(a), await backtestOf(config(10), d.fills));
    expectSameAsBacktest(await d.accountOrders(b), await backtestOf(config(3, { params: { fast: 5, slow: 30, timeframe: '1m', allowShort: false } }), d.fills));
  });

  it('restart: a second session replaying the same minutes reconciles, places nothing again, and carries on as the backtest', async () => {
    const d = desk(kind);
    const rec = await d.bot('Trend', config());
    const s1 = await d.session(rec);
    const half = minutes.findIndex((m) => m.t >= parseIst(`${DATE} 13:00:00`));
    for (const m of minutes.slice(0, half)) await d.step([s1], m);
    const before = await d.accountOrders(rec);
    expect(before.length).toBeGreaterThan(0);
    await d.release(rec);
    const s2 = await d.session(rec);
    expect(await s2.recover(minutes.slice(0, half), before)).toEqual({ ok: true, toPlace: [], toMark: [] });
    expect(await d.accountOrders(rec)).toHaveLength(before.length);
    for (const m of minutes.slice(half)) await d.step([s2], m);
    expectSameAsBacktest(await d.accountOrders(rec), await backtestOf(config(), d.fills));
    // out at the MIS square-off time (15:10, at that minute's close), before the account's own 15:20 square-off
    const fills = (await d.bots.events(U, { botId: rec.id })).filter((e) => e.kind === 'fill');
    expect(fills.at(-1)?.data).toMatchObject({ reason: 'square-off-time' });
    expect(Math.max(...(await d.accountOrders(rec)).map((o) => o.placed_at))).toBe(parseIst(`${DATE} 15:10:00`));
  });

  it.each(['before the account saw them', 'after the account placed them, before the outbox was marked'])('a crash with orders in the outbox %s is resolved by reconcile without a duplicate', async (when) => {
    const d = desk(kind);
    const rec = await d.bot('Trend', config());
    const produced = d.probe(rec).replay(minutes);
    const crash = produced[2]!.minute;
    const rows = produced.filter((o) => o.minute === crash).map(({ key, minute, request }) => ({ key, minute, request: { ...request } }));
    const s1 = await d.session(rec);
    for (const m of minutes.filter((x) => x.t < crash)) await d.step([s1], m);
    // the step of the crash minute wrote its outbox rows, and (in the second case) placed them, then the process died
    d.clock.set(crash + 60_000);
    const token = (await d.bots.lease(U, rec.id))!.token;
    await d.bots.putOrders(U, rec.id, token, d.clock.now(), rows);
    const placedBefore = when.startsWith('after');
    if (placedBefore) for (const r of rows) await d.service.placeFenced(U, r.request, r.request.price as number, { botId: rec.id, token, key: r.key });
    await d.release(rec); // the dead runner's lease expires
    const s2 = await d.session(rec);
    const upTo = minutes.filter((x) => x.t <= crash);
    const r = await s2.recover(upTo, await d.accountOrders(rec));
    const keys = rows.map((x) => x.key);
    expect(r.ok && { toPlace: r.toPlace, toMark: r.toMark.map((x) => x.key) }).toEqual(placedBefore ? { toPlace: [], toMark: keys } : { toPlace: keys, toMark: [] });
    const outbox = await d.bots.orders(U, rec.id);
    expect(outbox.every((x) => x.status === 'placed' && x.order_id !== null)).toBe(true);
    const orders = await d.accountOrders(rec);
    expect(new Set(orders.map((o) => o.bot_key)).size).toBe(orders.length);
    expect(orders).toHaveLength(produced.filter((o) => o.minute <= crash).length);
    for (const m of minutes.filter((x) => x.t > crash)) await d.step([s2], m);
    expectSameAsBacktest(await d.accountOrders(rec), await backtestOf(config(), d.fills));
  });

  it('an outbox row the replay does not produce, or stored minutes that replay to another order, stop the bot in needs_review; it trades nothing', async () => {
    const d = desk(kind);
    const rec = await d.bot('Trend', config());
    const s1 = await d.session(rec);
    const half = minutes.findIndex((m) => m.t >= parseIst(`${DATE} 13:00:00`));
    for (const m of minutes.slice(0, half)) await d.step([s1], m);
    const produced = d.probe(rec).replay(minutes.slice(0, half));
    // stored minutes changed by a paisa at the first fill's open: the replay's order differs from the outbox's
    const first = minutes.findIndex((m) => m.t === produced[0]!.minute);
    const tampered = minutes.slice(0, half).map((m, i) => (i === first ? { t: m.t, candles: m.candles.map((c) => ({ ...c, candle: { ...c.candle, open: c.candle.open + 5, high: Math.max(c.candle.high, c.candle.open + 5) } })) } : m));
    const bad = reconcile(d.probe(rec).replay(tampered), await d.bots.orders(U, rec.id), await d.accountOrders(rec));
    expect(bad).toEqual({ ok: false, reason: expect.stringMatching(new RegExp(`^order ${produced[0]!.key} in the outbox differs from the replay's \\(.*"price":`)) });
    // an extra row in the outbox
    const token = (await d.bots.lease(U, rec.id))!.token;
    const extra = { ...produced[0]!, key: produced.at(-1)!.key.slice(0, 14) + 'zz' };
    await d.bots.putOrders(U, rec.id, token, d.clock.now(), [{ key: extra.key, minute: extra.minute, request: { ...extra.request } }]);
    await d.release(rec);
    const s2 = await d.session(rec);
    const before = await d.accountOrders(rec);
    const r = await s2.recover(minutes.slice(0, half), before);
    expect(r).toEqual({ ok: false, reason: `the outbox holds order ${extra.key}, which the replay did not produce` });
    expect(await d.bots.get(U, rec.id)).toMatchObject({ status: 'needs_review', status_reason: r.ok ? '' : r.reason });
    expect((await d.bots.events(U, { botId: rec.id })).at(-1)).toMatchObject({ kind: 'needs_review', message: r.ok ? '' : r.reason });
    for (const m of minutes.slice(half)) expect((await d.step([s2], m), s2.stopped?.kind)).toBe('needs_review');
    expect(await d.accountOrders(rec)).toHaveLength(before.length);
  });

  it('an order the account rejects halts the bot (status, reason, event); it sends nothing more', async () => {
    const d = desk(kind);
    await d.service.reset(U, 100_00); // ₹100: not the margin of 10 INFY
    const rec = await d.bot('Trend', config());
    const s = await d.session(rec);
    for (const m of minutes) await d.step([s], m);
    const orders = await d.accountOrders(rec);
    expect(orders.map((o) => o.status)).toEqual(['REJECTED']);
    expect(s.stopped?.kind).toBe('halted');
    const bot = (await d.bots.get(U, rec.id))!;
    expect(bot.status).toBe('halted');
    expect(bot.status_reason).toMatch(/^the account rejected order b[0-9a-f]{7}[0-9a-z]{8}: /);
    expect((await d.bots.orders(U, rec.id)).map((o) => o.status)).toEqual(['failed']);
    expect((await d.bots.events(U, { botId: rec.id })).filter((e) => e.kind === 'halted')).toHaveLength(1);
  });

  it('a session whose lease another runner took stops at its next order; the new holder goes on', async () => {
    const d = desk(kind);
    const rec = await d.bot('Trend', config());
    const s1 = await d.session(rec);
    const half = minutes.findIndex((m) => m.t >= parseIst(`${DATE} 13:00:00`));
    for (const m of minutes.slice(0, half)) await d.step([s1], m);
    await d.release(rec);
    const s2 = await d.session(rec);
    expect((await s2.recover(minutes.slice(0, half), await d.accountOrders(rec))).ok).toBe(true);
    for (const m of minutes.slice(half)) await d.step([s2, s1], m);
    expect(s1.stopped?.kind).toBe('lease');
    expect(s2.stopped).toBeNull();
    expect((await d.bots.events(U, { botId: rec.id })).filter((e) => e.kind === 'lease_lost')).toHaveLength(1);
    expectSameAsBacktest(await d.accountOrders(rec), await backtestOf(config(), d.fills));
  });
});

describe('a live bot session: the stale-bar guard and orders per second', () => {
  /** A live session (with real time for pacing) on the memory store. */
  async function live(cfg: BotConfig, d: ReturnType<typeof desk>) {
    const rec = await d.bot('Live', cfg);
    const lease = (await d.bots.acquireLease(U, rec.id, 'live', d.clock.now(), DAY_MS))!;
    let real = 5_000_000;
    const waits: number[] = [];
    const pace = { now: () => real, wait: async (ms: number) => void (waits.push(ms), (real += ms)) };
    const s = new BotSession({ bot: rec, instruments, fills: d.fills, bots: d.bots, token: lease.token, place: (req, price, fence) => d.service.placeFenced(U, req, price, fence), now: () => d.clock.now(), date: DATE, pace });
    return { rec, s, waits };
  }

  it('sends at most maxOrdersSecond orders a second: the reversal minute (an exit and an entry) waits a second for its second order; the fills are the backtest\'s', async () => {
    const d = desk('memory');
    const cfg = config(10, { risk: { maxOrdersSecond: 1 } });
    const { rec, s, waits } = await live(cfg, d);
    for (const m of minutes) await d.step([s], m);
    const orders = await d.accountOrders(rec);
    expectSameAsBacktest(orders, await backtestOf(cfg, d.fills));
    // one wait per order sent within a second of the one before it: every order after the first, as pacing's real time stands still between minutes
    expect(waits.length).toBe(orders.length - 1);
    expect(waits.every((w) => w === 1000)).toBe(true);
  });

  it('refuses entries decided on a minute that reached it more than staleAfterMs after its close, and says so; exits are still taken', async () => {
    const d = desk('memory');
    const cfg = config(10, { risk: { staleAfterMs: 30_000 } });
    const { rec, s } = await live(cfg, d);
    for (const m of minutes) {
      d.clock.set(m.t + 60_000 + 45_000); // each minute reaches the bot 45 s after its close
      await s.step(m.t, m.candles);
    }
    expect(await d.accountOrders(rec)).toEqual([]);
    const blocked = (await d.bots.events(U, { botId: rec.id })).filter((e) => e.kind === 'blocked');
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked.some((e) => /the bar is stale: it arrived 45000 ms after its close \(the guard is 30000 ms\)/.test(e.message))).toBe(true);
  });
});

describe('risk scenarios: a paper bot and a backtest of the same minutes give the same result', () => {
  const scenarios: Array<[string, BotConfig['risk'], (bt: BacktestResult) => void]> = [
    // a loss limit of ₹1 halts at the first losing mark: everything out at the next open, no entries after
    ['daily loss breach (halt)', { maxLossDay: { amount: 100, action: 'halt' } }, (bt) => expect(bt.trades.some((t) => t.exit_reason === 'max-loss')).toBe(true)],
    ['no entries after the cut-off', { noEntriesAfter: '13:00' }, (bt) => expect(bt.blocked?.some((b) => b.reason === 'no entries from 13:00 IST')).toBe(true)],
    ['MIS flat at the square-off time', { squareOff: '13:30' }, (bt) => expect(bt.trades.some((t) => t.exit_reason === 'square-off-time' && t.exit_time.endsWith('13:30:00'))).toBe(true)],
    // long only: out at 13:34, the next cross 32 bars later (14:06) is inside a 40-bar cooldown
    ['cooldown after an exit', { cooldownBars: 40 }, (bt) => expect(bt.blocked?.some((b) => /^cooling down after an exit: bar 32 of 40/.test(b.reason))).toBe(true)],
  ];

  it.each(scenarios)('%s', async (_name, risk, bit) => {
    const d = desk('memory');
    // long only for the cooldown, so an exit leaves the bot flat (a reversal is an exit and an entry decided together)
    const cfg = config(10, { params: { timeframe: '1m', allowShort: risk.cooldownBars === undefined }, risk });
    const rec = await d.bot('Risky', cfg);
    const s = await d.session(rec);
    for (const m of minutes) await d.step([s], m);
    const bt = await backtestOf(cfg, d.fills);
    bit(bt);
    expect(bt.fills.length).toBeGreaterThan(0);
    expectSameAsBacktest(await d.accountOrders(rec), bt);
    expect(s.runner.account.trades.map(noIds)).toEqual(bt.fills.map(noIds));
  });

  it('the kill switch: a flatten at 13:00 (long since 12:38) exits at that minute\'s open in the bot and in a Runner given the same command; no entries after', async () => {
    const d = desk('memory');
    const cfg = config(10);
    const rec = await d.bot('Killed', cfg);
    const s = await d.session(rec);
    const spec = botSpec(cfg, DATE, d.fills);
    const strategy = strategyOf(spec.strategy);
    const runner = new Runner(spec, strategy, paramsOf(strategy, spec.params), instruments);
    const cut = parseIst(`${DATE} 13:00:00`);
    for (const m of minutes) {
      if (m.t === cut) {
        s.runner.flatten('kill switch');
        runner.flatten('kill switch');
      }
      await d.step([s], m);
      runner.step(m.t, m.candles);
    }
    const orders = await d.accountOrders(rec);
    expect(s.runner.account.trades.map(noIds)).toEqual(runner.account.trades.map(noIds));
    expect(mirrored(orders).map(({ side, quantity, price }) => ({ side, quantity, price }))).toEqual(runner.account.trades.map((f) => ({ side: f.transaction_type, quantity: f.quantity, price: f.price })));
    expect(orders.every((o) => o.placed_at <= cut + 60_000)).toBe(true);
    expect(positionOf(orders)).toBe(0);
    expect([...runner.reasons.values()]).toContain('flatten');
  });
});
