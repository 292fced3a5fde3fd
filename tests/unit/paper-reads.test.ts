import { describe, expect, it, vi } from 'vitest';
import { at, buy, commits, rig } from '../helpers/paper.js';

/**
 * The views (funds, portfolio, orders...) run the clock's housekeeping on a plain read and commit
 * only when it changes something: an idle account is read without a write, while a new account,
 * an expiry or a day roll is committed by the read that first sees it, once.
 */
const U = 'AB1234';

async function readEverything(r: ReturnType<typeof rig>): Promise<void> {
  await r.service.funds(U);
  await r.service.portfolio(U);
  await r.service.positions(U);
  await r.service.holdings(U);
  await r.service.orders(U);
  await r.service.stats(U);
}

describe('paper reads', () => {
  it('read an account that housekeeping leaves alone without writing to the store', async () => {
    const r = rig();
    await r.service.place(U, buy('INFY', 2));
    await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1400_00 }));
    const before = { commits: await commits(r.store), meta: await r.store.meta(U) };
    const update = vi.spyOn(r.store, 'update');
    await readEverything(r);
    expect(update).not.toHaveBeenCalled();
    expect(await commits(r.store)).toBe(before.commits);
    expect(await r.store.meta(U)).toEqual(before.meta);
    expect((await r.service.funds(U)).meta).toEqual(before.meta);
  });

  it('a first read creates the account, once', async () => {
    const r = rig({ capital: 7_00_000_00 });
    const f = await r.service.funds(U);
    expect(f.meta).toMatchObject({ capital: 7_00_000_00, available: 7_00_000_00, version: 1 });
    expect(await commits(r.store)).toBe(1);
    await readEverything(r);
    expect(await commits(r.store)).toBe(1);
  });

  it('a read after the close commits the expiry of a DAY order, and the next read writes nothing', async () => {
    const r = rig();
    const o = await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1400_00 }));
    expect((await r.service.funds(U)).meta.blocked).toBe(o.blocked_margin);
    const before = await commits(r.store);
    r.clock.set(at('2026-11-23T15:31:00'));
    const f = await r.service.funds(U);
    expect(f.meta.blocked).toBe(0);
    expect(await commits(r.store)).toBe(before + 1);
    expect(await r.store.order(U, o.order_id)).toMatchObject({ status: 'CANCELLED', status_message: 'DAY order expired unfilled at the 15:30 IST close' });
    expect((await r.store.meta(U))?.blocked).toBe(0);
    await readEverything(r);
    expect(await commits(r.store)).toBe(before + 1);
  });

  it('a read on the next trading day commits the CNC position turned holding', async () => {
    const r = rig();
    await r.service.place(U, buy('INFY', 3));
    expect((await r.store.positions(U)).map((p) => p.kind)).toEqual(['position']);
    const before = await commits(r.store);
    r.clock.set(at('2026-11-25T10:00:00')); // Wednesday: Tuesday 24 Nov is a holiday
    r.price(1500_00);
    expect((await r.service.holdings(U)).map((h) => h.quantity)).toEqual([3]);
    expect(await commits(r.store)).toBe(before + 1);
    expect((await r.store.positions(U)).map((p) => p.kind)).toEqual(['holding']);
    await readEverything(r);
    expect(await commits(r.store)).toBe(before + 1);
  });
});
