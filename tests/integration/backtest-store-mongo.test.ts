import { randomBytes } from 'node:crypto';
import type { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { openMongoStore } from '../../src/core/store/mongo/index.js';
import { runBacktestStoreContract } from '../contract/backtest-store-contract.js';

/** Only with a server: MONGODB_URI=mongodb://127.0.0.1:27017 npx vitest run tests/integration/backtest-store-mongo.test.ts */
const MONGODB_URI = process.env.MONGODB_URI;

describe.skipIf(!MONGODB_URI)('backtests in MongoDB (skipped without MONGODB_URI)', () => {
  let admin: MongoClient;
  beforeAll(async () => {
    const { MongoClient } = await import('mongodb');
    admin = new MongoClient(MONGODB_URI!, { serverSelectionTimeoutMS: 5000 });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.close();
  });
  runBacktestStoreContract('MongoDB', async () => {
    const name = `algo_test_${randomBytes(6).toString('hex')}`;
    const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(MONGODB_URI!)!;
    const store = await openMongoStore(`${m[1]}/${name}${m[2] ?? ''}`);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await admin.db(name).dropDatabase();
      },
    };
  });
});
