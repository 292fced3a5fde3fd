import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, tempDataDir } from '../helpers/cli.js';
import { TmuxPane } from '../helpers/tmux.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { PaperService } from '../../src/core/paper/service.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { createMarket } from '../../src/sandbox/market.js';
import { saveProfile } from '../../src/core/auth/profiles.js';
import { createSession, writeSession } from '../../src/core/auth/sessions.js';

/**
 * The dashboard in a real terminal (tmux, 120x40) against the in-process sandbox, driven from
 * the keyboard: tabs, a paper buy, the profile switcher, quit with a restored terminal.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const CLOCK = '2026-11-25T10:00:00+05:30'; // a Wednesday, market open

let dataDir: string;
let pane: TmuxPane | null = null;
const dirs: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  dataDir = tempDataDir('algo-dash-');
  dirs.push(dataDir);
  const env = { ALGO_CLOCK: CLOCK };
  for (const [user, profile] of [['SB0001', 'demo'], ['SB0002', 'other']] as const) {
    const r = await runCli(['login', '--sandbox', '--user', user, '--profile', profile], { dataDir, env });
    expect(r.code, r.stderr).toBe(0);
  }
}, 180_000); // ensureBuilt may have to build dist/ first

afterAll(() => {
  pane?.kill();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

function startDashboard(profile: string, clock = CLOCK): TmuxPane {
  pane?.kill();
  pane = TmuxPane.start({
    argv: [process.execPath, path.join(root, 'dist', 'cli', 'main.js'), '--sandbox', '--profile', profile],
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', TERM: 'tmux-256color', LANG: 'C.UTF-8', ALGO_DATA_DIR: dataDir, ALGO_CLOCK: clock },
    width: 120,
    height: 40,
  });
  return pane;
}

describe('algo (the dashboard) in a terminal', () => {
  it('shows the account, places a paper buy from the keyboard, switches profile and quits cleanly', async () => {
    const pane = startDashboard('demo');
    const first = await pane.waitFor((s) => s.includes('SB0001') && s.includes('Holdings (') && !s.includes('loading'), 30_000);
    expect(first).toContain('SANDBOX');
    expect(first).toContain('OPEN closes in 5h 30m');
    expect(first).toContain('10:00:00 IST');

    pane.keys('2');
    await pane.waitFor('Paper positions');
    pane.keys('3');
    await pane.waitFor('Watchlist (');
    pane.keys('2');
    await pane.waitFor(/Equity ₹1,00,000\.00/);

    pane.keys('b');
    await pane.waitFor('Paper BUY');
    pane.type('INFY');
    pane.keys('Tab');
    pane.keys('BSpace');
    pane.type('3');
    await pane.waitFor(/› Quantity\s+3\b/);
    pane.keys('Enter');
    const placed = await pane.waitFor((s) => /BUY\s+INFY\s+MARKET CNC\s+3\/3/.test(s) && /paper order \S+ BUY 3 INFY COMPLETE/.test(s));
    expect(placed).not.toContain('Paper BUY');
    expect(placed).toMatch(/INFY\s+CNC\s+3\s/);

    // The order is in the paper account, as `algo paper orders` sees it from another process.
    const listed = await runCli(['paper', 'orders', '--json', '--profile', 'demo'], { dataDir, env: { ALGO_CLOCK: CLOCK } });
    expect(listed.code, listed.stderr).toBe(0);
    const orders = JSON.parse(listed.stdout) as Array<{ order_id: string; tradingsymbol: string; transaction_type: string; quantity: number; status: string }>;
    expect(orders.map((o) => [o.tradingsymbol, o.transaction_type, o.quantity, o.status])).toEqual([['INFY', 'BUY', 3, 'COMPLETE']]);
    expect(placed).toContain(orders[0]!.order_id);

    const store = openSqliteStore(path.join(dataDir, 'algo.db'));
    try {

      // Another process (this test) places a resting order on the same account: it shows up by itself.
      const clock = new ManualClock(Date.parse(CLOCK));
      const other = new PaperService({ store, market: new SandboxMarketData(createMarket(), clock), clock });
      const resting = await other.place('SB0001', {
        exchange: 'NSE', tradingsymbol: 'TCS', transaction_type: 'BUY', quantity: 1, order_type: 'LIMIT', product: 'CNC', price: 280_000, validity: 'DAY',
      });
      expect(resting.status, resting.status_message ?? '').toBe('OPEN');
      await pane.waitFor(new RegExp(`${resting.order_id}\\s+BUY\\s+TCS\\s+LIMIT CNC\\s+0/1\\s+2,800\\.00\\s+OPEN`), 5000);

      // ...and the keyboard cancels it: → past the holdings to the orders table (open orders first), c.
      pane.keys('l');
      await pane.waitFor('▸ Paper holdings');
      pane.keys('l');
      await pane.waitFor('▸ Paper orders');
      pane.keys('c');
      await pane.waitFor(new RegExp(`cancelled ${resting.order_id} BUY 1 TCS CANCELLED`));
      expect((await store.order('SB0001', resting.order_id))!.status).toBe('CANCELLED');
    } finally {
      await store.close();
    }

    pane.keys('p');
    await pane.waitFor('Profiles');
    expect(pane.screen()).toMatch(/other\s+SB0002\s+signed in/);
    pane.keys('j', 'Enter');
    const switched = await pane.waitFor((s) => /SANDBOX\s+other SB0002/.test(s) && s.includes('Equity ₹1,00,000.00'), 30_000);
    expect(switched).not.toContain('SB0001');

    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
    expect(pane.alternateScreen()).toBe(false);
    expect(pane.cursorVisible()).toBe(true);
  }, 90_000);

  it('restores the terminal on Ctrl-C', async () => {
    const pane = startDashboard('other');
    await pane.waitFor('SB0002', 15_000);
    pane.keys('C-c');
    expect(await pane.waitForExit()).toBe(0);
    expect(pane.alternateScreen()).toBe(false);
    expect(pane.cursorVisible()).toBe(true);
  }, 30_000);

  it('a sandbox session that expired overnight renews itself: the desk opens as usual', async () => {
    const pane = startDashboard('other', '2026-11-26T07:00:00+05:30');
    const screen = await pane.waitFor((s) => s.includes('SB0002') && s.includes('Holdings (') && !s.includes('loading'), 30_000);
    expect(screen).not.toMatch(/expired|signed out|sign in again/);
    pane.keys('2');
    await pane.waitFor(/Equity ₹1,00,000\.00/, 15_000);
    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
    const who = await runCli(['whoami', '--profile', 'other', '--json'], { dataDir, env: { ALGO_CLOCK: '2026-11-26T07:00:00+05:30' } });
    expect(JSON.parse(who.stdout)).toMatchObject({ user_id: 'SB0002', expires_at: '2026-11-27T06:00:00+05:30' });
  }, 45_000);

  it('a live session that expired: the expiry once with L to sign in again, the paper account on screen, no order taken', async () => {
    const live = tempDataDir('algo-dash-live-');
    dirs.push(live);
    const when = '2026-11-26T10:00:00+05:30';
    await saveProfile(live, 'work', { apiKey: 'live_key_1', apiSecret: 'live-secret-123456', userId: 'LV0001' });
    await writeSession(live, createSession({ user_id: 'LV0001', user_name: 'Live User', api_key: 'live_key_1', access_token: 'old-token-abcdef', loginTime: Date.parse(CLOCK), sandbox: false, profile: 'work' }), () => undefined);
    const store = openSqliteStore(path.join(live, 'algo.db'));
    try {
      const clock = new ManualClock(Date.parse(CLOCK));
      const engine = new PaperService({ store, market: new SandboxMarketData(createMarket(), clock), clock });
      const o = await engine.place('LV0001', { exchange: 'NSE', tradingsymbol: 'TCS', transaction_type: 'BUY', quantity: 4, order_type: 'MARKET', product: 'CNC', validity: 'DAY' });
      expect(o.status, o.status_message ?? '').toBe('COMPLETE');
    } finally {
      await store.close();
    }
    pane?.kill();
    pane = TmuxPane.start({
      argv: [process.execPath, path.join(root, 'dist', 'cli', 'main.js'), '--profile', 'work'],
      cwd: root,
      // Kite is never reached: the session has expired before any call; no browser is opened here.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', TERM: 'tmux-256color', LANG: 'C.UTF-8', ALGO_DATA_DIR: live, ALGO_CLOCK: when, KITE_API_ROOT: 'http://127.0.0.1:9', BROWSER: 'true' },
      width: 120,
      height: 40,
    });
    const flat = (screen: string): string => screen.replace(/\n/g, '');
    const first = await pane.waitFor((s) => flat(s).includes('press L to sign in again') && s.includes('LV0001'), 30_000);
    expect(flat(first)).toContain('session for work expired at 2026-11-26 06:00:00 IST; run `algo login --profile work`');
    expect(first).toContain('profile work is signed out: press L to sign in again, or p to switch profile');
    expect(first).toContain('L sign in again');
    pane.keys('2');
    const paper = await pane.waitFor(/Paper holdings \(1\)\n.*\n\s*TCS\s+4\s/, 15_000); // the CNC buy of the day before is a holding
    expect(paper.split('session for work expired')).toHaveLength(2);
    expect(paper).not.toMatch(/loading paper account|no paper holdings/);
    pane.keys('b');
    await pane.waitFor('signed out: no paper orders until the profile signs in again; press L to sign in', 10_000);
    expect(pane.screen()).not.toContain('Paper BUY');
    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
  }, 60_000);

  it('signs a newcomer in to the sandbox on the first run (npm start on a fresh machine)', async () => {
    const fresh = tempDataDir('algo-dash-first-');
    dirs.push(fresh);
    pane?.kill();
    pane = TmuxPane.start({
      argv: [process.execPath, path.join(root, 'dist', 'cli', 'main.js')],
      cwd: root,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', TERM: 'tmux-256color', LANG: 'C.UTF-8', ALGO_DATA_DIR: fresh, ALGO_CLOCK: CLOCK },
      width: 100,
      height: 30,
    });
    const screen = await pane.waitFor((s) => s.includes('SB0001') && s.includes('Holdings (') && !s.includes('loading'), 30_000);
    expect(screen).toContain('SANDBOX');
    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
    const whoami = await runCli(['whoami', '--json'], { dataDir: fresh, env: { ALGO_CLOCK: CLOCK } });
    expect(JSON.parse(whoami.stdout)).toMatchObject({ profile: 'default', user_id: 'SB0001', sandbox: true });
  }, 60_000);
});
