import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import { runBacktestStoreContract } from '../contract/backtest-store-contract.js';
import { tempSqliteStore } from '../helpers/store-tmp.js';

// The MongoDB store runs the same contract in tests/integration/store-mongo.test.ts's way only
// with a server (MONGODB_URI): see backtest-store-mongo below.
runBacktestStoreContract('memory', async () => {
  const store = new MemoryPaperStore();
  return { store, cleanup: () => store.close() };
});

runBacktestStoreContract('sqlite', tempSqliteStore);
