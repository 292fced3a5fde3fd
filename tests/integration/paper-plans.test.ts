import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, writeSession } from '../../src/core/auth/sessions.js';
import { writeConfig } from '../../src/core/auth/profiles.js';
import { istDate } from '../../src/core/ist.js';
import type { SandboxPlan } from '../../src/core/kite/plans.js';
import { toRupees } from '../../src/core/money.js';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { runCli, tempDataDir, type CliResult } from '../helpers/cli.js';
import { loggedInKite, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * `algo paper` on every Kite Connect plan, through the built CLI and the real kiteconnect client
 * against sandboxes on 127.0.0.1 with Kite's rate limits on, the clock moved between commands
 * (ALGO_CLOCK and the sandbox's clock together). No command fails because of a plan, each says once
 * what it could not do, and none asks for /quote more than once (the sandbox's request log counts).
 */
const T0 = Date.parse('2026-11-25T10:00:00+05:30'); // a Wednesday, market open
const MIN = 60_000;

interface OrderJson {
  order_id: string;
  status: string;
  tradingsymbol: string;
  average_price: number;
  price: number;
}

const NO_HISTORY_NOTE =
  "algo: note: catch-up was approximate: this Kite app has no historical data (minute candles), so resting orders were checked against the day's high and low from the quote, which may include prices from before they were placed\n";
const SANDBOX_HINT = 'the sandbox imitates the personal plan; use ALGO_SANDBOX_PLAN=connect (or algo sandbox --plan connect)';

let dataDir: string;
const sandboxes = new Map<SandboxPlan, TestSandbox>();
let now = T0;

beforeAll(async () => {
  dataDir = tempDataDir('algo-paper-plans-');
  // Every sandbox shares the data folder's signing key: a session from one is good on the others.
  for (const plan of ['connect', 'no-historical', 'personal'] as const) sandboxes.set(plan, await startTestSandbox({ dataDir, plan, rateLimits: true, at: T0 }));
  const login = await runCli(['login', '--sandbox', '--user', 'SB0001'], { dataDir, env: { ALGO_CLOCK: new Date(T0).toISOString() } });
  expect(login.code, login.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  for (const s of sandboxes.values()) await s.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const at = (t: number) => {
  now = t;
  for (const s of sandboxes.values()) s.clock.set(t);
};

/** One command on `plan` (in sandbox mode: through that sandbox over HTTP, as ALGO_SANDBOX_PLAN says), with what it asked the sandbox. */
async function algo(plan: SandboxPlan | 'in-process', args: string[], dir = dataDir, extra: Record<string, string> = {}) {
  const s = plan === 'in-process' ? undefined : sandboxes.get(plan)!;
  const env: Record<string, string> = { ALGO_CLOCK: new Date(now).toISOString(), ...extra };
  if (s && !extra.KITE_API_ROOT) Object.assign(env, { KITE_API_ROOT: s.handle.apiRoot, ALGO_SANDBOX_PLAN: plan });
  const before = s?.handle.requests.entries().length ?? 0;
  const r: CliResult = await runCli(args, { dataDir: dir, env });
  const log = s ? s.handle.requests.entries().slice(before) : [];
  return {
    ...r,
    quotes: log.filter((e) => e.path.startsWith('/quote')).length,
    historical: log.filter((e) => e.path.startsWith('/instruments/historical')).length,
    lists: log.filter((e) => /^\/instruments(\/[A-Z]+)?$/.test(e.path)).map((e) => e.path),
    tooMany: log.filter((e) => e.status === 429).length,
  };
}

const json = <T>(r: { stdout: string }): T => JSON.parse(r.stdout) as T;

/** An NSE stock whose day low by `later` is below its price at `t` by some ticks, and a buy limit the low trades through. */
function touchedLimit(s: TestSandbox, t: number, later: number): { symbol: string; limit: string } {
  const m = s.handle.market;
  for (const i of m.instruments(t).filter((x) => x.exchange === 'NSE' && !x.isIndex)) {
    const a = m.snapshot(i.instrument_token, t);
    const b = m.snapshot(i.instrument_token, later);
    // a tick above the later low, so the market trades through it (a limit at the low is only touched)
    const limit = Math.ceil(b.low / i.tick_size) * i.tick_size + i.tick_size;
    if (limit + 3 * i.tick_size < a.depth.buy[0]!.price && limit > a.lower_circuit_limit) return { symbol: i.tradingsymbol, limit: toRupees(limit).toFixed(2) };
  }
  throw new Error('no stock fell far enough');
}

describe('algo paper on an app without historical data', () => {
  let resting: OrderJson;
  let symbol: string;

  it('places orders as on any plan (the account starts on the in-process market)', async () => {
    at(T0);
    const pick = touchedLimit(sandboxes.get('no-historical')!, T0, T0 + 2 * 60 * MIN);
    symbol = pick.symbol;
    const bought = await algo('in-process', ['paper', 'buy', 'INFY', '5', '--json']);
    expect(bought.code, bought.stderr).toBe(0);
    expect(json<OrderJson>(bought).status).toBe('COMPLETE');
    const rest = await algo('in-process', ['paper', 'buy', symbol, '1', '--price', pick.limit, '--json']);
    expect(rest.code, rest.stderr).toBe(0);
    resting = json<OrderJson>(rest);
    expect(resting.status).toBe('OPEN');
  });

  it('catches up two hours later from the day range: the resting order fills at its price, one note, one /quote, one refused /historical', async () => {
    at(T0 + 2 * 60 * MIN);
    const r = await algo('no-historical', ['paper', 'orders', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(NO_HISTORY_NOTE);
    const o = json<OrderJson[]>(r).find((x) => x.order_id === resting.order_id)!;
    expect(o).toMatchObject({ status: 'COMPLETE', tradingsymbol: symbol, average_price: resting.price });
    expect(r.quotes).toBe(1);
    expect(r.historical).toBe(1);
    expect(r.tooMany).toBe(0);
  });

  it('funds, a resting sell, and a buy across another gap: never fails, says it once when it had to guess, one /quote each', async () => {
    at(now + 5 * MIN);
    const funds = await algo('no-historical', ['paper', 'funds', '--json']);
    expect(funds.code, funds.stderr).toBe(0);
    expect(funds.stderr).toBe(''); // nothing was resting: nothing to guess
    expect(json<Record<string, number>>(funds).capital).toBe(100000);
    expect([funds.quotes, funds.historical]).toEqual([1, 0]);

    at(now + 5 * MIN);
    const high = toRupees(Math.ceil((sandboxes.get('no-historical')!.handle.market.snapshot(408065, now).last_price * 1.05) / 10) * 10).toFixed(2);
    const sell = await algo('no-historical', ['paper', 'sell', 'INFY', '2', '--price', high, '--json']);
    expect(sell.code, sell.stderr).toBe(0);
    expect(json<OrderJson>(sell).status).toBe('OPEN');
    expect(sell.stderr).toBe('');
    expect(sell.quotes).toBe(1);

    at(now + 60 * MIN);
    const buy = await algo('no-historical', ['paper', 'buy', 'TCS', '1', '--json']);
    expect(buy.code, buy.stderr).toBe(0);
    expect(json<OrderJson>(buy).status).toBe('COMPLETE');
    expect(buy.stderr).toBe(NO_HISTORY_NOTE); // the resting sell was checked against the day range
    expect(buy.quotes).toBe(1);
    expect(buy.lists).toEqual([]); // today's NSE list is cached; BSE's is never read
    expect(buy.tooMany).toBe(0);
  });
});

describe('algo paper on an app without market data (the personal plan)', () => {
  const noteLine = `algo: note: this Kite app has no market data (quotes): resting orders were not caught up and positions are not priced; ${SANDBOX_HINT}\n`;
  const errorLine = `algo: this Kite app has no market data (quotes): paper trading needs it; ${SANDBOX_HINT}\n`;

  it('reads the account, saying once what it could not price', async () => {
    at(now + 30 * MIN);
    const orders = await algo('personal', ['paper', 'orders', '--json']);
    expect(orders.code, orders.stderr).toBe(0);
    expect(orders.stderr).toBe(noteLine);
    expect(json<OrderJson[]>(orders).some((o) => o.status === 'OPEN')).toBe(true); // the resting sell: not caught up, still there
    expect(orders.quotes).toBeLessThanOrEqual(1);
    at(now + MIN);
    const funds = await algo('personal', ['paper', 'funds', '--json']);
    expect(funds.code, funds.stderr).toBe(0);
    expect(funds.stderr).toBe(noteLine);
    expect(json<Record<string, number>>(funds).unrealised_pnl).toBe(0);
    expect(funds.quotes).toBeLessThanOrEqual(1);
  });

  it('refuses an order in one line, exit 1, not a raw Kite message', async () => {
    for (const args of [['paper', 'buy', 'INFY', '1'], ['paper', 'sell', 'INFY', '1']]) {
      at(now + MIN);
      const r = await algo('personal', args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toBe(errorLine);
      expect(r.stdout).toBe('');
      expect(r.quotes).toBeLessThanOrEqual(1);
    }
    const j = await algo('personal', ['paper', 'buy', 'INFY', '1', '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ status: 'error', error_type: 'PermissionException' });
  });
});

describe('algo paper with the in-process sandbox on a plan (ALGO_SANDBOX_PLAN, no server)', () => {
  it('starts its own sandbox on that plan and goes over HTTP: the note comes from a real refusal', async () => {
    at(now + 5 * MIN);
    const r = await algo('in-process', ['paper', 'orders', '--json'], dataDir, { ALGO_SANDBOX_PLAN: 'no-historical' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(NO_HISTORY_NOTE);
    const bad = await algo('in-process', ['paper', 'orders'], dataDir, { ALGO_SANDBOX_PLAN: 'gold' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/sandboxPlan \(ALGO_SANDBOX_PLAN\) must be one of connect, no-historical, personal/);
  });
});

describe('algo paper on a live profile with the connect plan (Kite over HTTP, exact candles)', () => {
  let live: string;
  beforeAll(async () => {
    at(T0 + 24 * 60 * MIN); // Thursday 10:00: market open
    live = tempDataDir('algo-paper-live-');
    const s = sandboxes.get('connect')!;
    const { accessToken } = await loggedInKite(s.handle, 'SB0002');
    await writeConfig(live, { defaultProfile: 'live', profiles: { live: { apiKey: SANDBOX_APP.apiKey, apiSecret: SANDBOX_APP.apiSecret, userId: 'SB0002' } } });
    await writeSession(live, createSession({ user_id: 'SB0002', api_key: SANDBOX_APP.apiKey, access_token: accessToken, loginTime: now, sandbox: false, profile: 'live' }));
  });
  afterAll(() => fs.rmSync(live, { recursive: true, force: true }));

  it('buy, a resting order, sell, orders and funds across gaps: one /quote each, candles asked, no 429, nothing to say', async () => {
    const kite = { KITE_API_ROOT: sandboxes.get('connect')!.handle.apiRoot };
    const pick = touchedLimit(sandboxes.get('connect')!, now, now + 30 * MIN);
    const steps: Array<[string[], number]> = [
      [['paper', 'buy', 'INFY', '5', '--json'], 0],
      [['paper', 'buy', pick.symbol, '1', '--price', pick.limit, '--json'], 1],
      [['paper', 'sell', 'INFY', '1', '--json'], 10],
      [['paper', 'orders', '--json'], 10],
      [['paper', 'funds', '--json'], 10],
      [['paper', 'buy', 'RELIANCE', '1', '--json'], 10],
    ];
    let historical = 0;
    const lists: string[][] = [];
    for (const [args, gap] of steps) {
      at(now + gap * MIN);
      const r = await algo('connect', args, live, kite);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.quotes, args.join(' ')).toBe(1);
      expect(r.tooMany).toBe(0);
      historical += r.historical;
      lists.push(r.lists);
    }
    expect(historical).toBeGreaterThan(0); // the resting order was caught up from real candles
    // The day's NSE list, once (then the data folder's cache); BSE's is never needed.
    expect(lists).toEqual([['/instruments/NSE'], [], [], [], [], []]);
    // A symbol not in today's list reads the list again, once, before saying so; not when the
    // list was read minutes ago (a typo in every command must not download it every time).
    const cached = path.join(live, 'cache', `instruments-NSE-${istDate(now)}.json`);
    const hourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(cached, hourAgo, hourAgo);
    const unknown = await algo('connect', ['paper', 'buy', 'NEWLISTING', '1'], live, kite);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/NEWLISTING is not listed on NSE/);
    expect(unknown.lists).toEqual(['/instruments/NSE']);
    const again = await algo('connect', ['paper', 'buy', 'NEWLISTING', '1'], live, kite);
    expect(again.code).toBe(2);
    expect(again.lists).toEqual([]);
  }, 60_000);
});
