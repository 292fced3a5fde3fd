import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { migrateExitCode, migrateLines } from '../../src/core/store/migrate/report.js';
import { resolveCopyEnds, runMigrate } from '../../src/core/store/migrate/index.js';
import type { LegacyStep } from '../../src/core/store/migrate/legacy-plan.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { commit, orderDoc } from '../helpers/store-docs.js';

describe('resolveCopyEnds', () => {
  const dataDir = '/data';
  const sqlite = 'sqlite:/data/algo.db';
  const mongo = 'mongodb://db:27017/algo';

  it.each([
    ['--to mongo from the configured SQLite store', { store: sqlite, to: mongo }, { from: sqlite, to: mongo }],
    ['--to mongo when the store is that same mongo: the data folder SQLite file', { store: mongo, to: mongo }, { from: sqlite, to: mongo }],
    ['--from mongo --to sqlite', { store: sqlite, from: mongo, to: 'sqlite:/tmp/x.db' }, { from: mongo, to: 'sqlite:/tmp/x.db' }],
    ['--from mongo into the configured SQLite store', { store: sqlite, from: mongo }, { from: mongo, to: sqlite }],
  ])('%s', (_what, req, want) => {
    expect(resolveCopyEnds({ dataDir, ...req })).toEqual(want);
  });

  it('refuses a copy onto itself and a copy with nowhere to go', () => {
    expect(() => resolveCopyEnds({ dataDir, store: sqlite, from: 'sqlite:/data/../data/algo.db', to: sqlite })).toThrow(/same store/);
    expect(() => resolveCopyEnds({ dataDir, store: sqlite, to: sqlite })).toThrow(UsageError);
    expect(() => resolveCopyEnds({ dataDir, store: mongo, from: mongo })).toThrow(/say where to copy/);
  });
});

describe('runMigrate', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-migrate-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('without --to/--from it needs a MongoDB store, and says so in one line', async () => {
    const err = await runMigrate({ store: `sqlite:${dir}/algo.db`, dataDir: dir, dryRun: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(`algo migrate moves the legacy MongoDB collections, but the paper store is sqlite:${dir}/algo.db`);
  });

  it('refuses a missing source file without creating it', async () => {
    const missing = path.join(dir, 'nope.db');
    await expect(runMigrate({ store: `sqlite:${missing}`, dataDir: dir, dryRun: false, to: `sqlite:${dir}/to.db` })).rejects.toThrow(`there is no SQLite paper store at ${missing}`);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('copies the configured store with --to and prints what it copied; the second run says already copied', async () => {
    const from = openSqliteStore(path.join(dir, 'algo.db'));
    await commit(from, 'AB1234', { orders: [orderDoc('AB1234', 'O1')] });
    await from.close();
    const req = { store: `sqlite:${dir}/algo.db`, dataDir: dir, dryRun: false, to: `sqlite:${dir}/copy.db` };

    const first = await runMigrate(req);
    expect(migrateLines(first)).toEqual([
      `from sqlite:${dir}/algo.db`,
      `to sqlite:${dir}/copy.db`,
      'copied AB1234: 1 orders, 0 trades, 0 positions, available ₹1,00,000.00; no bots; no backtest runs (verified)',
    ]);
    expect(migrateExitCode(first)).toBe(0);

    const second = await runMigrate(req);
    expect(migrateLines(second).slice(2)).toEqual(['already copied AB1234: 1 orders, 0 trades, 0 positions, available ₹1,00,000.00; no bots; no backtest runs', 'nothing changed']);
    const copy = openSqliteStore(path.join(dir, 'copy.db'));
    expect((await copy.orders('AB1234')).map((o) => o.order_id)).toEqual(['O1']);
    await copy.close();
  });
});

describe('migrate report lines', () => {
  const step = (over: Partial<LegacyStep>): LegacyStep => ({
    kind: 'orders',
    from: 'paper_orders',
    to: 'user_default_paper_orders',
    action: 'rename',
    documents: 3,
    reason: '',
    ...over,
  });
  const legacy = (steps: LegacyStep[], dryRun = false) => ({ mode: 'legacy' as const, store: 'mongodb://db', report: { database: 'smart_algo_trade', dryRun, steps } });

  it('prints what it moved, and exits 0', () => {
    const result = legacy([step({}), step({ kind: 'meta', from: 'paper_meta', to: 'user_default_paper_meta', action: 'copy', documents: 1 })]);
    expect(migrateLines(result)).toEqual([
      'moved paper_orders -> user_default_paper_orders (3 documents)',
      'moved paper_meta -> user_default_paper_meta (1 document)',
      'moved 2 collections in smart_algo_trade to user_default_*',
    ]);
    expect(migrateExitCode(result)).toBe(0);
  });

  it('a dry run says what it would move', () => {
    expect(migrateLines(legacy([step({})], true))).toEqual(['would move paper_orders -> user_default_paper_orders (3 documents)']);
  });

  it('a second run says nothing changed', () => {
    const result = legacy([step({ action: 'already-moved', documents: 3 }), step({ kind: 'meta', action: 'nothing', reason: 'no paper_meta collection' })]);
    expect(migrateLines(result)).toEqual([
      'already moved: user_default_paper_orders (3 documents)',
      'nothing to move: no paper_meta collection',
      'nothing changed in smart_algo_trade: no legacy collection left to move',
    ]);
  });

  it('a refusal says why and exits 1', () => {
    const result = legacy([step({ action: 'refuse', documents: 2, reason: 'user_default_paper_orders already has 2 documents' })]);
    expect(migrateLines(result)[0]).toBe('refused paper_orders: user_default_paper_orders already has 2 documents');
    expect(migrateExitCode(result)).toBe(1);
  });
});
