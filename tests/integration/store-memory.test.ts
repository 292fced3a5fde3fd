import { describe, expect, it } from 'vitest';
import { AlgoError, UsageError } from '../../src/core/errors.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import { openStore } from '../../src/core/store/open.js';
import { runStoreContract } from '../contract/store-contract.js';
import { commit, metaDoc, orderDoc, tradeDoc } from '../helpers/store-docs.js';

runStoreContract('memory', async () => {
  const store = new MemoryPaperStore();
  return { store, cleanup: () => store.close() };
});

describe('memory store specifics', () => {
  it('openStore("memory:") opens a fresh, empty store each time', async () => {
    const first = await openStore('memory:');
    expect(first.kind).toBe('memory');
    await commit(first, 'AB1234', {});
    const second = await openStore('memory:');
    expect(await second.users()).toEqual([]);
    expect(await first.users()).toEqual(['AB1234']);
    await expect(openStore('memory:x')).rejects.toBeInstanceOf(UsageError);
    await Promise.all([first.close(), second.close()]);
  });

  it('replays: fn runs that many extra times on fresh read-only states, and only the last run counts', async () => {
    const store = new MemoryPaperStore({ replays: 2 });
    await commit(store, 'AB1234', {});
    const seen: number[] = [];
    const states = new Set<unknown>();
    const result = await store.update('AB1234', (state) => {
      seen.push(state.meta!.seq);
      states.add(state.meta);
      expect(Object.isFrozen(state.meta)).toBe(true);
      return { change: { meta: { ...state.meta!, seq: state.meta!.seq + 100 * seen.length } }, result: seen.length };
    });
    expect(seen).toEqual([0, 0, 0]);
    expect(states.size).toBe(3); // each run its own copy
    expect(result).toBe(3);
    expect(await store.meta('AB1234')).toMatchObject({ seq: 300, version: 2 });
    expect(() => new MemoryPaperStore({ replays: -1 })).toThrow(UsageError);
    await store.close();
  });

  it('refuses a trade whose order is in neither the store nor the change', async () => {
    const store = new MemoryPaperStore();
    await commit(store, 'AB1234', {});
    await expect(commit(store, 'AB1234', { trades: [tradeDoc('AB1234', 'T1', 'O404')] })).rejects.toThrow(/order O404/);
    await commit(store, 'AB1234', { orders: [orderDoc('AB1234', 'O1')], trades: [tradeDoc('AB1234', 'T1', 'O1')] });
    expect((await store.trades('AB1234')).map((t) => t.trade_id)).toEqual(['T1']);
    expect((await store.meta('AB1234'))?.version).toBe(2);
    await store.close();
  });

  it('refuses an update function that returns no change field, or that changes the store itself', async () => {
    const store = new MemoryPaperStore();
    await expect(store.update('AB1234', () => ({ result: 1 }) as never)).rejects.toThrow(/return \{ change, result \}/);
    await expect(store.update('AB1234', (async () => ({ change: null, result: 1 })) as never)).rejects.toThrow(/synchronously/);
    let inner: Promise<void> | undefined;
    await store.update('AB1234', () => {
      inner = store.reset('AB1234', metaDoc('AB1234'));
      return { change: null, result: null };
    });
    await expect(inner).rejects.toThrow(/may not change the store/);
    expect(await store.users()).toEqual([]);
    await store.close();
  });

  it('refuses a change holding something that cannot be copied, writing nothing', async () => {
    const store = new MemoryPaperStore();
    const meta = { ...metaDoc('AB1234'), extra: () => 1 } as never;
    await expect(store.update('AB1234', () => ({ change: { meta }, result: null }))).rejects.toBeInstanceOf(AlgoError);
    expect(await store.users()).toEqual([]);
    await store.close();
  });
});
