import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarket } from '../../src/sandbox/market.js';
import { runCli, tempDataDir as newDataDir } from '../helpers/cli.js';

/** Wednesday, market open. */
const CLOCK = '2026-11-25T10:00:00+05:30';

interface KiteOrderJson {
  order_id: string;
  status: string;
  status_message: string | null;
  tradingsymbol: string;
  quantity: number;
  filled_quantity: number;
  average_price: number;
}

describe('algo paper as a child process', () => {
  const dirs: string[] = [];
  const tempDataDir = (prefix: string): string => {
    const dir = newDataDir(prefix);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  });
  let dataDir: string;
  const env = { ALGO_CLOCK: CLOCK };
  const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { dataDir, env: { ...env, ...extra } });
  const json = async <T>(args: string[]): Promise<T> => {
    const r = await cli([...args, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as T;
  };

  beforeAll(async () => {
    dataDir = tempDataDir('algo-paper-');
    for (const [user, profile] of [['SB0001', 'asha'], ['SB0002', 'vikram']]) {
      const r = await cli(['login', '--sandbox', '--user', user!, '--profile', profile!]);
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('buys at market, prints the order and funds, and shows it in orders, positions and funds', async () => {
    const r = await cli(['paper', 'buy', 'INFY', '10', '--profile', 'asha']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^COMPLETE BUY 10 NSE:INFY CNC MARKET @ ₹[\d,]+\.\d\d/);
    expect(r.stdout).toMatch(/charges ₹\d+\.\d\d/);
    expect(r.stdout).toMatch(/funds available ₹[\d,]+\.\d\d/);

    const orders = await json<KiteOrderJson[]>(['paper', 'orders', '--profile', 'asha']);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ tradingsymbol: 'INFY', status: 'COMPLETE', quantity: 10, filled_quantity: 10 });
    const positions = await json<{ net: Array<{ tradingsymbol: string; quantity: number; average_price: number }>; day: unknown[] }>(['paper', 'positions', '--profile', 'asha']);
    expect(positions.day).toEqual(positions.net); // Kite's shape: net and day
    expect(positions.net).toEqual([expect.objectContaining({ tradingsymbol: 'INFY', quantity: 10, average_price: orders[0]!.average_price })]);
    const funds = await json<Record<string, number>>(['paper', 'funds', '--profile', 'asha']);
    expect(Object.keys(funds).sort()).toEqual(['available', 'blocked', 'capital', 'charges', 'equity', 'realised_pnl', 'unrealised_pnl', 'unsettled']);
    expect(funds.capital).toBe(100000);
    const cost = Math.round(orders[0]!.average_price * 100) * 10;
    expect(Math.round(funds.available! * 100)).toBe(100000_00 - cost - Math.round(funds.charges! * 100));
  });

  it('keeps two profiles apart: orders, positions and funds', async () => {
    const orders = await json<KiteOrderJson[]>(['paper', 'orders', '--profile', 'vikram']);
    expect(orders).toEqual([]);
    expect(await json<{ net: unknown[] }>(['paper', 'positions', '--profile', 'vikram'])).toEqual({ net: [], day: [] });
    const funds = await json<Record<string, number>>(['paper', 'funds', '--profile', 'vikram']);
    expect(funds).toMatchObject({ capital: 100000, available: 100000, charges: 0 });
    const placed = await cli(['paper', 'buy', 'TCS', '2', '--profile', 'vikram', '--json']);
    expect(placed.code, placed.stderr).toBe(0);
    const mine = await json<KiteOrderJson[]>(['paper', 'orders', '--profile', 'asha']);
    expect(mine.map((o) => o.tradingsymbol)).not.toContain('TCS');
  });

  it('stores a rule breach as REJECTED with its reason and exits 4', async () => {
    const r = await cli(['paper', 'sell', 'RELIANCE', '5', '--profile', 'vikram', '--json']);
    expect(r.code).toBe(4);
    const order = JSON.parse(r.stdout) as KiteOrderJson;
    expect(order.status).toBe('REJECTED');
    expect(order.status_message).toMatch(/RELIANCE/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^algo: order \d+ rejected: /);
  });

  it('refuses bad input with one line, exit 2, and changes nothing', async () => {
    const before = await json<KiteOrderJson[]>(['paper', 'orders', '--profile', 'asha']);
    const cases: Array<[string[], RegExp]> = [
      [['paper', 'buy', 'INFY', '0'], /quantity: must be a positive whole number/],
      [['paper', 'buy', 'INFY', '-5'], /./],
      [['paper', 'buy', 'INFY', '2.5'], /quantity: must be a positive whole number/],
      [['paper', 'buy', 'INFY', '10', '--tag', 'my swing'], /tag: must be up to 20 letters, digits, _ or -/],
      [['paper', 'buy', 'INFY', '10', '--price', '99999'], /price: ₹99,999.00 is outside today's circuit limits/],
      [['paper', 'squareoff', 'INFY', '--all'], /give a SYMBOL or --all, not both/],
      [['paper', 'buy', 'INFY', '10', '--price', '1500.03'], /tick size/],
      [['paper', 'buy', 'INFX', '10'], /did you mean INFY/],
      [['paper', 'buy', 'INFY', '10', '--type', 'LIMIT'], /LIMIT orders need a price/],
      [['paper', 'buy', 'INFY', '99999999'], /limit for one order/],
      [['paper', 'buy', 'INFY', '100001'], /100001 is above Kite's 1,00,000-share limit for one order/],
      [['paper', 'buy', 'INFY', '10', '--bogus'], /unknown option '--bogus'/],
      [['paper', 'buy', 'INFY', '10', '--product', 'XYZ'], /product: must be one of CNC, MIS, NRML/],
      [['paper', 'buy', 'INFY', '10', '--price', 'abc'], /price: must be a positive amount in rupees/],
    ];
    for (const [args, re] of cases) {
      const r = await cli([...args, '--profile', 'asha']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    expect(await json<KiteOrderJson[]>(['paper', 'orders', '--profile', 'asha'])).toEqual(before);
  });

  it('rests a LIMIT order, cancels it, and releases its margin', async () => {
    const quote = await json<Record<string, number>>(['paper', 'funds', '--profile', 'asha']);
    const orders = await json<KiteOrderJson[]>(['paper', 'orders', '--profile', 'asha']);
    const infy = orders.find((o) => o.tradingsymbol === 'INFY' && o.status === 'COMPLETE')!;
    const limit = (Math.round(infy.average_price * 0.97 * 10) / 10).toFixed(2);
    const rest = await cli(['paper', 'buy', 'INFY', '2', '--price', limit, '--profile', 'asha', '--json']);
    expect(rest.code, rest.stderr).toBe(0);
    const order = JSON.parse(rest.stdout) as KiteOrderJson & { funds: Record<string, number> };
    expect(order.status).toBe('OPEN');
    expect(order.funds.blocked).toBeGreaterThan(quote.blocked!);
    const open = await json<KiteOrderJson[]>(['paper', 'orders', '--open', '--profile', 'asha']);
    expect(open.map((o) => o.order_id)).toEqual([order.order_id]);
    const cancelled = await cli(['paper', 'cancel', order.order_id, '--profile', 'asha', '--json']);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ status: 'CANCELLED', funds: { blocked: quote.blocked } });
    const again = await cli(['paper', 'cancel', order.order_id, '--profile', 'asha']);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/is CANCELLED/);
  });

  it('refuses reset without a terminal unless --yes, and resets with --capital', async () => {
    const refused = await cli(['paper', 'reset', '--profile', 'vikram']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    const r = await cli(['paper', 'reset', '--capital', '50000', '--yes', '--profile', 'vikram', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ capital: 50000, available: 50000 });
    expect(await json<unknown[]>(['paper', 'orders', '--profile', 'vikram'])).toEqual([]);
    expect(await json<KiteOrderJson[]>(['paper', 'orders', '--profile', 'asha'])).not.toEqual([]);
  });

  it('needs a session: exit 3 with the login hint', async () => {
    const r = await cli(['paper', 'funds', '--profile', 'nobody']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/algo login --profile nobody/);
  });

  it('a command under a clock gone back catches nothing up and says nothing; the next one carries on', async () => {
    const dir = tempDataDir('algo-paper-back-');
    const run = (args: string[], clock = CLOCK) => runCli([...args, '--profile', 'b'], { dataDir: dir, env: { ALGO_CLOCK: clock } });
    expect((await run(['login', '--sandbox', '--user', 'SB0002'])).code).toBe(0);
    const bought = await run(['paper', 'buy', 'INFY', '10', '--product', 'MIS']);
    expect(bought.code, bought.stderr).toBe(0);
    const back = await run(['paper', 'funds', '--json'], '2026-09-25T10:00:00+05:30'); // 61 days earlier
    expect([back.code, back.stderr]).toEqual([0, '']);
    const next = await run(['paper', 'stats', '--json'], '2026-11-25T10:01:00+05:30');
    expect([next.code, next.stderr]).toEqual([0, '']);
    const curve = (JSON.parse(next.stdout) as { equity_curve: Array<{ time: string }> }).equity_curve;
    expect(curve.map((p) => p.time).filter((t) => t < '2026-11-25 10:00:00')).toEqual([]); // no mark from the past clock
  }, 60_000);

  it('at night a buy becomes an after-market order that says when it goes to the exchange, and fills at the next open', async () => {
    const dir = tempDataDir('algo-paper-amo-');
    const run = (args: string[], clock: string) => runCli([...args, '--profile', 'n'], { dataDir: dir, env: { ALGO_CLOCK: clock, NO_COLOR: '1' } });
    const TUE_20 = '2026-12-01T20:00:00+05:30';
    expect((await run(['login', '--sandbox', '--user', 'SB0003'], TUE_20)).code).toBe(0);
    const r = await run(['paper', 'buy', 'INFY', '10'], TUE_20);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^AMO REQ RECEIVED BUY 10 NSE:INFY CNC MARKET \(order \d+\)\n/);
    expect(r.stdout).toContain('after-market order: goes to the exchange at 09:00 IST on Wed 2026-12-02, into the pre-open call auction');
    expect(r.stdout).toMatch(/funds available ₹[\d,]+\.\d\d · blocked ₹[\d,]+\.\d\d/); // the block of a resting order
    const late = await run(['paper', 'buy', 'INFY', '1'], '2026-12-01T15:45:00+05:30');
    expect(late.code).toBe(4);
    expect(late.stderr).toMatch(/after-market orders are taken from 16:00 IST/);
    // Wednesday 09:20 (a new Kite session): the catch-up fills it at the 09:15 candle's open
    const WED = '2026-12-02T09:20:00+05:30';
    expect((await run(['login', '--sandbox', '--user', 'SB0003'], WED)).code).toBe(0);
    const listed = await run(['paper', 'orders', '--json'], WED); // placed yesterday, filled today: one of today's orders
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    const infy = createMarket().bySymbol('NSE', 'INFY')!;
    const open = createMarket().candles(infy.instrument_token, Date.parse('2026-12-02T09:15:00+05:30'), Date.parse('2026-12-02T09:16:00+05:30'), 1)[0]!.open;
    const [o] = JSON.parse(listed.stdout) as Array<KiteOrderJson & { variety: string; exchange_update_timestamp: string }>;
    expect(o).toMatchObject({ status: 'COMPLETE', variety: 'amo', filled_quantity: 10, average_price: open / 100, exchange_update_timestamp: '2026-12-02 09:15:00' });
  }, 60_000);

  it('a same-day CNC round trip: the sell says why its charges are negative, and the contract note totals the day', async () => {
    const dir = tempDataDir('algo-paper-roundtrip-');
    const run = (args: string[]) => runCli([...args, '--profile', 'rt'], { dataDir: dir, env: { ALGO_CLOCK: CLOCK, NO_COLOR: '1' } });
    expect((await run(['login', '--sandbox', '--user', 'SB0003'])).code).toBe(0);
    const buy = await run(['paper', 'buy', 'INFY', '10']);
    expect([buy.code, buy.stderr]).toEqual([0, '']);
    expect(buy.stdout).toMatch(/\n {2}charges ₹\d+\.\d\d\n/); // a delivery buy so far: STT 0.1%, stamp 0.015%
    const sell = await run(['paper', 'sell', 'INFY', '10']);
    expect([sell.code, sell.stderr]).toEqual([0, '']);
    // intraday now: the buy's delivery STT and stamp come back on the sell
    expect(sell.stdout).toMatch(/\n {2}charges -₹\d+\.\d\d \(the day's charges of this scrip went down: a same-day CNC round trip is intraday; `algo paper contract-note`\)\n/);
    const note = JSON.parse((await run(['paper', 'contract-note', '--json'])).stdout) as { totals: { total: number } };
    const funds = JSON.parse((await run(['paper', 'funds', '--json'])).stdout) as { charges: number };
    expect(note.totals.total).toBe(funds.charges);
  }, 60_000);

  it("orders: today's newest first by default, --all every order, --date one IST day's, --open the resting ones", async () => {
    const dir = tempDataDir('algo-paper-days-');
    const run = (args: string[], clock: string) => runCli([...args, '--profile', 'd'], { dataDir: dir, env: { ALGO_CLOCK: clock, NO_COLOR: '1' } });
    const MON = '2026-11-23T10:00:00+05:30'; // Tuesday 24 Nov is a holiday
    expect((await run(['login', '--sandbox', '--user', 'SB0003'], MON)).code).toBe(0);
    const place = async (args: string[], clock: string) => {
      const r = await run(['paper', ...args, '--json'], clock);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as KiteOrderJson).order_id;
    };
    const a = await place(['buy', 'INFY', '1'], MON);
    const b = await place(['buy', 'TCS', '1'], '2026-11-23T11:00:00+05:30');
    const c = await place(['buy', 'INFY', '2'], CLOCK); // Wednesday 10:00
    const d = await place(['buy', 'INFY', '1', '--price', '1565'], '2026-11-25T10:05:00+05:30'); // rests
    const NOW = '2026-11-25T10:10:00+05:30';
    const list = async (...args: string[]) => {
      const r = await run(['paper', 'orders', ...args, '--json'], NOW);
      expect([r.code, r.stderr]).toEqual([0, '']);
      return (JSON.parse(r.stdout) as KiteOrderJson[]).map((o) => o.order_id);
    };
    expect(await list()).toEqual([d, c]);
    expect(await list('--all')).toEqual([d, c, b, a]);
    expect(await list('--date', '2026-11-23')).toEqual([b, a]);
    expect(await list('--open')).toEqual([d]);
    expect(await list('--open', '--date', '2026-11-23')).toEqual([]);
    const table = await run(['paper', 'orders', '--all'], NOW);
    // today's time alone, an earlier day's with its date (the dashboard's rule, src/core/when.ts)
    expect(table.stdout.split('\n').slice(1, 5).map((l) => l.slice(0, 19).trim())).toEqual(['10:05:00', '10:00:00', '2026-11-23 11:00:00', '2026-11-23 10:00:00']);
    expect((await run(['paper', 'orders'], '2026-11-26T10:00:00+05:30')).stdout).toBe('no paper orders today; `algo paper orders --all` lists every order\n');
    for (const bad of [['--all', '--date', '2026-11-23'], ['--date', '2026-02-30'], ['--date', '24-11-2026']]) {
      const r = await run(['paper', 'orders', ...bad], NOW);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), bad.join(' ')).toHaveLength(1);
    }
  }, 60_000);

  it("contract-note: the day's trades and charge items, totals equal to what the account was charged; a bad --date exits 2", async () => {
    const dir = tempDataDir('algo-paper-note-');
    const run = (args: string[]) => runCli([...args, '--profile', 'n'], { dataDir: dir, env: { ALGO_CLOCK: CLOCK, NO_COLOR: '1' } });
    expect((await run(['login', '--sandbox', '--user', 'SB0003'])).code).toBe(0);
    for (const side of ['buy', 'sell']) expect((await run(['paper', side, 'INFY', '10'])).code).toBe(0);
    const funds = JSON.parse((await run(['paper', 'funds', '--json'])).stdout) as { charges: number };
    const r = await run(['paper', 'contract-note', '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const note = JSON.parse(r.stdout) as { date: string; trades: unknown[]; scrips: Array<{ dp_charge: number; charges: { brokerage: number } }>; totals: { total: number } };
    expect(note).toMatchObject({ date: '2026-11-25', totals: { total: funds.charges } });
    expect(note.trades).toHaveLength(2);
    expect(note.scrips[0]!.dp_charge).toBe(0); // bought and sold the same day: intraday, no DP
    const table = await run(['paper', 'contract-note']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Contract note 2026-11-25 \(IST\)\n/);
    expect(table.stdout).toMatch(new RegExp(`total charged\\s+₹${funds.charges.toFixed(2)}\\n`));
    expect((await run(['paper', 'contract-note', '--date', '2026-11-24'])).stdout).toBe('no paper trades on 2026-11-24 (2026-11-24, IST): nothing charged\n');
    for (const bad of ['2026-02-30', '25-11-2026']) {
      const e = await run(['paper', 'contract-note', '--date', bad]);
      expect(e.code, bad).toBe(2);
      expect(e.stderr.trim().split('\n'), bad).toHaveLength(1);
      expect(e.stderr).toContain(`--date "${bad}" is not a day`);
    }
  }, 60_000);

  it('loses nothing when 4 processes place 50 orders each on one account at once', async () => {
    const dir = tempDataDir('algo-paper-conc-');
    const login = await runCli(['login', '--sandbox', '--user', 'SB0003', '--profile', 'p'], { dataDir: dir, env });
    expect(login.code, login.stderr).toBe(0);
    const script = path.join(dir, 'burst.sh');
    fs.writeFileSync(script, `for i in $(seq 1 50); do node "$1" paper buy ITC 1 --profile p --json >/dev/null || exit 1; done\n`);
    const main = path.resolve('dist/cli/main.js');
    const { spawn } = await import('node:child_process');
    const runs = Array.from({ length: 4 }, () =>
      new Promise<number>((resolve) => {
        const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ALGO_|KITE_|VITEST|NODE_OPTIONS)/.test(k)));
        const child = spawn('bash', [script, main], { env: { ...clean, ALGO_DATA_DIR: dir, ALGO_CLOCK: CLOCK, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('close', (code) => resolve(code ?? 1));
      }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    const orders = JSON.parse((await runCli(['paper', 'orders', '--json', '--profile', 'p'], { dataDir: dir, env })).stdout) as KiteOrderJson[];
    expect(orders).toHaveLength(200);
    expect(new Set(orders.map((o) => o.order_id)).size).toBe(200);
    expect(orders.every((o) => o.status === 'COMPLETE')).toBe(true);
    const positions = JSON.parse((await runCli(['paper', 'positions', '--json', '--profile', 'p'], { dataDir: dir, env })).stdout) as { net: Array<{ quantity: number }> };
    expect(positions.net[0]!.quantity).toBe(200);
    const funds = JSON.parse((await runCli(['paper', 'funds', '--json', '--profile', 'p'], { dataDir: dir, env })).stdout) as Record<string, number>;
    const spent = orders.reduce((s, o) => s + Math.round(o.average_price * 100), 0);
    expect(Math.round(funds.available! * 100)).toBe(100000_00 - spent - Math.round(funds.charges! * 100));
  }, 180_000);

  it('stays consistent when orders are killed with SIGKILL mid-flight', async () => {
    const dir = tempDataDir('algo-paper-kill-');
    const login = await runCli(['login', '--sandbox', '--user', 'SB0001', '--profile', 'k'], { dataDir: dir, env });
    expect(login.code, login.stderr).toBe(0);
    const { spawnCli } = await import('../helpers/cli.js');
    let killed = 0;
    for (let round = 0; round < 12; round++) {
      const burst = Array.from({ length: 3 }, () => spawnCli(['paper', 'buy', 'SBIN', '1', '--product', 'MIS', '--profile', 'k'], { dataDir: dir, env }));
      await new Promise((r) => setTimeout(r, 60 + round * 25));
      for (const p of burst) if (p.child.exitCode === null && p.child.kill('SIGKILL')) killed++;
      await Promise.all(burst.map((p) => p.done));
    }
    expect(killed).toBeGreaterThan(0);
    const read = async <T>(what: string) => JSON.parse((await runCli(['paper', what, '--json', '--profile', 'k'], { dataDir: dir, env })).stdout) as T;
    const orders = await read<KiteOrderJson[]>('orders');
    const trades = await read<Array<{ order_id: string; quantity: number }>>('trades');
    const positions = (await read<{ net: Array<{ quantity: number }> }>('positions')).net;
    const funds = await read<Record<string, number>>('funds');
    const complete = orders.filter((o) => o.status === 'COMPLETE');
    expect(trades.map((t) => t.order_id).sort()).toEqual(complete.map((o) => o.order_id).sort());
    expect(positions.reduce((s, p) => s + p.quantity, 0)).toBe(complete.length);
    const p = (x: number) => Math.round(x * 100);
    expect(p(funds.equity!)).toBe(p(funds.capital!) + p(funds.realised_pnl!) - p(funds.charges!) + p(funds.unrealised_pnl!));
    // A new process can keep trading on the same account.
    const after = await runCli(['paper', 'buy', 'SBIN', '1', '--product', 'MIS', '--profile', 'k'], { dataDir: dir, env });
    expect(after.code, after.stderr).toBe(0);
  }, 120_000);
});
