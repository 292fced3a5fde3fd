import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { resolveSettings } from '../../src/core/config.js';
import { formatINR, formatPrice } from '../../src/core/money.js';
import { captureIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { App } from '../../src/tui/App.js';
import { DashboardController } from '../../src/tui/controller.js';
import { loadBackend } from '../../src/tui/data/load-backend.js';
import { themeFor } from '../../src/tui/theme.js';
import { plain, waitForFrame, waitForStdin } from '../helpers/ink.js';
import { freePort } from '../helpers/ports.js';

/**
 * One view of the account: a CNC buy on Wednesday is a holding on Thursday, in the dashboard (the
 * real App over the real backend and the sandbox, its own SQLite file) as in `algo paper holdings`;
 * Paper positions does not list it, x on it says to sell it (nothing is placed), and Wednesday's
 * trade shows its date.
 */

const WED = '2026-11-25T10:00:00+05:30'; // a trading day (24 Nov 2026 is an NSE holiday)
const THU = '2026-11-26T10:00:00+05:30';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

let redirectPort = '';

async function cli(dir: string, args: string[], clock: string): Promise<{ code: number; out: string; err: string }> {
  // a sign-in listens on the redirect port: a free one, not the default another test may hold
  redirectPort ||= String(await freePort());
  const io = captureIo({ ALGO_DATA_DIR: dir, ALGO_CLOCK: clock, ALGO_SANDBOX: '1', NO_COLOR: '1', ALGO_REDIRECT_PORT: redirectPort });
  const code = await runCli(['node', 'algo', ...args], io);
  return { code, out: io.out(), err: io.err() };
}


describe('the dashboard the day after a delivery buy', () => {
  it('lists it under Paper holdings (as `algo paper holdings` does), not positions; x says to sell it; the trade shows its date', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-holdings-'));
    dirs.push(dir);
    const first = await cli(dir, ['login', '--sandbox', '--user', 'SB0001'], WED);
    expect(first.code, first.err).toBe(0);
    const buy = await cli(dir, ['paper', 'buy', 'INFY', '10', '--json'], WED); // CNC, the default product
    expect(buy.code, buy.err).toBe(0);
    const bought = JSON.parse(buy.out) as { status: string; average_price: number; product: string };
    expect([bought.status, bought.product]).toEqual(['COMPLETE', 'CNC']);
    // Thursday: a new day's session, and what the CLI lists
    const again = await cli(dir, ['login', '--sandbox', '--user', 'SB0001'], THU);
    expect(again.code, again.err).toBe(0);
    const listed = await cli(dir, ['paper', 'holdings', '--json'], THU);
    expect(listed.code, listed.err).toBe(0);
    const holdings = JSON.parse(listed.out) as Array<{ tradingsymbol: string; quantity: number; average_price: number; product: string; last_price: number; pnl: number; day_change: number }>;
    expect(holdings).toEqual([expect.objectContaining({ tradingsymbol: 'INFY', quantity: 10, product: 'CNC', average_price: bought.average_price })]);
    const positions = JSON.parse((await cli(dir, ['paper', 'positions', '--json'], THU)).out) as { net: unknown[] };
    expect(positions.net).toEqual([]);

    const { settings, file } = resolveSettings({}, { ALGO_DATA_DIR: dir, ALGO_SANDBOX: '1' });
    const clock = new ManualClock(Date.parse(THU));
    const ctx = { settings, configFile: file, clock, forProfile: () => ({ settings, configFile: file, clock }) };
    const backend = await loadBackend(ctx, () => undefined);
    const controller = new DashboardController({ factory: backend.factory, clock, dataDir: dir, profile: settings.profile, warn: () => undefined });
    const ink = render(<App port={controller} clock={clock} theme={themeFor({ NO_COLOR: '1' })} />);
    const frame = () => plain(ink.lastFrame());
    try {
      await controller.start();
      await waitForStdin(ink.stdin);
      await waitForFrame(frame, 'SB0001', 15_000);
      ink.stdin.write('2');
      // the CLI's row, to the paisa, in the holdings table (its day change per share x 10 shares); nothing under positions
      const h = holdings[0]!;
      const paise = (rupees: number) => Math.round(rupees * 100);
      const cells = [formatPrice(paise(h.average_price)), formatPrice(paise(h.last_price)), formatINR(paise(h.pnl), { symbol: false, sign: true }), formatINR(paise(h.day_change) * 10, { symbol: false, sign: true })];
      const row = new RegExp(`INFY\\s+10\\s+${cells.map((c) => c.replace(/[.+]/g, '\\$&')).join('\\s+')}\\s`);
      const paper = await waitForFrame(frame, (f) => f.includes('Paper holdings (1)') && row.test(f), 15_000);
      expect(paper).toContain('Paper positions (0)');
      expect(paper).toMatch(/Paper holdings \(1\)\nSymbol\s+Qty\s+Avg\s+LTP\s+P&L\s+Day chg\n/);
      // Wednesday's fill, dated; today's orders list has nothing from Wednesday
      expect(paper).toMatch(/^25 Nov 10:00\s+BUY\s+INFY\s+10\s/m);
      expect(paper).toContain('Paper orders (0)');
      // x on the holding: no order, and what to do instead
      ink.stdin.write('l');
      await waitForFrame(frame, '▸ Paper holdings', 10_000);
      ink.stdin.write('x');
      await waitForFrame(frame, 'INFY is a holding: x squares off positions only; to exit, sell it (s)', 10_000);
      const orders = JSON.parse((await cli(dir, ['paper', 'orders', '--all', '--json'], THU)).out) as unknown[];
      expect(orders).toHaveLength(1); // Wednesday's buy alone
      // s on it opens the sell of the whole holding, as delivery
      ink.stdin.write('s');
      const form = await waitForFrame(frame, 'Paper SELL', 10_000);
      expect(form).toMatch(/Symbol\s+NSE:INFY/);
      expect(form).toMatch(/Quantity\s+10/);
      expect(form).toMatch(/Product\s+‹ CNC ›/);
    } finally {
      ink.unmount();
      await controller.stop();
      await backend.close();
    }
  }, 90_000);
});
