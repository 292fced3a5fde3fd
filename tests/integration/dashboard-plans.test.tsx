import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { resolveSettings } from '../../src/core/config.js';
import { captureIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { App } from '../../src/tui/App.js';
import { DashboardController, NO_LIVE_PRICES } from '../../src/tui/controller.js';
import { loadBackend } from '../../src/tui/data/load-backend.js';
import { themeFor } from '../../src/tui/theme.js';
import { waitForFrame, waitForStdin } from '../helpers/ink.js';
import { MARKET_OPEN } from '../helpers/server.js';

/**
 * The dashboard's first frame on each Kite Connect plan the sandbox imitates (the real backend:
 * the in-process sandbox on that plan, over HTTP with kiteconnect): the desk and the paper account
 * come up on every plan, and an app without market data says so once instead of calling a valid
 * session refused.
 */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function open(plan: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-dash-plan-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  const env = { ALGO_DATA_DIR: dir, ALGO_SANDBOX: '1', ALGO_SANDBOX_PLAN: plan, ALGO_CLOCK: new Date(MARKET_OPEN).toISOString() };
  const io = captureIo(env);
  expect(await runCli(['node', 'algo', 'login', '--sandbox', '--user', 'SB0001'], io), io.err()).toBe(0);
  const { settings, file } = resolveSettings({}, env);
  const clock = new ManualClock(MARKET_OPEN);
  const ctx = { settings, configFile: file, clock, forProfile: () => ({ settings, configFile: file, clock }) };
  const backend = await loadBackend(ctx, () => undefined);
  const controller = new DashboardController({ factory: backend.factory, clock, dataDir: dir, profile: settings.profile, warn: () => undefined });
  const ink = render(<App port={controller} clock={clock} theme={themeFor({ NO_COLOR: '1' })} />);
  cleanups.push(async () => {
    ink.unmount();
    await controller.stop();
    await backend.close();
  });
  await controller.start();
  await waitForStdin(ink.stdin);
  return ink;
}

describe('the dashboard on every plan', () => {
  it.each(['connect', 'no-historical', 'personal'])('%s: the desk and the paper account come up, and nothing is called what it is not', async (plan) => {
    const ink = await open(plan);
    const plain = () => (ink.lastFrame() ?? '').replace(/\x1b\[[0-9;]*m/g, '');
    await waitForFrame(plain, 'SB0001', 20_000);
    ink.stdin.write('2');
    await waitForFrame(plain, /Equity ₹1,00,000\.00/, 20_000);
    if (plan === 'personal') await waitForFrame(plain, NO_LIVE_PRICES, 20_000);
    else expect(plain()).not.toContain(NO_LIVE_PRICES);
    expect(plain()).not.toMatch(/Insufficient permission|signed out|expired|session refused/i);
  });
});
