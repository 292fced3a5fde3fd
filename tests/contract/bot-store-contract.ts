import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlgoError, LimitError, UsageError } from '../../src/core/errors.js';
import { ConflictError, StaleLeaseError } from '../../src/core/bot/store.js';
import type { BotConfig, NewBotOrder } from '../../src/core/bot/types.js';
import type { PaperStore } from '../../src/core/store/types.js';

/** A bot's config as `algo bot create` would store it (the store keeps it whole). */
export function botConfig(over: Partial<BotConfig> = {}): BotConfig {
  return {
    strategy: { kind: 'builtin', id: 'ema-cross' },
    params: { fast: 9, slow: 21 },
    symbols: ['NSE:INFY'],
    sizing: { quantity: 10 },
    product: 'MIS',
    exits: { stopLoss: { percent: 1 } },
    entryWindow: { from: '09:20', until: '15:00' },
    risk: { maxLossPerDay: 500_000 },
    ...over,
  };
}

const order = (key: string, minute: number): NewBotOrder => ({ key, minute, request: { side: 'BUY', quantity: 10, symbol: 'NSE:INFY' } });
const T0 = 1_795_000_000_000;
const TTL = 30_000;

/**
 * The contract every store's `bots` passes (src/core/bot/store.ts): per-user isolation on every
 * method, names unique whatever the case, compare-and-set by rev, the lease and its fencing
 * token, the outbox (all or nothing), and event seqs that never repeat.
 */
export function runBotStoreContract(name: string, makeStore: () => Promise<{ store: PaperStore; cleanup(): Promise<void> }>): void {
  describe(`BotStore contract: ${name}`, () => {
    let store: PaperStore;
    let cleanup: () => Promise<void>;
    const A = 'AB1234';
    const B = 'ZZ9999';

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    const make = (user: string, botName: string, now = T0) => store.bots.create(user, { name: botName, config: botConfig(), now });

    it('creates a bot with a fresh id, version 1, rev 1, stopped', async () => {
      const bot = await make(A, 'Trend-1');
      expect(bot.id).toMatch(/^b[0-9a-f]{7}$/);
      expect(bot).toEqual({
        id: bot.id, user_id: A, name: 'Trend-1', config: botConfig(), version: 1, rev: 1, desired: 'stopped', status: 'stopped',
        status_reason: null, entries_blocked: false, epoch: T0, created_at: T0, updated_at: T0,
      });
      const other = await make(A, 'Trend-2');
      expect(other.id).not.toBe(bot.id);
      expect(await store.bots.get(A, bot.id)).toEqual(bot);
    });

    it('keeps names unique per user whatever the case, and says which name is taken', async () => {
      await make(A, 'Trend');
      const err = await make(A, 'TREND').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toBe('a bot named "Trend" already exists, so "TREND" is taken');
      await expect(make(B, 'trend')).resolves.toMatchObject({ user_id: B, name: 'trend' });
      const second = await make(A, 'Other');
      await expect(store.bots.update(A, second.id, 1, { name: 'tReNd' }, T0 + 1)).rejects.toThrow(/"Trend" already exists/);
      // A bot may change the case of its own name.
      await expect(store.bots.update(A, second.id, 1, { name: 'OTHER' }, T0 + 1)).resolves.toMatchObject({ name: 'OTHER', rev: 2 });
      expect((await store.bots.list(A)).map((b) => b.name)).toEqual(['OTHER', 'Trend']);
    });

    it('counts the user\'s bots inside the create: racing creates never leave more than max', async () => {
      await make(B, 'Theirs');
      const tries = Array.from({ length: 8 }, (_, i) => store.bots.create(A, { name: `Race-${i}`, config: botConfig(), now: T0, max: 3 }));
      const results = await Promise.allSettled(tries);
      const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as Error);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      expect(refused).toHaveLength(5);
      for (const e of refused) {
        expect(e).toBeInstanceOf(LimitError);
        expect(e.message).toBe(`${A} has 3 bots, the most a user may have (3)`);
      }
      expect(await store.bots.list(A)).toHaveLength(3);
      // another user's bots do not count, and a removal makes room again
      await expect(store.bots.create(B, { name: 'Second', config: botConfig(), now: T0, max: 2 })).resolves.toMatchObject({ user_id: B });
      await store.bots.remove(A, (await store.bots.list(A))[0]!.id);
      await expect(store.bots.create(A, { name: 'Again', config: botConfig(), now: T0, max: 3 })).resolves.toMatchObject({ name: 'Again' });
      await expect(store.bots.create(A, { name: 'Zero', config: botConfig(), now: T0, max: 0 })).rejects.toThrow(UsageError);
    });

    it('refuses bad names and ids with a UsageError', async () => {
      await expect(make(A, 'has space')).rejects.toThrow(UsageError);
      await expect(make(A, 'b1234abc')).rejects.toThrow(/looks like a bot id/);
      await expect(store.bots.get('nope', 'x')).rejects.toThrow(UsageError);
      await expect(store.bots.update(A, 'trend', 1, {}, T0)).rejects.toThrow(UsageError);
    });

    it('gets by id or by name whatever the case; another user gets null', async () => {
      const bot = await make(A, 'Scalper');
      expect((await store.bots.get(A, 'scalper'))?.id).toBe(bot.id);
      expect((await store.bots.get(A, 'SCALPER'))?.id).toBe(bot.id);
      expect((await store.bots.get(A, bot.id))?.name).toBe('Scalper');
      expect(await store.bots.get(A, 'missing')).toBeNull();
      expect(await store.bots.get(B, bot.id)).toBeNull();
      expect(await store.bots.get(B, 'Scalper')).toBeNull();
      expect(await store.bots.list(B)).toEqual([]);
    });

    it('updates by rev: a stale rev is a ConflictError; an unknown or other user\'s bot a UsageError', async () => {
      const bot = await make(A, 'Cas');
      const next = await store.bots.update(A, bot.id, 1, { desired: 'running', status: 'running' }, T0 + 5);
      expect(next).toMatchObject({ rev: 2, version: 1, epoch: T0, desired: 'running', status: 'running', updated_at: T0 + 5 });
      await expect(store.bots.update(A, bot.id, 1, { status: 'halted' }, T0 + 6)).rejects.toThrow(ConflictError);
      expect((await store.bots.get(A, bot.id))?.status).toBe('running');
      await expect(store.bots.update(B, bot.id, 2, { status: 'halted' }, T0 + 6)).rejects.toThrow(UsageError);
      const later = await store.bots.update(A, bot.id, 2, { status: 'needs_review', status_reason: 'keys differ', entries_blocked: true }, T0 + 7);
      expect(later).toMatchObject({ rev: 3, status: 'needs_review', status_reason: 'keys differ', entries_blocked: true });
      expect(await store.bots.get(A, bot.id)).toEqual(later);
    });

    it('a config edit raises the version and starts a new epoch', async () => {
      const bot = await make(A, 'Edit');
      const config = botConfig({ symbols: ['NSE:TCS'], params: { fast: 5 } });
      const next = await store.bots.update(A, bot.id, 1, { config }, T0 + 60_000);
      expect(next).toMatchObject({ version: 2, rev: 2, epoch: T0 + 60_000, config });
      const again = await store.bots.update(A, bot.id, 2, { status: 'paused' }, T0 + 120_000);
      expect(again).toMatchObject({ version: 2, rev: 3, epoch: T0 + 60_000 });
      expect((await store.bots.get(A, 'edit'))?.config).toEqual(config);
    });

    it('a free lease is taken with token 1; the holder renews with the same token; others are refused while it is live', async () => {
      const bot = await make(A, 'Lease');
      const first = await store.bots.acquireLease(A, bot.id, 'h1', T0, TTL);
      expect(first).toEqual({ bot_id: bot.id, holder: 'h1', token: 1, expires_at: T0 + TTL });
      expect(await store.bots.acquireLease(A, bot.id, 'h1', T0 + 1000, TTL)).toEqual({ bot_id: bot.id, holder: 'h1', token: 1, expires_at: T0 + 1000 + TTL });
      expect(await store.bots.acquireLease(A, bot.id, 'h2', T0 + 2000, TTL)).toBeNull();
      expect(await store.bots.renewLease(A, bot.id, 'h1', 1, T0 + 3000, TTL)).toBe(true);
      expect(await store.bots.lease(A, bot.id)).toEqual({ bot_id: bot.id, holder: 'h1', token: 1, expires_at: T0 + 3000 + TTL });
      // Still live one millisecond before it expires.
      expect(await store.bots.acquireLease(A, bot.id, 'h2', T0 + 3000 + TTL - 1, TTL)).toBeNull();
      expect(await store.bots.renewLease(A, bot.id, 'h2', 1, T0 + 3500, TTL)).toBe(false);
      // Another user sees no lease, and cannot take it.
      expect(await store.bots.lease(B, bot.id)).toBeNull();
      expect(await store.bots.acquireLease(B, bot.id, 'h2', T0 + 3500, TTL)).toBeNull();
      expect(await store.bots.renewLease(B, bot.id, 'h1', 1, T0 + 3500, TTL)).toBe(false);
      await store.bots.releaseLease(B, bot.id, 'h1', 1);
      expect((await store.bots.lease(A, bot.id))?.holder).toBe('h1');
    });

    it('an expired lease goes to the next holder with token 2; the old token is refused by renew and by putOrders', async () => {
      const bot = await make(A, 'Takeover');
      await store.bots.acquireLease(A, bot.id, 'h1', T0, TTL);
      const taken = await store.bots.acquireLease(A, bot.id, 'h2', T0 + TTL, TTL);
      expect(taken).toEqual({ bot_id: bot.id, holder: 'h2', token: 2, expires_at: T0 + 2 * TTL });
      expect(await store.bots.renewLease(A, bot.id, 'h1', 1, T0 + TTL + 1, TTL)).toBe(false);
      const err = await store.bots.putOrders(A, bot.id, 1, T0 + TTL + 1, [order('K1', T0)]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StaleLeaseError);
      expect((err as Error).message).toBe(`bot ${bot.id}: lease token 1 is no longer current; another runner has the bot`);
      expect(await store.bots.orders(A, bot.id)).toEqual([]);
      // The holder's own expired lease is not renewed either, and putOrders refuses it.
      expect(await store.bots.renewLease(A, bot.id, 'h2', 2, T0 + 2 * TTL, TTL)).toBe(false);
      await expect(store.bots.putOrders(A, bot.id, 2, T0 + 2 * TTL, [order('K1', T0)])).rejects.toThrow(StaleLeaseError);
      // Taken again after expiry, even by the same holder: the next token.
      expect((await store.bots.acquireLease(A, bot.id, 'h2', T0 + 2 * TTL, TTL))?.token).toBe(3);
    });

    it('a release frees the lease; taking it again gives a higher token; a stale release does nothing', async () => {
      const bot = await make(A, 'Release');
      await store.bots.acquireLease(A, bot.id, 'h1', T0, TTL);
      await store.bots.releaseLease(A, bot.id, 'h1', 7);
      await store.bots.releaseLease(A, bot.id, 'h2', 1);
      expect((await store.bots.lease(A, bot.id))?.holder).toBe('h1');
      await store.bots.releaseLease(A, bot.id, 'h1', 1);
      expect(await store.bots.lease(A, bot.id)).toBeNull();
      expect(await store.bots.renewLease(A, bot.id, 'h1', 1, T0 + 1, TTL)).toBe(false);
      await expect(store.bots.putOrders(A, bot.id, 1, T0 + 1, [order('K1', T0)])).rejects.toThrow(StaleLeaseError);
      const again = await store.bots.acquireLease(A, bot.id, 'h1', T0 + 2, TTL);
      expect(again?.token).toBe(2);
      expect(await store.bots.acquireLease(A, bot.id, 'h2', T0 + 3, TTL)).toBeNull();
    });

    it('putOrders writes pending rows while the token is current, all or none', async () => {
      const bot = await make(A, 'Outbox');
      await expect(store.bots.putOrders(A, bot.id, 1, T0, [order('K1', T0)])).rejects.toThrow(StaleLeaseError);
      const lease = (await store.bots.acquireLease(A, bot.id, 'h1', T0, TTL))!;
      const rows = await store.bots.putOrders(A, bot.id, lease.token, T0 + 1, [order('K2', T0 + 60_000), order('K1', T0 + 60_000), order('K0', T0 + 120_000)]);
      expect(rows[0]).toEqual({ bot_id: bot.id, key: 'K2', minute: T0 + 60_000, status: 'pending', request: order('K2', 0).request, order_id: null, error: null, created_at: T0 + 1, updated_at: T0 + 1 });
      // A key already in the outbox: nothing of the batch is written.
      const dup = await store.bots.putOrders(A, bot.id, lease.token, T0 + 2, [order('K9', T0), order('K1', T0)]).catch((e: unknown) => e);
      expect(dup).toBeInstanceOf(AlgoError);
      expect((dup as Error).message).toMatch(/order key K1 is already in the outbox/);
      // A key twice in one batch: the same.
      await expect(store.bots.putOrders(A, bot.id, lease.token, T0 + 2, [order('K8', T0), order('K8', T0)])).rejects.toThrow(/K8 is already/);
      expect(await store.bots.orderByKey(A, bot.id, 'K9')).toBeNull();
      expect(await store.bots.orderByKey(A, bot.id, 'K8')).toBeNull();
      expect((await store.bots.orders(A, bot.id)).map((r) => r.key)).toEqual(['K1', 'K2', 'K0']);
      await expect(store.bots.putOrders(A, bot.id, lease.token, T0 + 2, [order('bad-key', T0)])).rejects.toThrow(UsageError);
      // Another user holds no lease on it, whatever token it gives.
      await expect(store.bots.putOrders(B, bot.id, lease.token, T0 + 2, [order('K7', T0)])).rejects.toThrow(StaleLeaseError);
      expect(await store.bots.orderByKey(A, bot.id, 'K7')).toBeNull();
    });

    it('orders sort by minute then key; markOrder changes the status and keeps what it leaves out', async () => {
      const bot = await make(A, 'Marks');
      const { token } = (await store.bots.acquireLease(A, bot.id, 'h1', T0, TTL))!;
      await store.bots.putOrders(A, bot.id, token, T0, [order('b2', 300), order('a9', 300), order('Z1', 300), order('c1', 100)]);
      expect((await store.bots.orders(A, bot.id)).map((r) => r.key)).toEqual(['c1', 'Z1', 'a9', 'b2']);
      const placed = await store.bots.markOrder(A, bot.id, 'a9', { status: 'placed', order_id: 'PAPER-1' }, T0 + 10);
      expect(placed).toMatchObject({ key: 'a9', status: 'placed', order_id: 'PAPER-1', error: null, created_at: T0, updated_at: T0 + 10 });
      const failed = await store.bots.markOrder(A, bot.id, 'a9', { status: 'failed', error: 'margin' }, T0 + 20);
      expect(failed).toMatchObject({ status: 'failed', order_id: 'PAPER-1', error: 'margin', updated_at: T0 + 20 });
      expect(await store.bots.orderByKey(A, bot.id, 'a9')).toEqual(failed);
      const cleared = await store.bots.markOrder(A, bot.id, 'Z1', { status: 'failed', error: 'x' }, T0 + 30);
      expect(await store.bots.markOrder(A, bot.id, 'Z1', { status: 'pending' }, T0 + 40)).toEqual({ ...cleared, status: 'pending', updated_at: T0 + 40 });
      expect(await store.bots.markOrder(A, bot.id, 'Z1', { status: 'pending', error: null }, T0 + 50)).toMatchObject({ error: null });
      expect((await store.bots.orders(A, bot.id, { status: 'pending' })).map((r) => r.key)).toEqual(['c1', 'Z1', 'b2']);
      expect((await store.bots.orders(A, bot.id, { status: 'failed' })).map((r) => r.key)).toEqual(['a9']);
      await expect(store.bots.markOrder(A, bot.id, 'nokey', { status: 'placed' }, T0)).rejects.toThrow(UsageError);
      // Another user sees none of it, and cannot mark it.
      expect(await store.bots.orders(B, bot.id)).toEqual([]);
      expect(await store.bots.orderByKey(B, bot.id, 'a9')).toBeNull();
      await expect(store.bots.markOrder(B, bot.id, 'a9', { status: 'placed' }, T0)).rejects.toThrow(UsageError);
    });

    it('event seqs go up per user across bots and never repeat, even after a bot is removed', async () => {
      const one = await make(A, 'One');
      const two = await make(A, 'Two');
      const ev = (botId: string, i: number) => ({ bot_id: botId, at: T0 + i, kind: 'started', message: `m${i}`, data: { i } });
      const first = await store.bots.appendEvents(A, [ev(one.id, 1), ev(two.id, 2)]);
      expect(first.map((e) => e.seq)).toEqual([1, 2]);
      expect(first[0]).toEqual({ seq: 1, bot_id: one.id, at: T0 + 1, kind: 'started', message: 'm1', data: { i: 1 } });
      const other = await store.bots.appendEvents(B, [{ bot_id: one.id, at: T0, kind: 'blocked', message: 'b' }]);
      expect(other[0]?.seq).toBe(1);
      expect(await store.bots.remove(A, two.id)).toBe(true);
      const later = await store.bots.appendEvents(A, [ev(one.id, 3), ev(one.id, 4)]);
      expect(later.map((e) => e.seq)).toEqual([3, 4]);
      expect((await store.bots.events(A)).map((e) => [e.seq, e.message])).toEqual([[1, 'm1'], [2, 'm2'], [3, 'm3'], [4, 'm4']]);
      expect((await store.bots.events(B)).map((e) => e.message)).toEqual(['b']);
      expect(await store.bots.appendEvents(A, [])).toEqual([]);
      expect((await store.bots.appendEvents(A, [ev(one.id, 5)]))[0]?.seq).toBe(5);
    });

    it('events: after (exclusive), by bot, at most limit', async () => {
      const one = await make(A, 'One');
      const two = await make(A, 'Two');
      const evs = Array.from({ length: 6 }, (_, i) => ({ bot_id: i % 2 === 0 ? one.id : two.id, at: T0 + i, kind: 'order', message: `e${i + 1}` }));
      await store.bots.appendEvents(A, evs);
      expect((await store.bots.events(A, { after: 2 })).map((e) => e.seq)).toEqual([3, 4, 5, 6]);
      expect((await store.bots.events(A, { botId: one.id })).map((e) => e.seq)).toEqual([1, 3, 5]);
      expect((await store.bots.events(A, { botId: two.id, after: 2, limit: 1 })).map((e) => e.seq)).toEqual([4]);
      expect((await store.bots.events(A, { limit: 2 })).map((e) => e.seq)).toEqual([1, 2]);
      expect(await store.bots.events(A, { limit: 0 })).toEqual([]);
      expect((await store.bots.events(A, { after: 6 }))).toEqual([]);
      expect(await store.bots.events(B, { botId: one.id })).toEqual([]);
      await expect(store.bots.events(A, { limit: -1 })).rejects.toThrow(UsageError);
      await expect(store.bots.appendEvents(A, [{ bot_id: one.id, at: Number.NaN, kind: 'order', message: 'x' }])).rejects.toThrow(UsageError);
    });

    it('remove drops the bot, its outbox and its lease, keeps its events; false when there was none', async () => {
      const bot = await make(A, 'Gone');
      const keep = await make(A, 'Kept');
      const { token } = (await store.bots.acquireLease(A, bot.id, 'h1', T0, TTL))!;
      await store.bots.putOrders(A, bot.id, token, T0, [order('K1', T0)]);
      await store.bots.appendEvents(A, [{ bot_id: bot.id, at: T0, kind: 'started', message: 'go' }]);
      expect(await store.bots.remove(B, bot.id)).toBe(false);
      expect(await store.bots.get(A, bot.id)).not.toBeNull();
      expect(await store.bots.remove(A, bot.id)).toBe(true);
      expect(await store.bots.remove(A, bot.id)).toBe(false);
      expect(await store.bots.get(A, bot.id)).toBeNull();
      expect(await store.bots.get(A, 'gone')).toBeNull();
      expect(await store.bots.orders(A, bot.id)).toEqual([]);
      expect(await store.bots.lease(A, bot.id)).toBeNull();
      expect((await store.bots.events(A, { botId: bot.id })).map((e) => e.message)).toEqual(['go']);
      expect((await store.bots.list(A)).map((b) => b.id)).toEqual([keep.id]);
      // The name is free again.
      await expect(make(A, 'GONE')).resolves.toMatchObject({ name: 'GONE' });
    });

    it('users() lists the users with at least one bot, sorted', async () => {
      expect(await store.bots.users()).toEqual([]);
      const z = await make(B, 'Zed');
      await make(A, 'Ay');
      await store.bots.appendEvents('CC1111', [{ bot_id: z.id, at: T0, kind: 'started', message: 'no bot here' }]);
      expect(await store.bots.users()).toEqual([A, B]);
      await store.bots.remove(B, z.id);
      expect(await store.bots.users()).toEqual([A]);
    });

    it('importBots writes the records, events and outbox as given, with no lease; seqs go on after the highest', async () => {
      const src = await make(A, 'Src');
      const rec = { ...src, id: 'b0000001', name: 'Runner', rev: 7, version: 3, desired: 'running' as const, status: 'running' as const, status_reason: 'was running', epoch: T0 + 5 };
      const gone = 'b00000ff';
      const events = [
        { seq: 2, bot_id: gone, at: T0, kind: 'started', message: 'of a removed bot' },
        { seq: 5, bot_id: rec.id, at: T0 + 1, kind: 'order', message: 'buy', data: { qty: 10 } },
      ];
      const row = { bot_id: rec.id, key: 'K1', minute: T0, status: 'placed' as const, request: order('K1', T0).request, order_id: 'PAPER-9', error: null, created_at: T0, updated_at: T0 + 2 };
      await store.bots.importBots(B, { bots: [{ ...rec, user_id: B }], events, orders: [row] });
      expect(await store.bots.get(B, rec.id)).toEqual({ ...rec, user_id: B });
      expect(await store.bots.get(B, 'runner')).toEqual({ ...rec, user_id: B });
      expect(await store.bots.events(B)).toEqual(events);
      expect(await store.bots.orders(B, rec.id)).toEqual([row]);
      expect(await store.bots.lease(B, rec.id)).toBeNull();
      expect((await store.bots.appendEvents(B, [{ bot_id: rec.id, at: T0, kind: 'started', message: 'next' }]))[0]?.seq).toBe(6);
      expect((await store.bots.acquireLease(B, rec.id, 'h1', T0, TTL))?.token).toBe(1);
      expect(await store.bots.users()).toEqual([A, B]);
      // the source user is untouched
      expect((await store.bots.list(A)).map((b) => b.id)).toEqual([src.id]);
    });

    it('importBots refuses a user who has bots or events, and bad data, writing nothing', async () => {
      const mine = await make(A, 'Mine');
      const rec = { ...mine, id: 'b0000002', name: 'Other' };
      const notEmpty = await store.bots.importBots(A, { bots: [rec], events: [], orders: [] }).catch((e: unknown) => e);
      expect(notEmpty).toBeInstanceOf(AlgoError);
      expect((notEmpty as Error).message).toBe(`the destination already has bots, bot events or bot orders for ${A}; nothing was written`);
      expect(await store.bots.get(A, rec.id)).toBeNull();
      await store.bots.appendEvents(B, [{ bot_id: rec.id, at: T0, kind: 'started', message: 'only an event' }]);
      await expect(store.bots.importBots(B, { bots: [{ ...rec, user_id: B }], events: [], orders: [] })).rejects.toThrow(/already has bots/);
      expect(await store.bots.list(B)).toEqual([]);
      const C = 'CC1111';
      await expect(store.bots.importBots(C, { bots: [rec], events: [], orders: [] })).rejects.toThrow(/belongs to "AB1234", not CC1111/);
      const c = { ...rec, user_id: C };
      await expect(store.bots.importBots(C, { bots: [c, { ...c, id: 'b0000003', name: 'OTHER' }], events: [], orders: [] })).rejects.toThrow(UsageError);
      const ev = { seq: 3, bot_id: c.id, at: T0, kind: 'started', message: 'x' };
      await expect(store.bots.importBots(C, { bots: [c], events: [ev, { ...ev, seq: 3 }], orders: [] })).rejects.toThrow(/seq/);
      const row = { bot_id: 'b0000009', key: 'K1', minute: T0, status: 'pending' as const, request: {}, order_id: null, error: null, created_at: T0, updated_at: T0 };
      await expect(store.bots.importBots(C, { bots: [c], events: [], orders: [row] })).rejects.toThrow(/not imported/);
      expect(await store.bots.users()).toEqual([A]);
      expect(await store.bots.events(C)).toEqual([]);
    });

    it('copies in and copies out', async () => {
      const config = botConfig();
      const bot = await store.bots.create(A, { name: 'Copy', config, now: T0 });
      config.symbols.push('NSE:TCS');
      bot.config.symbols.push('NSE:SBIN');
      expect((await store.bots.get(A, bot.id))?.config.symbols).toEqual(['NSE:INFY']);
    });
  });
}
