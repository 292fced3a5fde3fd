import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportAccount } from '../../src/core/store/migrate/account.js';
import { exportBots } from '../../src/core/store/migrate/bots.js';
import { copyAccounts } from '../../src/core/store/migrate/copy.js';
import { migrateExitCode, migrateLines } from '../../src/core/store/migrate/report.js';
import { exportRuns } from '../../src/core/store/migrate/runs.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { runDoc } from '../contract/backtest-store-contract.js';
import { botConfig } from '../contract/bot-store-contract.js';
import { commit, orderDoc } from '../helpers/store-docs.js';

const A = 'AB1234';
const Z = 'ZZ9999';
const T0 = 1_795_000_000_000;
const TTL = 30_000;
/** After the running bot's lease ran out: its runner has stopped (else the copy is refused). */
const LATER = T0 + 10 * TTL;

/**
 * A user with two bots (one running, one stopped), their events, an outbox row tying a paper
 * order to the running bot, and a backtest run; another user with only a backtest run.
 */
async function fill(store: PaperStore): Promise<{ runner: string; idle: string }> {
  const runner = await store.bots.create(A, { name: 'Trend', config: botConfig(), now: T0 });
  const idle = await store.bots.create(A, { name: 'Idle', config: botConfig({ symbols: ['NSE:TCS'] }), now: T0 });
  await store.bots.update(A, runner.id, 1, { desired: 'running', status: 'running' }, T0 + 1);
  await store.bots.update(A, idle.id, 1, { config: botConfig({ symbols: ['NSE:TCS', 'NSE:SBIN'] }) }, T0 + 2);
  const lease = (await store.bots.acquireLease(A, runner.id, 'host-1', T0 + 3, TTL))!;
  const [row] = await store.bots.putOrders(A, runner.id, lease.token, T0 + 4, [{ key: `${runner.id}00000001`, minute: T0, request: { side: 'BUY', quantity: 10 } }]);
  await store.bots.markOrder(A, runner.id, row!.key, { status: 'placed', order_id: 'PAPER-1' }, T0 + 5);
  await store.bots.appendEvents(A, [
    { bot_id: runner.id, at: T0 + 1, kind: 'started', message: 'started' },
    { bot_id: idle.id, at: T0 + 2, kind: 'stopped', message: 'stopped', data: { why: 'user' } },
    { bot_id: runner.id, at: T0 + 5, kind: 'order', message: 'bought 10' },
  ]);
  await commit(store, A, { orders: [orderDoc(A, 'PAPER-1', { status: 'COMPLETE', tag: runner.id, bot_key: row!.key })] });
  await store.backtests.saveRun(A, runDoc('RUN1', { ran_at: T0 }));
  await store.backtests.saveRun(Z, runDoc('ZRUN', { ran_at: T0 + 1 }));
  return { runner: runner.id, idle: idle.id };
}

async function snapshot(store: PaperStore) {
  return {
    account: await exportAccount(store, A),
    bots: await exportBots(store, A),
    runs: await exportRuns(store, A),
    zRuns: await exportRuns(store, Z),
    botUsers: await store.bots.users(),
    runUsers: await store.backtests.users(),
  };
}

const sources: Array<[string, (dir: string) => PaperStore]> = [
  ['memory', () => new MemoryPaperStore()],
  ['SQLite', (dir) => openSqliteStore(path.join(dir, 'from.db'))],
];

describe.each(sources)('algo migrate carries bots and backtest runs: %s -> SQLite', (_kind, openSource) => {
  let dir: string;
  let source: PaperStore;
  let dest: PaperStore;
  let ids: { runner: string; idle: string };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-migrate-bots-'));
    source = openSource(dir);
    dest = openSqliteStore(path.join(dir, 'to.db'));
    ids = await fill(source);
  });
  afterEach(async () => {
    await source.close();
    await dest.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies both bots (records, events, outbox) with no lease, and the runs, read back equal', async () => {
    const report = await copyAccounts(source, dest, { now: LATER });
    expect(report.steps.map((s) => [s.userId, s.action, s.account?.action ?? null, s.bots.action, s.runs.action])).toEqual([
      [A, 'copy', 'copy', 'copy', 'copy'],
      [Z, 'copy', null, 'none', 'copy'],
    ]);
    expect(await dest.bots.list(A)).toEqual(await source.bots.list(A));
    const runner = (await dest.bots.get(A, ids.runner))!;
    expect(runner).toMatchObject({ name: 'Trend', desired: 'running', status: 'running', version: 1, rev: 2 });
    expect(await dest.bots.get(A, ids.idle)).toMatchObject({ name: 'Idle', desired: 'stopped', status: 'stopped', version: 2 });
    expect(await dest.bots.events(A)).toEqual(await source.bots.events(A));
    expect(await dest.bots.orders(A, ids.runner)).toEqual(await source.bots.orders(A, ids.runner));
    expect((await dest.bots.orders(A, ids.runner))[0]).toMatchObject({ status: 'placed', order_id: 'PAPER-1' });
    expect(await source.bots.lease(A, ids.runner)).not.toBeNull();
    expect(await dest.bots.lease(A, ids.runner)).toBeNull();
    expect(await dest.backtests.getRun(A, 'RUN1')).toEqual(await source.backtests.getRun(A, 'RUN1'));
    expect(await dest.backtests.listRuns(Z)).toEqual(await source.backtests.listRuns(Z));
    const { botUsers: _b, ...copied } = await snapshot(dest);
    const { botUsers: _s, ...original } = await snapshot(source);
    expect({ ...copied, account: { ...copied.account, meta: { ...copied.account!.meta, version: 0 } } }).toEqual({
      ...original,
      account: { ...original.account, meta: { ...original.account!.meta, version: 0 } },
    });
    // A runner on the new store takes the bot up where it was: a free lease, the next event seq.
    expect((await dest.bots.acquireLease(A, ids.runner, 'host-2', LATER, TTL))?.token).toBe(1);
    expect((await dest.bots.appendEvents(A, [{ bot_id: ids.runner, at: LATER, kind: 'started', message: 'again' }]))[0]?.seq).toBe(4);
    expect(migrateLines({ mode: 'copy', from: 'a', to: 'b', report }).slice(2)).toEqual([
      `copied ${A}: 1 orders, 0 trades, 0 positions, available ₹1,00,000.00; 2 bots (3 events, 1 outbox order); 1 backtest run (verified)`,
      `copied ${Z}: no paper account; no bots; 1 backtest run (verified)`,
    ]);
  });

  it('a second run says "already copied" and changes nothing', async () => {
    await copyAccounts(source, dest, { now: LATER });
    const before = await snapshot(dest);
    const again = await copyAccounts(source, dest, { now: LATER });
    expect(again.steps.map((s) => [s.userId, s.action, s.bots.action, s.runs.action])).toEqual([
      [A, 'already-copied', 'already-copied', 'already-copied'],
      [Z, 'already-copied', 'none', 'already-copied'],
    ]);
    expect(migrateLines({ mode: 'copy', from: 'a', to: 'b', report: again }).at(-1)).toBe('nothing changed');
    expect(await snapshot(dest)).toEqual(before);
  });

  it('a destination with different bots for the user is refused, and nothing of that user is written', async () => {
    const mine = await dest.bots.create(A, { name: 'Mine', config: botConfig(), now: T0 });
    const report = await copyAccounts(source, dest, { now: LATER });
    expect(report.steps.map((s) => [s.userId, s.action])).toEqual([
      [A, 'refuse'],
      [Z, 'copy'],
    ]);
    expect(report.steps[0]!.reason).toMatch(new RegExp(`^the destination already has different bots for ${A} \\(1 bots, 0 events, 0 outbox rows; bots: 2 in the source, 1 in the destination\\); not overwriting them$`));
    expect(migrateExitCode({ mode: 'copy', from: 'a', to: 'b', report })).toBe(1);
    expect(await dest.bots.list(A)).toEqual([mine]);
    expect(await dest.bots.events(A)).toEqual([]);
    expect(await dest.meta(A)).toBeNull();
    expect(await dest.backtests.listRuns(A)).toEqual([]);
    expect((await dest.backtests.listRuns(Z)).map((r) => r.run_id)).toEqual(['ZRUN']);
  });

  it('different backtest runs in the destination are refused too', async () => {
    await dest.backtests.saveRun(A, runDoc('RUN1', { ran_at: T0, hash: 'e'.repeat(64) }));
    const [step] = (await copyAccounts(source, dest, { now: LATER })).steps;
    expect(step).toMatchObject({ action: 'refuse', reason: `the destination already has different backtest runs for ${A} (1 runs; backtest run RUN1 differs); not overwriting them` });
    expect(await dest.bots.list(A)).toEqual([]);
  });

  it('a dry run plans it all and writes nothing', async () => {
    const report = await copyAccounts(source, dest, { dryRun: true, now: LATER });
    expect(report.steps.map((s) => s.action)).toEqual(['copy', 'copy']);
    expect(migrateLines({ mode: 'copy', from: 'a', to: 'b', report })[2]).toBe(
      `would copy ${A}: 1 orders, 0 trades, 0 positions, available ₹1,00,000.00; 2 bots (3 events, 1 outbox order); 1 backtest run`,
    );
    expect(await dest.users()).toEqual([]);
    expect(await dest.bots.users()).toEqual([]);
    expect(await dest.bots.events(A)).toEqual([]);
    expect(await dest.backtests.users()).toEqual([]);
  });

  it('refuses a user whose bot is still running in the source (its lease is live)', async () => {
    const report = await copyAccounts(source, dest, { now: T0 + 10 });
    expect(report.steps[0]).toMatchObject({ userId: A, action: 'refuse', reason: `bot Trend of ${A} is running in the source (its lease is live); stop algo bot run there first` });
    expect(await dest.meta(A)).toBeNull();
    expect(await dest.bots.list(A)).toEqual([]);
  });

  it('an account copied by an older migrate gets its bots and runs added, the account left as it is', async () => {
    const older = await copyAccounts(source, dest, { now: LATER, dryRun: true });
    expect(older.steps[0]!.account?.action).toBe('copy');
    // what the older migrate did: the account alone
    await commit(dest, A, { orders: (await exportAccount(source, A))!.orders });
    const report = await copyAccounts(source, dest, { now: LATER });
    expect(report.steps[0]).toMatchObject({ action: 'copy', account: { action: 'already-copied' }, bots: { action: 'copy' }, runs: { action: 'copy' } });
    expect(migrateLines({ mode: 'copy', from: 'a', to: 'b', report })[2]).toBe(
      `copied ${A}: 1 orders, 0 trades, 0 positions, available ₹1,00,000.00 (already there); 2 bots (3 events, 1 outbox order); 1 backtest run (verified)`,
    );
    expect(await dest.bots.orders(A, ids.runner)).toEqual(await source.bots.orders(A, ids.runner));
  });
});
