import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { resolveSettings } from '../../src/core/config.js';
import { captureIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { App } from '../../src/tui/App.js';
import { DashboardController } from '../../src/tui/controller.js';
import { loadBackend } from '../../src/tui/data/load-backend.js';
import { themeFor } from '../../src/tui/theme.js';
import { plain, waitForFrame, waitForStdin } from '../helpers/ink.js';
import { freePort } from '../helpers/ports.js';

/**
 * The Strategies tab over the real backend (the sandbox in process, its own SQLite file): pick
 * ema-cross, run its backtest on INFY over the form's default range (the two trading days before
 * Wednesday 2 Dec 2026: Mon 30 Nov and Tue 1 Dec), see the report; the run is kept, so
 * `algo backtest list --json` on the same data folder lists it first, with the hash the screen shows.
 */

const WED = '2026-12-02T18:00:00+05:30';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true, maxRetries: 5 });
});

let redirectPort = '';
async function cli(dir: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  redirectPort ||= String(await freePort());
  const io = captureIo({ ALGO_DATA_DIR: dir, ALGO_CLOCK: WED, ALGO_SANDBOX: '1', NO_COLOR: '1', ALGO_REDIRECT_PORT: redirectPort });
  const code = await runCli(['node', 'algo', ...args], io);
  return { code, out: io.out(), err: io.err() };
}


describe('the dashboard Strategies tab', () => {
  it('runs an ema-cross backtest on INFY from the form, shows the report, and keeps the run as the CLI lists it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-dash-bt-'));
    dirs.push(dir);
    const login = await cli(dir, ['login', '--sandbox', '--user', 'SB0001']);
    expect(login.code, login.err).toBe(0);

    const { settings, file } = resolveSettings({}, { ALGO_DATA_DIR: dir, ALGO_SANDBOX: '1' });
    const clock = new ManualClock(Date.parse(WED));
    const ctx = { settings, configFile: file, clock, forProfile: () => ({ settings, configFile: file, clock }) };
    const backend = await loadBackend(ctx, () => undefined);
    const controller = new DashboardController({ factory: backend.factory, clock, dataDir: dir, profile: settings.profile, warn: () => undefined });
    const ink = render(<App port={controller} clock={clock} theme={themeFor({ NO_COLOR: '1' })} />);
    const frame = () => plain(ink.lastFrame());
    const key = (s: string) => ink.stdin.write(s);
    try {
      await controller.start();
      await waitForStdin(ink.stdin);
      await waitForFrame(frame, 'SB0001', 15_000);
      key('4');
      const list = await waitForFrame(frame, 'Strategies (6)', 10_000);
      expect(list).toMatch(/sma-cross\s+SMA crossover/i);
      expect(list).toContain('Parameters of sma-cross');
      key('j'); // ema-cross, the second built-in
      const ema = await waitForFrame(frame, 'Parameters of ema-cross', 10_000);
      // its schema: the defaults the CLI's --json run reports (fast 9, slow 21, 5m)
      expect(ema).toMatch(/fast\s+9\s+an integer from/);
      expect(ema).toMatch(/slow\s+21\s+an integer from/);
      key('\r');
      const form = await waitForFrame(frame, 'Backtest ema-cross', 10_000);
      expect(form).toMatch(/Symbol\s+NSE:INFY/);
      expect(form).toMatch(/From\s+2026-11-30/);
      expect(form).toMatch(/To\s+2026-12-01/);
      // a bad parameter is refused in the form, naming it; nothing runs
      key('\x1b[A'); // ↑ from Symbol wraps to Params
      await waitForFrame(frame, /› Params/, 10_000);
      key('fast=1');
      key('\r');
      const refused = await waitForFrame(frame, '✖ ', 10_000);
      expect(refused).toMatch(/✖ ema-cross: parameter fast: "1" is not an integer from/);
      key('\x15'); // Ctrl-U: back to the defaults
      await waitForFrame(frame, (f) => !f.includes("✖ ") && /› Params\s+e\.g\./.test(f), 10_000);
      key('\r');
      const report = await waitForFrame(frame, /hash [0-9a-f]{64}/, 60_000);
      expect(report).toMatch(/bt-[0-9a-f]{8} ema-cross v\d+ NSE:INFY 2026-11-30 to 2026-12-01 · qty 1 MIS/);
      expect(report).toMatch(/trades \d+ · win rate [\d.]+% · net P&L [+-]?[\d,.]+ after charges ₹[\d,.]+/);
      expect(report).toMatch(/equity  ₹1,00,000\.00 [▁▂▃▄▅▆▇█]+ ₹[\d,.]+/);
      expect(report).toMatch(/Backtest trades \(\d+\)/);
      const shownHash = /hash ([0-9a-f]{64})/.exec(report)![1]!;
      const shownRun = /(bt-[0-9a-f]{8}) ema-cross/.exec(report)![1]!;

      // the same desk: the CLI lists the run first, with the hash on screen
      const listed = await cli(dir, ['backtest', 'list', '--json']);
      expect(listed.code, listed.err).toBe(0);
      const runs = (JSON.parse(listed.out) as { runs: Array<{ run_id: string; hash: string; strategy: string; trades: number }> }).runs;
      expect(runs[0]).toMatchObject({ run_id: shownRun, hash: shownHash, strategy: 'ema-cross' });
      expect(report).toContain(`Backtest trades (${runs[0]!.trades})`);
      // and the CLI's own run of the same inputs gives the same hash
      const again = await cli(dir, ['backtest', 'run', '--strategy', 'ema-cross', '--symbol', 'INFY', '--from', '2026-11-30', '--to', '2026-12-01', '--json']);
      expect(again.code, again.err).toBe(0);
      expect((JSON.parse(again.out) as { hash: string }).hash).toBe(shownHash);
      // ← back to the list: the keys still work after the run
      key('h');
      await waitForFrame(frame, 'Parameters of ema-cross', 10_000);

      // a longer run (November, 19 sessions, ~0.4 s here in-thread): keys work while it runs (help opens while it
      // is running, closes, tabs switch; the report shows on tab 4 when it ends)
      key('\r');
      await waitForFrame(frame, 'Backtest ema-cross', 10_000);
      key('\t');
      await waitForFrame(frame, /› From/, 10_000);
      key('2026-11-02');
      await waitForFrame(frame, /› From\s+2026-11-02/, 10_000);
      const began = Date.now();
      key('\r');
      await waitForFrame(frame, 'running in the background', 20_000);
      key('?');
      await waitForFrame(frame, 'Keys', 10_000);
      const duringRun = controller.state.backtest.running;
      key('?'); // closes the help
      await waitForFrame(frame, (f) => !f.includes('LIVE means'), 10_000);
      key('1');
      await waitForFrame(frame, /Holdings \(\d+\)/, 10_000);
      key('4');
      const second = await waitForFrame(frame, /hash [0-9a-f]{64}/, 60_000);
      if (process.env.ALGO_TEST_TIMES) console.log(`19 sessions in ${Date.now() - began} ms`);
      expect(duringRun?.label).toBe('ema-cross NSE:INFY 2026-11-02 to 2026-12-01');
      expect(second).toMatch(/NSE:INFY 2026-11-02 to 2026-12-01/);
    } finally {
      ink.unmount();
      await controller.stop();
      await backend.close();
    }
  }, 120_000);
});
