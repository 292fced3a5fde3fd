import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botOrders } from '../../src/core/bot/session.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { runCli, spawnCli, tempDataDir } from '../helpers/cli.js';

/**
 * Crash safety of `algo bot run` (issue 14): kill -9 at random moments, restart, and check after
 * each restart that no order went out twice, the account's orders tagged with the bot match the
 * outbox, and the bot is running or in needs_review (never trading silently). Each trial starts the
 * clock where the last could at most have got to, plus the lease, so the restart can take it over.
 */
const START = Date.parse('2026-12-02T09:14:00+05:30');
const SPEED = 120;
const LEASE_MS = 1_000 * SPEED; // the runner's lease on this clock (bot-runner.ts: at least a real second)
const TRIALS = 50;
const BUDGET_MS = 60_000;
const dataDir = tempDataDir('algo-bot-crash-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 }));
const algo = (args: string[], clock: number) => runCli([...args, '--profile', 'asha'], { dataDir, env: { ALGO_CLOCK: new Date(clock).toISOString() } });

beforeAll(async () => {
  for (const args of [
    ['login', '--sandbox', '--user', 'SB0001'],
    ['bot', 'create', 'quick', '--strategy', 'ema-cross', '--symbol', 'INFY', '--qty', '5', '--param', 'fast=2', '--param', 'slow=3', '--param', 'timeframe=1m', '--param', 'allowShort=true'],
    ['bot', 'start', 'quick'],
  ]) {
    const r = await algo(args, START);
    expect(r.code, r.stderr).toBe(0);
  }
}, 180_000);

/** The store as the dead runner left it: the bot, its outbox and the account's orders tagged with it. */
async function state() {
  const store = openSqliteStore(path.join(dataDir, 'algo.db'));
  try {
    const bot = (await store.bots.get('SB0001', 'quick'))!;
    return { bot, outbox: await store.bots.orders('SB0001', bot.id), orders: botOrders(await store.orders('SB0001'), bot.id) };
  } finally {
    await store.close();
  }
}

function checkConsistent(s: Awaited<ReturnType<typeof state>>, trial: number): void {
  const keys = s.orders.map((o) => o.bot_key);
  expect(new Set(keys).size, `trial ${trial}: a key placed twice`).toBe(keys.length);
  const outbox = new Map(s.outbox.map((r) => [r.key, r]));
  for (const o of s.orders) {
    const row = outbox.get(o.bot_key!);
    expect(row, `trial ${trial}: account order ${o.bot_key} not in the outbox`).toBeDefined();
    expect([o.transaction_type, o.quantity, o.price]).toEqual([row!.request.transaction_type, row!.request.quantity, row!.request.price]);
  }
  // a placed row names its account order (or none, when the account already had the key)
  for (const r of s.outbox.filter((r) => r.status === 'placed' && r.order_id)) expect(s.orders.some((o) => o.order_id === r.order_id)).toBe(true);
}

describe('algo bot run killed with SIGKILL at random moments', () => {
  it('restarts place no order twice; the account matches the outbox; the bot is running or in needs_review', async () => {
    // a first run long enough for the strategy's warm-up and a trade (it is killed too)
    let clock = START;
    const warm = spawnCli(['bot', 'run', '--profile', 'asha'], { dataDir, env: { ALGO_CLOCK: new Date(clock).toISOString(), ALGO_CLOCK_RUN: '1', ALGO_CLOCK_SPEED: String(SPEED) } });
    const warmed = Date.now();
    await warm.waitFor(/ fill: /, 'stdout');
    warm.child.kill('SIGKILL');
    await warm.done;
    clock += (Date.now() - warmed + 2_000) * SPEED + LEASE_MS;
    const t0 = Date.now();
    let trials = 0;
    const statuses: string[] = [];
    while (trials < TRIALS && Date.now() - t0 < BUDGET_MS) {
      trials++;
      const began = Date.now() - 100; // spawned just after
      const run = spawnCli(['bot', 'run', '--profile', 'asha'], { dataDir, env: { ALGO_CLOCK: new Date(clock).toISOString(), ALGO_CLOCK_RUN: '1', ALGO_CLOCK_SPEED: String(SPEED) } });
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1_300));
      run.child.kill('SIGKILL');
      await run.done;
      // the dead runner's clock got at most this far; the next one starts after its lease
      clock += (Date.now() - began) * SPEED + LEASE_MS + 1_000;
      const s = await state();
      checkConsistent(s, trials);
      statuses.push(s.bot.status);
      expect(['running', 'needs_review', 'stopped'], `trial ${trials}: status ${s.bot.status}`).toContain(s.bot.status);
    }
    // a last run to the end, stopped cleanly: every pending row resolved
    const last = spawnCli(['bot', 'run', '--profile', 'asha'], { dataDir, env: { ALGO_CLOCK: new Date(clock).toISOString(), ALGO_CLOCK_RUN: '1', ALGO_CLOCK_SPEED: String(SPEED) } });
    await last.waitFor(/running SB0001's bots/);
    await new Promise((r) => setTimeout(r, 1_500));
    last.child.kill('SIGTERM');
    expect((await last.done).code).toBe(0);
    const end = await state();
    checkConsistent(end, trials + 1);
    expect(['running', 'needs_review']).toContain(end.bot.status);
    if (end.bot.status === 'running') expect(end.outbox.filter((r) => r.status === 'pending')).toEqual([]);
    console.log(`bot-crash: ${trials} trials in ${Date.now() - t0} ms, ${end.orders.length} orders, statuses ${[...new Set(statuses)].join(',')}, final ${end.bot.status}${end.bot.status_reason ? ` (${end.bot.status_reason})` : ''}`);
    expect(end.orders.length).toBeGreaterThan(0);
    expect(trials).toBeGreaterThanOrEqual(20);
  }, 180_000);
});
