import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { PaperService } from '../../src/core/paper/service.js';
import { openSqliteStore, type SqlitePaperStore } from '../../src/core/store/sqlite/index.js';
import { buy, instrument, MemoryMarket, MON_10, NO_SLIPPAGE, quote, sell } from '../helpers/paper.js';
import { tempStoreDir } from '../helpers/store-tmp.js';

/** The engine on the real SQLite store (a temp file), across a restart of the process's service. */
describe('paper engine on the SQLite store', () => {
  const dirs: { remove(): void }[] = [];
  const stores: SqlitePaperStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) d.remove();
  });

  it('places, rests, fills on a tick, and a new service on the same file finds the resting trigger', async () => {
    const tmp = tempStoreDir('algo-paper-');
    dirs.push(tmp);
    const file = path.join(tmp.dir, 'algo.db');
    const infy = instrument('INFY');
    const market = new MemoryMarket([infy]);
    const clock = new ManualClock(MON_10);
    market.setQuote(quote(infy, 1500_00, clock.now()));
    const store = openSqliteStore(file);
    stores.push(store);
    const service = new PaperService({ store, market, clock, config: NO_SLIPPAGE });
    const U = 'AB1234';

    expect((await service.place(U, buy('INFY', 20))).status).toBe('COMPLETE');
    const lim = await service.place(U, sell('INFY', 10, { order_type: 'LIMIT', price: 1520_00 }));
    const stop = await service.place(U, sell('INFY', 10, { order_type: 'SL-M', trigger_price: 1480_00 }));
    expect([lim.status, stop.status]).toEqual(['OPEN', 'TRIGGER PENDING']);
    clock.advance(1000);
    // first tick seen: a gap, its best bid (50 at 1,521) through the 1,520 limit
    await service.onQuote(quote(infy, 1521_00, clock.now(), { bid: 1521_00, depth: { buy: [{ price: 1521_00, quantity: 50, orders: 3 }], sell: [] } }));
    expect(await service.order(U, lim.order_id)).toMatchObject({ status: 'COMPLETE', average_price: 1521_00 });

    // a restart: another store handle and service on the same file
    const store2 = openSqliteStore(file);
    stores.push(store2);
    const again = new PaperService({ store: store2, market, clock, config: NO_SLIPPAGE });
    await again.start();
    expect(again.book.has(stop.order_id)).toBe(true);
    expect(again.book.has(lim.order_id)).toBe(false);
    clock.advance(1000);
    market.push(quote(infy, 1478_00, clock.now()));
    await new Promise((resolve) => setImmediate(resolve));
    await again.stop();
    expect(await again.order(U, stop.order_id)).toMatchObject({ status: 'COMPLETE', average_price: 1478_00 });
    const meta = (await again.funds(U)).meta;
    const trades = await again.trades(U);
    expect(trades).toHaveLength(3);
    expect(meta.realised_pnl).toBe(10 * 21_00 - 10 * 22_00);
    expect(meta.available).toBe(meta.capital + meta.realised_pnl - meta.charges);
    expect(await again.positions(U)).toMatchObject([{ quantity: 0 }]);
  });
});
