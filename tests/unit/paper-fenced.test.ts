import { afterEach, describe, expect, it } from 'vitest';
import { StaleLeaseError } from '../../src/core/bot/store.js';
import { orderKey } from '../../src/core/bot/keys.js';
import { PaperService } from '../../src/core/paper/service.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { buy, MON_10, MemoryMarket, NO_SLIPPAGE, rig, sell } from '../helpers/paper.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

const U = 'AB1234';
const BOT = 'b0000001';
const key = (minute: number, seq = 0) => orderKey(BOT, MON_10 + minute * 60_000, seq);
const limit = (price: number) => ({ order_type: 'LIMIT' as const, price, product: 'MIS' as const });

const sqlite = sqliteFixture(afterEach);

describe.each(['memory', 'sqlite'])('placeFenced on the %s store', (kind) => {
  function setup() {
    const r = rig();
    if (kind === 'memory') return { ...r, store: r.store as PaperStore };
    const store = sqlite.open(sqlite.file());
    const service = new PaperService({ store, market: r.market as MemoryMarket, clock: r.clock, config: NO_SLIPPAGE, onError: (e) => { throw e; } });
    return { ...r, store: store as PaperStore, service };
  }

  it('fills a LIMIT at the given price, tagged with the bot and keyed, and remembers the token and key', async () => {
    const { service, store } = setup();
    // the market is at ₹1,500 but the bot's fill was at ₹1,498.50: the mirror fills there, not at the quote
    const r = await service.placeFenced(U, buy('INFY', 10, limit(1498_50)), 1498_50, { botId: BOT, token: 1, key: key(0) });
    expect(r.duplicate).toBe(false);
    const o = r.duplicate ? null : r.order;
    expect(o).toMatchObject({ status: 'COMPLETE', filled_quantity: 10, average_price: 1498_50, tag: BOT, bot_key: key(0) });
    expect(await store.order(U, o!.order_id)).toMatchObject({ tag: BOT, bot_key: key(0) });
    expect((await store.meta(U))?.bots).toEqual({ [BOT]: { token: 1, key: key(0) } });
    expect((await store.trades(U)).map((t) => t.price)).toEqual([1498_50]);
  });

  it('a key at or below the last placed one is a duplicate: nothing placed twice, nothing written', async () => {
    const { service, store } = setup();
    await service.placeFenced(U, buy('INFY', 10, limit(1500_00)), 1500_00, { botId: BOT, token: 1, key: key(1) });
    const version = (await store.meta(U))!.version;
    expect(await service.placeFenced(U, buy('INFY', 10, limit(1500_00)), 1500_00, { botId: BOT, token: 1, key: key(1) })).toEqual({ duplicate: true });
    expect(await service.placeFenced(U, buy('INFY', 10, limit(1500_00)), 1500_00, { botId: BOT, token: 1, key: key(0, 5) })).toEqual({ duplicate: true });
    expect((await store.meta(U))!.version).toBe(version);
    expect(await store.orders(U)).toHaveLength(1);
    // the next key goes through
    const next = await service.placeFenced(U, sell('INFY', 10, limit(1500_00)), 1500_00, { botId: BOT, token: 1, key: key(1, 1) });
    expect(next.duplicate).toBe(false);
    expect((await store.positions(U)).find((p) => p.tradingsymbol === 'INFY')?.quantity ?? 0).toBe(0);
  });

  it('a higher token takes over; the old token is then refused (StaleLeaseError) and nothing is written', async () => {
    const { service, store } = setup();
    await service.placeFenced(U, buy('INFY', 10, limit(1500_00)), 1500_00, { botId: BOT, token: 1, key: key(0) });
    const taken = await service.placeFenced(U, buy('INFY', 5, limit(1500_00)), 1500_00, { botId: BOT, token: 2, key: key(2) });
    expect(taken.duplicate).toBe(false);
    expect((await store.meta(U))?.bots?.[BOT]).toEqual({ token: 2, key: key(2) });
    const version = (await store.meta(U))!.version;
    const err = await service.placeFenced(U, buy('INFY', 10, limit(1500_00)), 1500_00, { botId: BOT, token: 1, key: key(3) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaleLeaseError);
    expect((await store.meta(U))!.version).toBe(version);
    expect(await store.orders(U)).toHaveLength(2);
  });

  it('fences each bot on its own, and a person\'s orders are untouched', async () => {
    const { service, store } = setup();
    const other = 'b0000002';
    await service.placeFenced(U, buy('INFY', 10, limit(1500_00)), 1500_00, { botId: BOT, token: 7, key: key(5) });
    // another bot with a lower token and an earlier key is its own story
    const r = await service.placeFenced(U, buy('INFY', 3, limit(1500_00)), 1500_00, { botId: other, token: 1, key: orderKey(other, MON_10, 0) });
    expect(r.duplicate).toBe(false);
    const manual = await service.place(U, buy('INFY', 1));
    expect(manual.bot_key).toBeUndefined();
    expect(manual.tag).toBeNull();
    expect((await store.meta(U))?.bots).toEqual({ [BOT]: { token: 7, key: key(5) }, [other]: { token: 1, key: orderKey(other, MON_10, 0) } });
  });
});
