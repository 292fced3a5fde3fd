import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlgoError, describeError } from '../../src/core/errors.js';
import { exportBots } from '../../src/core/store/migrate/bots.js';
import { copyAccounts } from '../../src/core/store/migrate/copy.js';
import { exportRuns } from '../../src/core/store/migrate/runs.js';
import { migrateLegacy } from '../../src/core/store/migrate/legacy.js';
import { openMongoStore, type MongoStoreOptions } from '../../src/core/store/mongo/index.js';
import { openStore } from '../../src/core/store/open.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { runDoc } from '../contract/backtest-store-contract.js';
import { botConfig } from '../contract/bot-store-contract.js';
import { runStoreContract } from '../contract/store-contract.js';
import { ensureBuilt, runCli, tempDataDir } from '../helpers/cli.js';
import { commit, orderDoc, tradeDoc } from '../helpers/store-docs.js';
import { freePort } from '../helpers/ports.js';

/**
 * The MongoDB store against a real server. No MongoDB server can be installed on the machines
 * this project is developed and tested on (Debian ships none, and MongoDB's own downloads cannot
 * be reached from them), so this part runs only when MONGODB_URI names a server, e.g.
 *   MONGODB_URI=mongodb://127.0.0.1:27017 npx vitest run tests/integration/store-mongo.test.ts
 * Every store it opens lives in a fresh, randomly named database that is dropped afterwards.
 * Against a replica set it runs the contract twice: with transactions and with the meta journal
 * that standalone servers use.
 */
const MONGODB_URI = process.env.MONGODB_URI;

/** The same URI with another database name. */
function withDatabase(uri: string, database: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!m) throw new Error('MONGODB_URI is not a mongodb:// URI');
  return `${m[1]}/${database}${m[2] ?? ''}`;
}

describe.skipIf(!MONGODB_URI)('MongoDB store against MONGODB_URI (skipped without it: no MongoDB server can be installed here)', () => {
  let admin: MongoClient;
  const dropped: string[] = [];

  beforeAll(async () => {
    const { MongoClient } = await import('mongodb');
    admin = new MongoClient(MONGODB_URI!, { serverSelectionTimeoutMS: 5000 });
    await admin.connect();
  });
  afterAll(async () => {
    for (const name of dropped) await admin.db(name).dropDatabase().catch(() => undefined);
    await admin?.close();
  });

  function freshName(): string {
    const name = `algo_test_${randomBytes(6).toString('hex')}`;
    dropped.push(name);
    return name;
  }

  const makeStore = (opts: MongoStoreOptions) => async () => {
    const name = freshName();
    const store = await openMongoStore(withDatabase(MONGODB_URI!, name), opts);
    return {
      store: store as PaperStore,
      cleanup: async () => {
        await store.close();
        await admin.db(name).dropDatabase();
      },
    };
  };

  runStoreContract('MongoDB', makeStore({}));
  runStoreContract('MongoDB through the meta journal (as on a standalone server)', makeStore({ transactions: false }));

  it('creates the indexes the queries need when it starts, idempotently', async () => {
    const uri = withDatabase(MONGODB_URI!, freshName());
    const store = await openMongoStore(uri);
    await commit(store, 'AB1234', { orders: [orderDoc('AB1234', 'O1')] });
    await store.close();
    const again = await openMongoStore(uri);
    const db = again.connection.db;
    const names = async (c: string) => (await db.collection(c).listIndexes().toArray()).map((i) => i.name as string).sort();
    expect(await names('user_AB1234_paper_orders')).toEqual(['_id_', 'order_id_unique', 'status_placed_at']);
    expect(await names('user_AB1234_paper_trades')).toEqual(['_id_', 'order_id_filled_at', 'trade_id_unique']);
    expect(await names('user_AB1234_paper_positions')).toEqual(['_id_', 'key_unique']);
    await again.close();
  });

  it('finishes a change that was claimed but not applied (a crash between the two steps), exactly once', async () => {
    const store = await openMongoStore(withDatabase(MONGODB_URI!, freshName()), { transactions: false });
    await commit(store, 'AB1234', { orders: [orderDoc('AB1234', 'O1')] });
    // What a writer that died right after its claim leaves behind: meta at version 2 with the journal.
    const meta = store.connection.db.collection('user_AB1234_paper_meta');
    const stored = await meta.findOne({});
    const order = { ...orderDoc('AB1234', 'O2', { status: 'COMPLETE' }), _s: 2 };
    const trade = { ...tradeDoc('AB1234', 'T1', 'O2'), _s: 3 };
    await meta.updateOne(
      { _id: stored!._id },
      { $set: { version: 2, seq: 9, _seq: 3, _pending: { v: 2, reset: false, orders: [order], trades: [trade], positions: [], deletePositions: [] } } },
    );
    expect((await store.orders('AB1234')).map((o) => o.order_id)).toEqual(['O2', 'O1']);
    expect(await store.trades('AB1234')).toHaveLength(1);
    expect(await store.meta('AB1234')).toMatchObject({ version: 2, seq: 9 });
    expect((await meta.findOne({}))!._pending).toBeUndefined();
    await commit(store, 'AB1234', { meta: { seq: 10 } });
    expect(await store.trades('AB1234')).toHaveLength(1);
    expect(await store.meta('AB1234')).toMatchObject({ version: 3, seq: 10 });
    await store.close();
  });

  it('algo migrate moves legacy collections once, says so, and never overwrites user_default_*', async () => {
    const name = freshName();
    const db = admin.db(name);
    await db.collection('paper_orders').insertMany([orderDoc('default', 'O1'), orderDoc('default', 'O2')]);
    await db.collection('paper_meta').insertOne({ user_id: 'default', capital: 1 });
    await db.collection('paper_trades').insertOne(tradeDoc('default', 'T1', 'O1'));
    await db.collection('user_default_paper_trades').insertOne({ trade_id: 'already-here' });

    const dry = await migrateLegacy(db, { dryRun: true });
    expect(dry.steps.map((s) => s.action)).toEqual(['rename', 'nothing', 'refuse', 'rename']);
    expect(await db.listCollections({ name: 'paper_orders' }).toArray()).toHaveLength(1);

    const first = await migrateLegacy(db);
    expect(first.steps.map((s) => s.action)).toEqual(['rename', 'nothing', 'refuse', 'rename']);
    expect(await db.collection('user_default_paper_orders').countDocuments()).toBe(2);
    expect(await db.collection('paper_trades').countDocuments()).toBe(1);
    expect(await db.collection('user_default_paper_trades').countDocuments()).toBe(1);

    const second = await migrateLegacy(db);
    expect(second.steps.map((s) => s.action)).toEqual(['already-moved', 'already-moved', 'refuse', 'already-moved']);
  });

  it('copies SQLite accounts into MongoDB and back, verified', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-mongo-copy-'));
    const sqlite = openSqliteStore(path.join(dir, 'from.db'));
    const mongo = await openMongoStore(withDatabase(MONGODB_URI!, freshName()));
    const back = openSqliteStore(path.join(dir, 'back.db'));
    try {
      await commit(sqlite, 'AB1234', { orders: [orderDoc('AB1234', 'O1', { status: 'COMPLETE' })], trades: [tradeDoc('AB1234', 'T1', 'O1')] });
      expect((await copyAccounts(sqlite, mongo)).steps.map((s) => s.action)).toEqual(['copy']);
      expect((await copyAccounts(sqlite, mongo)).steps.map((s) => s.action)).toEqual(['already-copied']);
      expect((await copyAccounts(mongo, back)).steps.map((s) => s.action)).toEqual(['copy']);
      expect(await back.trades('AB1234')).toEqual(await sqlite.trades('AB1234'));
    } finally {
      await Promise.all([sqlite.close(), mongo.close(), back.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('copies a user\'s bots (records, events, outbox; no lease) and backtest runs into MongoDB and back (needs a replica set)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-mongo-copy-bots-'));
    const sqlite = openSqliteStore(path.join(dir, 'from.db'));
    const mongo = await openMongoStore(withDatabase(MONGODB_URI!, freshName()));
    const back = openSqliteStore(path.join(dir, 'back.db'));
    const T0 = 1_795_000_000_000;
    try {
      const bot = await sqlite.bots.create('AB1234', { name: 'Trend', config: botConfig(), now: T0 });
      await sqlite.bots.update('AB1234', bot.id, 1, { desired: 'running', status: 'running' }, T0 + 1);
      const { token } = (await sqlite.bots.acquireLease('AB1234', bot.id, 'h1', T0, 30_000))!;
      await sqlite.bots.putOrders('AB1234', bot.id, token, T0 + 2, [{ key: `${bot.id}00000001`, minute: T0, request: { side: 'BUY' } }]);
      await sqlite.bots.appendEvents('AB1234', [{ bot_id: bot.id, at: T0, kind: 'started', message: 'go' }]);
      await sqlite.backtests.saveRun('AB1234', runDoc('RUN1'));
      const later = T0 + 600_000;
      expect((await copyAccounts(sqlite, mongo, { now: later })).steps.map((s) => [s.action, s.bots.action, s.runs.action])).toEqual([['copy', 'copy', 'copy']]);
      expect((await copyAccounts(sqlite, mongo, { now: later })).steps.map((s) => s.action)).toEqual(['already-copied']);
      expect(await mongo.bots.lease('AB1234', bot.id)).toBeNull();
      expect((await copyAccounts(mongo, back, { now: later })).steps.map((s) => s.action)).toEqual(['copy']);
      expect(await exportBots(back, 'AB1234')).toEqual(await exportBots(sqlite, 'AB1234'));
      expect(await exportRuns(back, 'AB1234')).toEqual(await exportRuns(sqlite, 'AB1234'));
    } finally {
      await Promise.all([sqlite.close(), mongo.close(), back.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an unreachable MongoDB server (runs everywhere)', () => {
  const PASSWORD = 'Unreachable-S3cret-pw';
  beforeAll(() => ensureBuilt(), 240_000);

  it('fails with one clear line that never shows the password', async () => {
    const port = await freePort();
    const err = await openStore(`mongodb://trader:${PASSWORD}@127.0.0.1:${port}/algo`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlgoError);
    expect(describeError(err)).toBe(`cannot reach MongoDB at 127.0.0.1:${port} (check that mongod is running and the URI in --store/ALGO_STORE)`);
    expect(`${String(err)} ${JSON.stringify(err)} ${describeError(err)}`).not.toContain(PASSWORD);
  });

  it('opening a SQLite store never loads the MongoDB driver; a MongoDB URI does', () => {
    const dir = tempDataDir('algo-lazy-');
    const script = (uri: string) => `
      import { createRequire } from 'node:module';
      const { openStore } = await import(${JSON.stringify(path.resolve(import.meta.dirname, '..', '..', 'dist', 'core', 'store', 'open.js'))});
      try { await (await openStore(${JSON.stringify(uri)})).close(); } catch {}
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('node_modules/mongodb/'));
      process.stdout.write(String(loaded.length));`;
    try {
      const count = (uri: string) => Number(execFileSync(process.execPath, ['--input-type=module', '-e', script(uri)], { encoding: 'utf8' }));
      expect(count(`sqlite:${dir}/algo.db`)).toBe(0);
      expect(count('mongodb://h/db?notAnOption=1')).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the built CLI prints exactly that line on stderr, no stack trace, and exits 1', async () => {
    const port = await freePort();
    const dataDir = tempDataDir();
    try {
      const uri = `mongodb://trader:${PASSWORD}@127.0.0.1:${port}`;
      const [res, viaEnv] = await Promise.all([
        runCli(['--store', uri, 'migrate'], { dataDir }),
        runCli(['migrate', '--dry-run'], { dataDir, env: { ALGO_STORE: uri } }),
      ]);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr).toBe(`algo: cannot reach MongoDB at 127.0.0.1:${port} (check that mongod is running and the URI in --store/ALGO_STORE)\n`);
      expect(viaEnv.code).toBe(1);
      expect(viaEnv.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(viaEnv.stdout + viaEnv.stderr + res.stdout + res.stderr).not.toContain(PASSWORD);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
