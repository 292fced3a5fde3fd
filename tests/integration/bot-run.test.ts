import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, tempDataDir } from '../helpers/cli.js';

/**
 * `algo bot run` through the built CLI on a sandbox session: the clock starts at 09:14 IST on a
 * trading day (Wednesday 2 Dec 2026) and runs 120 market minutes per real minute.
 */
const CLOCK = '2026-12-02T09:14:00+05:30';
const RUN = { ALGO_CLOCK: CLOCK, ALGO_CLOCK_RUN: '1', ALGO_CLOCK_SPEED: '120' };
const dataDir = tempDataDir('algo-bot-run-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 }));
const algo = (args: string[], env: Record<string, string> = { ALGO_CLOCK: CLOCK }) => runCli([...args, '--profile', 'asha'], { dataDir, env });

beforeAll(async () => {
  for (const args of [
    ['login', '--sandbox', '--user', 'SB0001'],
    ['bot', 'create', 'quick', '--strategy', 'ema-cross', '--symbol', 'INFY', '--qty', '5', '--param', 'fast=2', '--param', 'slow=3', '--param', 'timeframe=1m', '--param', 'allowShort=true'],
    ['bot', 'start', 'quick'],
  ]) {
    const r = await algo(args);
    expect(r.code, r.stderr).toBe(0);
  }
}, 180_000);

describe('algo bot run', () => {
  it("trades the profile's running bot on the moving clock; SIGTERM releases it and exits 0; bot trades shows the fills", async () => {
    const run = spawnCli(['bot', 'run', '--profile', 'asha'], { dataDir, env: RUN });
    await run.waitFor(/bot runner \S+ running SB0001's bots/);
    await run.waitFor(/ session: /, 'stdout');
    // fills from 09:20 (the entry window); two of them within about a market hour
    await run.waitFor(/fill: [^\n]*\n[^]*fill: /, 'stdout');
    run.child.kill('SIGTERM');
    const done = await run.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toMatch(/bot runner stopped; leases released\n$/);
    const fills = done.stdout.split('\n').filter((l) => / fill: /.test(l));
    expect(fills.length).toBeGreaterThanOrEqual(2);
    const trades = await algo(['bot', 'trades', 'quick', '--json']);
    expect(trades.code, trades.stderr).toBe(0);
    const list = (JSON.parse(trades.stdout) as { trades: Array<{ tradingsymbol: string; quantity: number }> }).trades;
    expect(list.length).toBeGreaterThanOrEqual(fills.length);
    expect(list.every((t) => t.tradingsymbol === 'INFY' && t.quantity === 5)).toBe(true);
    const shown = JSON.parse((await algo(['bot', 'show', 'quick', '--json'])).stdout) as { status: string; desired: string };
    expect(shown).toMatchObject({ desired: 'running', status: 'running' });
    // the lease was released: a desk sees no runner holding the bot
    const lease = await algo(['bot', 'edit', 'quick', '--qty', '6']);
    expect(lease.stderr).toMatch(/is running; stop it before you edit it/);
  }, 120_000);
});
