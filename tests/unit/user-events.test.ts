import { afterEach, describe, expect, it } from 'vitest';
import type { BacktestJob, BacktestJobs } from '../../src/app/backtest-jobs.js';
import { formatCursor, parseCursor, UserEvents, type Cursor } from '../../src/app/user-events.js';
import { UsageError } from '../../src/core/errors.js';
import { CHANGE_LOG_KEEP } from '../../src/core/store/memory/changes.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { commit, orderDoc, tradeDoc } from '../helpers/store-docs.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

const sqlite = sqliteFixture(afterEach);
const U = 'UEA001';
const V = 'UEB001';
const START: Cursor = { paper: 0, part: null, bot: 0 };

/** Every event after `cursor`, reading batches until there are none. */
async function drain(feed: UserEvents, user: string, cursor: Cursor) {
  const all = [];
  for (;;) {
    const b = await feed.since(user, cursor);
    if (b.events.length === 0) return { events: all, cursor };
    all.push(...b.events);
    cursor = b.cursor;
  }
}

describe('event ids', () => {
  it('round-trip, and a malformed one is a UsageError saying what to send', () => {
    for (const c of [START, { paper: 12, part: 1, bot: 3 }, { paper: 7, part: null, bot: 40 }]) expect(parseCursor(formatCursor(c))).toEqual(c);
    expect(formatCursor({ paper: 12, part: 1, bot: 3 })).toBe('p12:1.b3');
    for (const bad of ['', 'p1', 'p1.b', 'x1.b2', 'p-1.b2', 'p1.b2.c3']) {
      expect(() => parseCursor(bad)).toThrow(UsageError);
    }
    expect(() => parseCursor('nope')).toThrow(/"nope" is not one of this stream's ids/);
    expect(() => parseCursor('nope')).toThrow(expect.objectContaining({ hint: expect.stringMatching(/send the id of the last event received/) }));
  });
});

for (const kind of ['memory', 'sqlite'] as const) {
  describe(`the feed over the ${kind} store`, () => {
    const make = (): PaperStore => (kind === 'memory' ? new MemoryPaperStore() : sqlite.open(sqlite.file()));

    it('gives each order and fill after a cursor once, in commit order, from any event id, and only the user\'s own', async () => {
      const store = make();
      const feed = new UserEvents({ store });
      await commit(store, U, {}); // meta only: not in the log
      await commit(store, U, { orders: [orderDoc(U, 'O1')] });
      await commit(store, V, { orders: [orderDoc(V, 'O9')] });
      await commit(store, U, { orders: [orderDoc(U, 'O1', { status: 'COMPLETE' }), orderDoc(U, 'O2')], trades: [tradeDoc(U, 'T1', 'O1')] });
      await store.bots.appendEvents(U, [{ bot_id: 'b00000a1', at: 1, kind: 'started', message: 'started' }]);
      const all = await drain(feed, U, START);
      expect(all.events.map((e) => `${e.type}:${e.id}`)).toEqual(['order:p2.b0', 'order:p3:0.b0', 'order:p3:1.b0', 'fill:p3.b0', 'bot:p3.b1']);
      expect(all.events.map((e) => (e.data as { order_id?: string }).order_id ?? null)).toEqual(['O1', 'O1', 'O2', 'O1', null]);
      expect(all.cursor).toEqual({ paper: 3, part: null, bot: 1 });
      expect(await feed.now(U)).toEqual(all.cursor);
      // From each id, exactly the events after it.
      for (const [i, e] of all.events.entries()) {
        const rest = await drain(feed, U, parseCursor(e.id));
        expect(rest.events.map((x) => x.id)).toEqual(all.events.slice(i + 1).map((x) => x.id));
      }
      const other = await drain(feed, V, START);
      expect(other.events.map((e) => (e.data as { order_id: string }).order_id)).toEqual(['O9']);
    });

    it("gives a change's orders as they are now: an order changed again since shows its latest state in both", async () => {
      const store = make();
      await commit(store, U, { orders: [orderDoc(U, 'O1')] });
      await commit(store, U, { orders: [orderDoc(U, 'O1', { status: 'COMPLETE' })], trades: [tradeDoc(U, 'T1', 'O1')] });
      expect((await store.changes!(U)).map((c) => [c.version, c.orders.map((o) => `${o.order_id} ${o.status}`), c.trades.map((t) => t.trade_id)])).toEqual([
        [1, ['O1 COMPLETE'], []],
        [2, ['O1 COMPLETE'], ['T1']],
      ]);
    });

    it('logs nothing for a refused change, and refuses a bad query', async () => {
      const store = make();
      await commit(store, U, { orders: [orderDoc(U, 'O1')], trades: [tradeDoc(U, 'T1', 'O1')] });
      await expect(commit(store, U, { orders: [orderDoc(U, 'O2')], trades: [tradeDoc(U, 'T1', 'O2')] })).rejects.toThrow(/already exists/);
      expect((await store.changes!(U)).map((c) => [c.version, c.orders.map((o) => o.order_id)])).toEqual([[1, ['O1']]]);
      await expect(store.changes!(U, { after: -1 })).rejects.toThrow(UsageError);
      await expect(store.changes!(U, { limit: 0 })).rejects.toThrow(/limit 0 is not valid/);
      await expect(store.changes!('not a user!')).rejects.toThrow(UsageError);
    });

    it('keeps the last CHANGE_LOG_KEEP order-changing commits', async () => {
      const store = make();
      const feed = new UserEvents({ store });
      for (let i = 0; i < CHANGE_LOG_KEEP + 70; i++) await commit(store, U, { orders: [orderDoc(U, `O${i}`)] });
      const kept = await store.changes!(U, { limit: 5000 });
      expect(kept.length).toBeGreaterThanOrEqual(CHANGE_LOG_KEEP);
      expect(kept.length).toBeLessThan(CHANGE_LOG_KEEP + 64);
      expect(kept[kept.length - 1]!.version).toBe(CHANGE_LOG_KEEP + 70);
      expect((await drain(feed, U, { paper: CHANGE_LOG_KEEP + 68, part: null, bot: 0 })).events).toHaveLength(2);
    });
  });
}

describe('reader slots', () => {
  it('gives max slots per user, and a released one back (once)', () => {
    const feed = new UserEvents({ store: new MemoryPaperStore() });
    const slots = [feed.open(U, 2), feed.open(U, 2)];
    expect(slots.every((s) => s !== null)).toBe(true);
    expect(feed.open(U, 2)).toBeNull();
    expect(feed.open(V, 2)).not.toBeNull();
    slots[0]!();
    slots[0]!();
    expect(feed.open(U, 2)).not.toBeNull();
    expect(feed.open(U, 2)).toBeNull();
  });
});

describe('nudges', () => {
  it("wake only the user's own readers, until they unsubscribe", () => {
    const feed = new UserEvents({ store: new MemoryPaperStore() });
    const woke: string[] = [];
    const stop = feed.onNudge(U, () => woke.push('u'));
    feed.onNudge(V, () => woke.push('v'));
    feed.nudge(U);
    stop();
    feed.nudge(U);
    feed.nudge(V);
    expect(woke).toEqual(['u', 'v']);
  });
});

describe('backtest progress (live only)', () => {
  it('tells each new progress once, and a run that left the list once as ended', () => {
    let jobs: BacktestJob[] = [];
    const backtests = { jobs: (user: string) => (user === U ? jobs : []) } as unknown as BacktestJobs;
    const feed = new UserEvents({ store: new MemoryPaperStore(), backtests });
    const seen = new Map<string, string>();
    const job = (done: number): BacktestJob => ({ run_id: 'r1', status: 'running', strategy: 'ema', symbols: ['ITC'], from: '2026-11-01', to: '2026-11-20', ran_at: 0, progress: { done, total: 10, at: 0 } });
    jobs = [job(1)];
    expect(feed.backtestProgress(U, seen, START).map((e) => e.data)).toEqual([{ run_id: 'r1', status: 'running', strategy: 'ema', progress: { done: 1, total: 10, at: 0 } }]);
    expect(feed.backtestProgress(U, seen, START)).toEqual([]);
    expect(feed.backtestProgress(V, new Map(), START)).toEqual([]);
    jobs = [job(5)];
    expect(feed.backtestProgress(U, seen, START).map((e) => (e.data as { progress: { done: number } }).progress.done)).toEqual([5]);
    jobs = [];
    expect(feed.backtestProgress(U, seen, START).map((e) => e.data)).toEqual([{ run_id: 'r1', status: 'ended' }]);
    expect(feed.backtestProgress(U, seen, START)).toEqual([]);
  });
});
