import fs from 'node:fs';
import path from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { saveProfile } from '../../src/core/auth/profiles.js';
import { issueSandboxToken } from '../../src/core/auth/sandbox-signin.js';
import { createSession, readSession, writeSession } from '../../src/core/auth/sessions.js';
import { ManualClock } from '../../src/core/clock.js';
import { resolveSettings } from '../../src/core/config.js';
import { PaperService } from '../../src/core/paper/service.js';
import { openStore } from '../../src/core/store/open.js';
import { captureIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { createMarket } from '../../src/sandbox/market.js';
import { App } from '../../src/tui/App.js';
import { DashboardController } from '../../src/tui/controller.js';
import { loadBackend, type DashboardContext } from '../../src/tui/data/load-backend.js';
import { themeFor } from '../../src/tui/theme.js';
import { plain, waitForFrame, waitForStdin } from '../helpers/ink.js';
import { freePort } from '../helpers/ports.js';
import { loginViaPage, startTestSandbox, tempDataDir, type TestSandbox } from '../helpers/sandbox.js';

/**
 * The dashboard at a session's 06:00 IST expiry, over the real backend (src/tui/data/load-backend,
 * src/app, the real sandbox and SQLite store) and the real screen (ink-testing-library): a sandbox
 * session renews itself in place; a live one shows the expiry once, keeps the paper account on
 * screen, takes no orders, and signs in again with L in the browser (here: the test, on the login
 * page of a sandbox that plays Kite).
 */

const quiet = (): void => undefined;
const WAIT = 15_000;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dataDir(): string {
  const d = tempDataDir('algo-dash-session-');
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

/** The dashboard as `algo` starts it, on env and a clock of the test's own. */
async function dashboard(env: Record<string, string>, clock: ManualClock, openUrl?: (url: string) => Promise<void>) {
  const { settings, file } = resolveSettings({}, env);
  const ctx: DashboardContext = {
    settings,
    configFile: file,
    clock,
    forProfile: (profile) => {
      const r = resolveSettings({ profile }, env);
      return { settings: r.settings, configFile: r.file, clock };
    },
  };
  const backend = await loadBackend(ctx, quiet, openUrl ? { openUrl } : {});
  const controller = new DashboardController({ factory: backend.factory, clock, dataDir: settings.dataDir, profile: settings.profile, warn: quiet, refreshMs: 3_600_000 });
  const ink = render(<App port={controller} clock={clock} theme={themeFor({ NO_COLOR: '1' })} />);
  cleanups.push(async () => {
    ink.unmount();
    await controller.stop();
    await backend.close();
  });
  const frame = () => plain(ink.lastFrame());
  await controller.start();
  await waitForStdin(ink.stdin);
  return { controller, ink, frame, key: (k: string) => ink.stdin.write(k), settings };
}

describe('a sandbox session at 06:00 IST in the dashboard', () => {
  it('renews itself in place: no expiry on screen, the portfolio and paper orders go on', async () => {
    const dir = dataDir();
    const env = { ALGO_DATA_DIR: dir, ALGO_ALWAYS_OPEN: '1' };
    const io = captureIo({ ...env, ALGO_CLOCK: '2026-01-07T14:00:00+05:30', NO_COLOR: '1' });
    expect(await runCli(['node', 'algo', 'login', '--sandbox', '--user', 'SB0001', '--profile', 'sb', '--port', '0'], io), io.err()).toBe(0);

    const clock = new ManualClock(Date.parse('2026-01-08T05:59:30+05:30'));
    const d = await dashboard(env, clock);
    await waitForFrame(d.frame, (f) => f.includes('Holdings (') && !f.includes('loading'), WAIT);
    const before = readSession(dir, 'SB0001', quiet)!;
    expect(before.expires_at).toBe('2026-01-08T06:00:00+05:30');

    clock.set(Date.parse('2026-01-08T06:00:05+05:30'));
    d.key('r'); // the sandbox refuses the old token now; the dashboard renews it and opens again
    await waitForFrame(d.frame, () => readSession(dir, 'SB0001', quiet)!.expires_at === '2026-01-09T06:00:00+05:30', WAIT);
    await waitForFrame(d.frame, (f) => f.includes('Holdings (4)') && !f.includes('loading'), WAIT);
    expect(d.frame()).not.toMatch(/expired|sign in again|signed out/);

    d.key('2');
    await waitForFrame(d.frame, 'Paper positions', WAIT);
    d.key('b');
    await waitForFrame(d.frame, 'Paper BUY', WAIT);
    d.key('INFY');
    d.key('\r');
    // the order's row in Paper orders (the status line's "paper order ... COMPLETE" may already be replaced by
    // the refresh's "refreshed" when the machine is slow)
    await waitForFrame(d.frame, /BUY\s+INFY\s+MARKET CNC\s+1\/1\s+[\d,]+\.\d\d\s+COMPLETE/, WAIT);
  }, 60_000);
});

describe('a sandbox session issued on another data folder, in the dashboard', () => {
  it('says so (not "expired") once, and L signs in again here', async () => {
    const dir = dataDir();
    const env = { ALGO_DATA_DIR: dir, ALGO_ALWAYS_OPEN: '1' };
    const at = Date.parse('2026-01-07T14:00:00+05:30');
    // What `algo login` against an `algo sandbox` on another folder leaves: a token that folder's key signed.
    await saveProfile(dir, 'sb', { apiKey: 'sandbox_api_key', sandbox: true, userId: 'SB0001' });
    const foreign = issueSandboxToken(Buffer.alloc(32, 9), 'SB0001', 'sandbox_api_key', at);
    await writeSession(dir, createSession({ user_id: 'SB0001', user_name: 'Asha Rao', api_key: 'sandbox_api_key', access_token: foreign, loginTime: at, sandbox: true, profile: 'sb' }), quiet);
    const d = await dashboard(env, new ManualClock(at + 60_000));
    const f = await waitForFrame(d.frame, (s) => s.replace(/\n/g, '').includes('press L to sign in again'), WAIT);
    expect(f.replace(/\n/g, '')).toContain('the session of profile sb (valid until 2026-01-08 06:00:00 IST) was issued by a sandbox on another data folder');
    expect(f).not.toContain('expired');
    d.key('L');
    await waitForFrame(d.frame, 'signed profile sb in again as SB0001', WAIT);
    await waitForFrame(d.frame, (s) => s.includes('Holdings (4)') && !s.includes('another data folder'), WAIT);
    expect(readSession(dir, 'SB0001', quiet)!.access_token).not.toBe(foreign);
  }, 60_000);
});

describe('a live session at 06:00 IST in the dashboard', () => {
  async function liveDesk(): Promise<{ sandbox: TestSandbox; env: Record<string, string>; dir: string; port: number }> {
    const AT = Date.parse('2026-01-07T10:00:00+05:30'); // a trading morning, after the 06:00 expiry
    const sandbox = await startTestSandbox({ at: AT });
    cleanups.push(() => sandbox.close());
    const dir = dataDir();
    const port = await freePort();
    const env = {
      ALGO_DATA_DIR: dir,
      KITE_API_ROOT: sandbox.handle.apiRoot,
      KITE_LOGIN_URL: sandbox.handle.loginUrl,
      KITE_TICKER_URL: sandbox.handle.tickerUrl,
      ALGO_REDIRECT_PORT: String(port),
    };
    // A live profile (the sandbox plays Kite) whose session ended at 06:00 today...
    await saveProfile(dir, 'work', { apiKey: 'sandbox_api_key', apiSecret: 'sandbox_api_secret', userId: 'SB0001' });
    const yesterday = Date.parse('2026-01-06T15:00:00+05:30');
    await writeSession(dir, createSession({ user_id: 'SB0001', user_name: 'Asha Rao', api_key: 'sandbox_api_key', access_token: 'yesterdays-token-abcdef', loginTime: yesterday, sandbox: false, profile: 'work' }), quiet);
    // ...and a paper holding from yesterday's trading.
    const store = await openStore(`sqlite:${path.join(dir, 'algo.db')}`);
    try {
      const clock = new ManualClock(yesterday);
      const engine = new PaperService({ store, market: new SandboxMarketData(createMarket(), clock), clock });
      const o = await engine.place('SB0001', { exchange: 'NSE', tradingsymbol: 'SBIN', transaction_type: 'BUY', quantity: 7, order_type: 'MARKET', product: 'CNC', validity: 'DAY' });
      expect(o.status, o.status_message ?? '').toBe('COMPLETE');
    } finally {
      await store.close();
    }
    sandbox.clock.set(AT);
    return { sandbox, env, dir, port };
  }

  it('shows the expiry once, keeps the paper account on screen, takes no orders, and L signs in again in the browser', async () => {
    const { sandbox, env, dir, port } = await liveDesk();
    const opened: string[] = [];
    const d = await dashboard(env, new ManualClock(Date.parse('2026-01-07T10:00:00+05:30')), async (url) => void opened.push(url));
    const expiry = 'session for work expired at 2026-01-07 06:00:00 IST; run `algo login --profile work`';
    d.key('2');
    const f = await waitForFrame(d.frame, /Paper holdings \(1\)\n.*\nSBIN\s+7\s/, WAIT); // yesterday's CNC buy is a holding today
    expect(f.split('session for work expired')).toHaveLength(2);
    expect(f.replace(/\n/g, '')).toContain(expiry);
    expect(f).toContain('profile work is signed out: press L to sign in again, or p to switch profile');
    expect(f).not.toMatch(/loading|no paper holdings/);
    expect(f).toContain('SB0001');

    // No order while signed out: the key says so, and nothing is stored.
    d.key('b');
    await waitForFrame(d.frame, 'signed out: no paper orders until the profile signs in again; press L to sign in', WAIT);
    expect(d.frame()).not.toContain('Paper BUY');

    d.key('L');
    await waitForFrame(d.frame, 'sign in to Kite for profile work in the browser', WAIT);
    expect(opened).toHaveLength(1);
    const loginUrl = new URL(opened[0]!);
    expect(loginUrl.origin + loginUrl.pathname).toBe(sandbox.handle.loginUrl);
    // The person signs in in the browser; Kite sends the browser to the app's redirect, on the listener's port.
    const page = await loginViaPage(sandbox.handle, 'SB0001', { redirectParams: loginUrl.searchParams.get('redirect_params')! });
    const landed = page.location!;
    landed.port = String(port);
    expect((await fetch(landed)).status).toBe(200);

    await waitForFrame(d.frame, 'signed profile work in again as SB0001', WAIT);
    await waitForFrame(d.frame, (s) => !s.includes('expired') && /Paper holdings \(1\)\n.*\nSBIN\s+7\s+[\d,]+\.\d\d\s+[\d,]+\.\d\d\s/.test(s), WAIT); // priced again
    expect(readSession(dir, 'SB0001', quiet)).toMatchObject({ sandbox: false, expires_at: '2026-01-08T06:00:00+05:30' });
    d.key('b');
    await waitForFrame(d.frame, 'Paper BUY', WAIT);
  }, 60_000);

  it('Esc stops a browser sign-in; the profile stays signed out', async () => {
    const { env } = await liveDesk();
    const d = await dashboard(env, new ManualClock(Date.parse('2026-01-07T10:00:00+05:30')), async () => undefined);
    await waitForFrame(d.frame, 'press L to sign in again', WAIT);
    d.key('L');
    await waitForFrame(d.frame, 'sign in to Kite for profile work in the browser', WAIT);
    d.key('\x1b');
    await waitForFrame(d.frame, 'sign-in stopped', WAIT);
    expect(d.frame().replace(/\n/g, '')).toContain('press L to sign in again');
  }, 60_000);
});
