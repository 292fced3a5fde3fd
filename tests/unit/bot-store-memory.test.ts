import { describe, expect, it } from 'vitest';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import { botConfig, runBotStoreContract } from '../contract/bot-store-contract.js';

runBotStoreContract('memory', async () => {
  const store = new MemoryPaperStore();
  return { store, cleanup: () => store.close() };
});

describe('memory bots: close', () => {
  it('forgets the bots, and every later call rejects', async () => {
    const store = new MemoryPaperStore();
    await store.bots.create('AB1234', { name: 'One', config: botConfig(), now: 1 });
    await store.close();
    await expect(store.bots.list('AB1234')).rejects.toThrow('the in-memory paper store is closed');
    await expect(store.bots.users()).rejects.toThrow('closed');
  });
});
