import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

/** `algo backtest run` with the Runner's risk flags, in process against the sandbox (clock: 2 Dec 2026, after the close). */
const CLOCK = '2026-12-02T18:00:00+05:30';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-backtest-risk-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 }));

async function algo(args: string[]) {
  const io = captureIo({ ...process.env, NO_COLOR: '1', ALGO_DATA_DIR: tmp, ALGO_CLOCK: CLOCK });
  const code = await runCli(['node', 'algo', ...args, '--profile', 'asha'], io);
  return { code, out: io.out(), err: io.err() };
}

const EMA = ['backtest', 'run', '--strategy', 'ema-cross', '--param', 'timeframe=1m', '--param', 'allowShort=true', '--symbol', 'INFY', '--from', '2026-11-25', '--qty', '10'];

interface Trade {
  exit_time: string;
  exit_reason: string;
}
interface RunJson {
  trades: Trade[];
  blocked?: Array<{ reason: string }>;
}

async function run(flags: string[] = []): Promise<RunJson> {
  const r = await algo([...EMA, ...flags, '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as RunJson;
}

let plain: RunJson;
beforeAll(async () => {
  const r = await algo(['login', '--sandbox', '--user', 'SB0001']);
  expect(r.code, r.err).toBe(0);
  plain = await run();
  expect(plain.trades.length).toBeGreaterThan(2);
});

describe('algo backtest run: risk flags', () => {
  it('--max-qty below the entry size refuses every entry', async () => {
    expect((await run(['--max-qty', '5'])).trades).toEqual([]);
    expect((await run(['--max-qty', '10'])).trades).toEqual(plain.trades);
  });

  it('--square-off 14:00 exits at 14:00 and enters no more; --no-entries-after 13:00 keeps the earlier entries', async () => {
    // plain: four round trips, the last squared off by the engine at 15:20
    expect(plain.trades.map((t) => t.exit_reason)).toEqual(['signal', 'signal', 'signal', 'square-off']);
    const two = await run(['--square-off', '14:00']);
    expect(two.trades.map((t) => [t.exit_time, t.exit_reason])).toEqual([...plain.trades.slice(0, 2).map((t) => [t.exit_time, t.exit_reason]), ['2026-11-25 14:00:00', 'square-off-time']]);
    expect((await run(['--no-entries-after', '13:00'])).trades).toEqual(plain.trades.slice(0, 2));
  });

  it('--max-orders-day, --max-exposure, --max-loss-day (block, or :halt) and --cooldown are taken', async () => {
    expect((await run(['--max-orders-day', '1'])).trades).toHaveLength(1);
    expect((await run(['--max-exposure', '100'])).trades).toEqual([]);
    expect((await run(['--max-loss-day', '1'])).trades).toEqual(plain.trades.slice(0, 1));
    expect((await run(['--max-loss-day', '1:halt'])).trades.map((t) => t.exit_reason)).toEqual(['max-loss']);
    // the crosses here reverse in one order each: no bar passes flat, so a cooldown changes nothing
    expect((await run(['--cooldown', '30'])).trades).toEqual(plain.trades);
  });

  it.each([
    [['--max-qty', 'ten'], '--max-qty "ten" is not a valid value; give a whole number of shares, e.g. --max-qty 50'],
    [['--square-off', '15:25'], '--square-off "15:25" is not a valid value; give an IST time before 15:20, e.g. --square-off 15:00'],
    [['--no-entries-after', '9am'], '--no-entries-after "9am" is not a valid value; give an IST time, e.g. --no-entries-after 14:30'],
    [['--max-loss-day', '2000:stop'], '--max-loss-day "2000:stop" is not a valid value; give rupees, and :halt to exit everything and stop, e.g. --max-loss-day 2000 or --max-loss-day 2000:halt'],
    [['--max-exposure', '-5'], '--max-exposure "-5" is not a valid value; give rupees, e.g. --max-exposure 200000'],
    [['--cooldown', '1.5'], '--cooldown "1.5" is not a valid value; give a whole number of strategy bars, e.g. --cooldown 3'],
    [['--max-orders-day', '0'], '--max-orders-day "0" is not a valid value; give a whole number of entries a day, e.g. --max-orders-day 10'],
  ])('%j is one line, exit 2', async (flags, line) => {
    const r = await algo([...EMA, ...flags]);
    expect({ code: r.code, err: r.err, out: r.out }).toEqual({ code: 2, err: `algo: ${line}\n`, out: '' });
  });
});
