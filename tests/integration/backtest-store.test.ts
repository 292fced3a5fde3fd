import path from 'node:path';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { runBacktestStoreContract } from '../contract/backtest-store-contract.js';
import { tempStoreDir } from '../helpers/store-tmp.js';

// The MongoDB store runs the same contract in tests/integration/store-mongo.test.ts's way only
// with a server (MONGODB_URI): see backtest-store-mongo below.
runBacktestStoreContract('memory', async () => {
  const store = new MemoryPaperStore();
  return { store, cleanup: () => store.close() };
});

runBacktestStoreContract('sqlite', async () => {
  const tmp = tempStoreDir();
  const store = openSqliteStore(path.join(tmp.dir, 'algo.db'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      tmp.remove();
    },
  };
});
