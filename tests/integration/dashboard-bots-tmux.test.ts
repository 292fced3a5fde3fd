import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, tempDataDir } from '../helpers/cli.js';
import { TmuxPane } from '../helpers/tmux.js';

/**
 * The Bots tab in a real terminal (tmux, 120x30) on a sandbox profile: the desk the dashboard opens
 * for the profile (openProfileBots), a bot started by the CLI meanwhile showing within the 1 s
 * poll and taken by the dashboard's own runner (its lease released on q), p refused in the desk's
 * words, and K y stopping every bot as the CLI then reads it.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const CLOCK = '2026-11-25T10:00:00+05:30';
const env = { ALGO_CLOCK: CLOCK };
let dataDir: string;
let pane: TmuxPane | null = null;

beforeAll(async () => {
  ensureBuilt();
  dataDir = tempDataDir('algo-dash-bots-');
  expect((await runCli(['login', '--sandbox', '--user', 'SB0001', '--profile', 'demo'], { dataDir, env })).code).toBe(0);
  for (const args of [
    ['bot', 'create', 'orb-infy', '--strategy', 'orb', '--symbol', 'INFY', '--qty', '10', '--max-loss-day', '2000'],
    ['bot', 'create', 'ema-tcs', '--strategy', 'ema-cross', '--symbol', 'TCS', '--qty', '5'],
  ]) {
    const r = await runCli([...args, '--profile', 'demo'], { dataDir, env });
    expect(r.code, r.stderr).toBe(0);
  }
}, 180_000); // ensureBuilt may have to build dist/ first

afterAll(() => {
  pane?.kill();
  fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

describe('the Bots tab in a terminal', () => {
  it('lists the profile’s bots, follows the CLI, and its keys reach the store', async () => {
    pane = TmuxPane.start({
      argv: [process.execPath, path.join(root, 'dist', 'cli', 'main.js'), '--sandbox', '--profile', 'demo'],
      cwd: root,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', TERM: 'tmux-256color', LANG: 'C.UTF-8', ALGO_DATA_DIR: dataDir, ALGO_CLOCK: CLOCK },
      width: 120,
      height: 30,
    });
    await pane.waitFor('SB0001', 30_000);
    pane.keys('5');
    await pane.waitFor(/orb-infy\s+orb\s+NSE:INFY\s+stopped\s+flat\s+0\.00\s+-\s+SQ 15:10 MAXLOSS ₹2,000\.00/, 15_000);

    expect((await runCli(['bot', 'start', 'orb-infy', '--profile', 'demo'], { dataDir, env })).code).toBe(0);
    // the dashboard's own runner takes the started bot (issue 14)
    await pane.waitFor(/orb-infy\s+orb\s+NSE:INFY\s+running/, 5000);
    const held = JSON.parse((await runCli(['bot', 'show', 'orb-infy', '--profile', 'demo', '--json'], { dataDir, env })).stdout) as { runner: { holder: string } | null };
    expect(held.runner?.holder).toMatch(/:\d+:[0-9a-f]{6}$/);

    pane.keys('p'); // the selected one is ema-tcs (by name), which is stopped
    await pane.waitFor('bot ema-tcs is stopped; there is nothing to pause; start it: algo bot start ema-tcs');

    pane.keys('K');
    await pane.waitFor('kill switch: flatten and stop all 2 bots, entries blocked? y/n');
    pane.keys('y');
    await pane.waitFor('kill switch: 2 bots stopping, entries blocked');
    const list = await runCli(['bot', 'list', '--profile', 'demo', '--json'], { dataDir, env });
    const { bots } = JSON.parse(list.stdout) as { bots: Array<{ name: string; desired: string; entries_blocked: boolean }> };
    expect(bots.map((b) => [b.name, b.desired, b.entries_blocked])).toEqual([
      ['ema-tcs', 'stopped', true],
      ['orb-infy', 'stopped', true],
    ]);
    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
    const after = JSON.parse((await runCli(['bot', 'show', 'orb-infy', '--profile', 'demo', '--json'], { dataDir, env })).stdout) as { runner: unknown };
    expect(after.runner).toBeNull();
  }, 90_000);
});
