import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIst } from '../../src/core/ist.js';
import { BUILTINS } from '../../src/core/strategy/builtins/index.js';
import { runCli, spawnCli, tempDataDir } from '../helpers/cli.js';

/**
 * Issue 14's parity, end to end through the built CLI on a sandbox session: one paper bot per
 * built-in on three symbols, `algo bot run` on the accelerated clock over the whole sandbox day
 * (Wednesday 25 Nov 2026, 09:14 to past 15:31), then `algo bot parity` for each after the close.
 * The live minutes are built from the streamed ticks (two or so a market minute at this speed), so
 * the fill counts vary from run to run; parity replays the minutes the runner logged.
 */
const DATE = '2026-11-25';
const START = `${DATE}T09:14:00+05:30`;
const EVENING = `${DATE}T18:00:00+05:30`;
const SPEED = 600;
const SYMBOLS = ['NSE:INFY', 'NSE:TCS', 'NSE:RELIANCE'];
/** Real ms from the runner's start until its clock passes 15:31 IST. */
const DAY_REAL_MS = (parseIst(`${DATE} 15:31:00`) - parseIst(`${DATE} 09:14:00`)) / SPEED;
/** Real ms for the runner's own start (node, the sandbox, warm-up) on a busy machine. */
const SLACK_MS = 4_000;

const dataDir = tempDataDir('algo-parity-day-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 }));
const algo = (args: string[], clock = START) => runCli([...args, '--profile', 'asha'], { dataDir, env: { ALGO_CLOCK: clock } });
const name = (id: string) => `day-${id}`;

beforeAll(async () => {
  const login = await algo(['login', '--sandbox', '--user', 'SB0001']);
  expect(login.code, login.stderr).toBe(0);
  for (const s of BUILTINS) {
    // the stale-data guard is market time: at 600x its default 120 s is 200 ms real, which a busy
    // machine can exceed, and parity rightly reports the entry it blocked; 1,800 s is 3 s real here
    const made = await algo(['bot', 'create', name(s.id), '--strategy', s.id, ...SYMBOLS.flatMap((x) => ['--symbol', x]), '--qty', '5', '--param', 'timeframe=1m', '--stale-after', '1800']);
    expect(made.code, made.stderr).toBe(0);
    const started = await algo(['bot', 'start', name(s.id)]);
    expect(started.code, started.stderr).toBe(0);
  }
}, 120_000);

describe('a sandbox day run by `algo bot run`, then `algo bot parity`', () => {
  it('every built-in: exit 0, zero differences, and fills on the day', async () => {
    const run = spawnCli(['bot', 'run', '--profile', 'asha'], { dataDir, env: { ALGO_CLOCK: START, ALGO_CLOCK_RUN: '1', ALGO_CLOCK_SPEED: String(SPEED) } });
    const began = Date.now();
    await run.waitFor(/bot runner \S+ running SB0001's bots/);
    // the clock started with the process, a little before the line above
    await new Promise((r) => setTimeout(r, Math.max(0, DAY_REAL_MS + SLACK_MS - (Date.now() - began))));
    run.child.kill('SIGTERM');
    const done = await run.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).not.toMatch(/algo: /);
    const results: Record<string, { code: number; fills: number; backtest: number; differences: unknown[]; minutes: number }> = {};
    for (const s of BUILTINS) {
      const r = await algo(['bot', 'parity', name(s.id), '--date', DATE, '--json'], EVENING);
      const body = JSON.parse(r.stdout || '{}') as { differences?: unknown[]; bot_fills?: number; backtest_fills?: number; minutes?: number };
      results[s.id] = { code: r.code, fills: body.bot_fills ?? -1, backtest: body.backtest_fills ?? -1, differences: body.differences ?? [r.stderr], minutes: body.minutes ?? -1 };
    }
    for (const [id, r] of Object.entries(results)) {
      expect({ id, code: r.code, differences: r.differences }, JSON.stringify(results)).toEqual({ id, code: 0, differences: [] });
      // each built-in trades this day at 1m (tests/integration/bot-parity.test.ts)
      expect(r.fills, id).toBeGreaterThan(0);
      expect(r.fills, id).toBe(r.backtest);
      // the day's 375 minutes, less the few before the runner had the bot in session (its warm-up:
      // some seconds of market time at 600x, more on a loaded machine)
      expect(r.minutes, id).toBeGreaterThanOrEqual(360);
    }
  }, 150_000);
});
