import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

/** `algo bot create|edit` with the Runner's risk flags, in process on the SQLite store of a temp folder (sandbox, 2 Dec 2026 10:00 IST). */
const CLOCK = '2026-12-02T10:00:00+05:30';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bot-risk-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 }));

async function algo(args: string[]) {
  const io = captureIo({ ...process.env, NO_COLOR: '1', ALGO_DATA_DIR: tmp, ALGO_CLOCK: CLOCK });
  const code = await runCli(['node', 'algo', ...args, '--profile', 'asha'], io);
  return { code, out: io.out(), err: io.err() };
}

async function ok(args: string[]): Promise<string> {
  const r = await algo(args);
  expect(r.code, r.err).toBe(0);
  return r.out;
}

const riskJson = async (name: string): Promise<Record<string, unknown>> => (JSON.parse(await ok(['bot', 'show', name, '--json'])) as { risk: Record<string, unknown> }).risk;

const BOT = ['bot', 'create', 'orb-infy', '--strategy', 'orb', '--symbol', 'INFY', '--qty', '10'];
const BACKTEST = ['backtest', 'run', '--strategy', 'orb', '--symbol', 'INFY', '--from', '2026-11-25', '--qty', '10'];
const FLAGS = ['--no-entries-after', '14:30', '--max-qty', '50', '--max-exposure', '200000', '--max-loss-day', '2000:halt', '--cooldown', '3'];

beforeAll(async () => {
  await ok(['login', '--sandbox', '--user', 'SB0001']);
});

describe('algo bot create|edit: the risk flags of algo backtest run', () => {
  it.each([
    [['--no-entries-after', '9am']],
    [['--max-qty', 'ten']],
    [['--max-exposure', '-5']],
    [['--max-loss-day', '2000:stop']],
    [['--cooldown', '1.5']],
  ])('%j: the backtest command\'s one line, exit 2, nothing stored', async (flags) => {
    const bot = await algo([...BOT, ...flags]);
    const backtest = await algo([...BACKTEST, ...flags]);
    expect(bot.err).toMatch(new RegExp(`^algo: ${flags[0]} "[^"]+" is not a valid value; give .*\\n$`));
    expect({ code: bot.code, err: bot.err, out: bot.out }).toEqual({ code: 2, err: backtest.err, out: '' });
    expect(backtest.code).toBe(2);
    expect(await ok(['bot', 'list', '--json'])).toContain('"bots": []');
  });

  it('create stores them; show and --json print them; edit keeps the rest; off clears', async () => {
    expect(await ok([...BOT, ...FLAGS])).toContain('created bot orb-infy');
    expect(await riskJson('orb-infy')).toMatchObject({ no_entries_after: '14:30', max_qty: 50, max_exposure: 200000, max_loss_day: 2000, max_loss_day_action: 'halt', cooldown: 3 });
    const show = await ok(['bot', 'show', 'orb-infy']);
    expect(show).toContain('no entries after  14:30 IST\n');
    expect(show).toContain('max loss/day      ₹2,000.00 (then exit everything, no more entries)\n');
    await ok(['bot', 'edit', 'orb-infy', '--max-loss-day', '1500', '--max-qty', '20']);
    expect(await riskJson('orb-infy')).toMatchObject({ no_entries_after: '14:30', max_qty: 20, max_exposure: 200000, max_loss_day: 1500, max_loss_day_action: 'block', cooldown: 3 });
    await ok(['bot', 'edit', 'orb-infy', '--no-entries-after', 'off', '--max-qty', 'off', '--max-exposure', 'off', '--max-loss-day', 'off', '--cooldown', 'off']);
    expect(await riskJson('orb-infy')).toMatchObject({ no_entries_after: null, max_qty: null, max_exposure: null, max_loss_day: null, max_loss_day_action: null, cooldown: null, square_off: '15:10' });
  });
});
