import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../src/cli/backtest/index.js';
import { captureIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { BUILTINS } from '../../src/core/strategy/builtins/index.js';
import { runCli as runBuiltCli } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * `algo backtest` in process against the sandbox: profiles signed in with `login --sandbox` in a
 * temp data folder. The clock is Wednesday 2 Dec 2026 after the close, so 18-25 Nov are past
 * trading days (24 Nov 2026 is an NSE holiday: 18, 19, 20, 23 and 25 Nov trade, 5 sessions).
 */
const CLOCK = '2026-12-02T18:00:00+05:30';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-backtest-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 }));

async function algo(args: string[], env: Record<string, string> = {}, dataDir = tmp) {
  const io = captureIo({ ...process.env, NO_COLOR: '1', ALGO_DATA_DIR: dataDir, ALGO_CLOCK: CLOCK, ...env });
  const code = await runCli(['node', 'algo', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const RANGE = ['--from', '2026-11-18', '--to', '2026-11-25'];
const EMA = ['backtest', 'run', '--strategy', 'ema-cross', '--symbol', 'INFY', ...RANGE, '--qty', '10'];

beforeAll(async () => {
  for (const [user, profile] of [['SB0001', 'asha'], ['SB0002', 'vikram']] as const) {
    const r = await algo(['login', '--sandbox', '--user', user, '--profile', profile]);
    expect(r.code, r.err).toBe(0);
  }
});

interface RunJson {
  run_id: string;
  strategy: string;
  params: Record<string, unknown>;
  symbols: string[];
  from: string;
  to: string;
  stats: Record<string, number | null>;
  trades: Array<Record<string, unknown>>;
  orders: Array<Record<string, unknown>>;
  hash: string;
}

const runJson = async (args: string[], profile = 'asha'): Promise<RunJson> => {
  const r = await algo([...args, '--json', '--profile', profile]);
  expect(r.code, r.err).toBe(0);
  expect(r.err).toBe('');
  return JSON.parse(r.out) as RunJson;
};

describe('algo backtest run, list, show, trades, compare', () => {
  let first: RunJson;
  let second: RunJson;

  beforeAll(async () => {
    first = await runJson(EMA);
    second = await runJson(EMA);
  });

  it('--json: one document with the run, the stats, the round trips and the engine orders in Kite shape', () => {
    expect(first).toMatchObject({ strategy: 'ema-cross', symbols: ['NSE:INFY'], from: '2026-11-18', to: '2026-11-25', params: { fast: 9, slow: 21, timeframe: '5m', allowShort: false } });
    expect(first.run_id).toMatch(/^bt-[0-9a-f]{8}$/);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    for (const k of ['trades', 'win_rate', 'net_pnl', 'total_charges', 'max_drawdown', 'return_pct', 'profit_factor', 'expectancy', 'exposure_pct']) expect(first.stats).toHaveProperty(k);
    expect(first.trades.length).toBeGreaterThan(0);
    expect(first.stats.trades).toBe(first.trades.length);
    const t = first.trades[0]!;
    expect(Object.keys(t).sort()).toEqual(['charges', 'entry_price', 'entry_time', 'exit_price', 'exit_reason', 'exit_time', 'pnl', 'quantity', 'side', 'symbol'].sort());
    expect(t).toMatchObject({ symbol: 'NSE:INFY', side: 'LONG', quantity: 10 });
    expect(t.entry_time).toMatch(/^2026-11-\d\d \d\d:\d\d:\d\d$/);
    // every round trip is an entry and an exit order
    expect(first.orders.length).toBe(2 * first.trades.length);
    expect(first.orders[0]).toMatchObject({ status: 'COMPLETE', exchange: 'NSE', tradingsymbol: 'INFY', product: 'MIS', quantity: 10 });
    expect(first.orders[0]!.order_timestamp).toMatch(/^2026-11-\d\d \d\d:\d\d:\d\d$/);
    // net P&L is the trades' P&L (each after its charges), to the paisa
    const sum = first.trades.reduce((s, x) => s + Math.round((x.pnl as number) * 100), 0);
    expect(Math.round((first.stats.net_pnl as number) * 100)).toBe(sum);
  });

  it('in two other processes (the built CLI), the same inputs give the same hash', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'processes-'));
    expect((await runBuiltCli(['login', '--sandbox', '--user', 'SB0001', '--profile', 'asha'], { dataDir: dir, env: { ALGO_CLOCK: CLOCK } })).code).toBe(0);
    for (let i = 0; i < 2; i++) {
      const r = await runBuiltCli([...EMA, '--json', '--profile', 'asha'], { dataDir: dir, env: { ALGO_CLOCK: CLOCK } });
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as RunJson;
      expect(doc.run_id).not.toBe(first.run_id);
      expect(doc.hash).toBe(first.hash);
    }
  }, 60_000);

  it('the same inputs twice: two runs, the same hash', () => {
    expect(second.run_id).not.toBe(first.run_id);
    expect(second.hash).toBe(first.hash);
  });

  it('the report: what ran, the statistics, the equity chart and the trades', async () => {
    const r = await algo(['backtest', 'show', first.run_id, '--profile', 'asha']);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`${first.run_id}  ema-cross v1 (EMA crossover)  NSE:INFY  2026-11-18 to 2026-11-25`);
    expect(lines[1]).toBe('params fast=9 slow=21 timeframe=5m allowShort=false');
    expect(lines[2]).toBe('qty 10 MIS  no stop, target or trail  capital ₹1,00,000.00  slippage 5 bps');
    expect(r.out).toMatch(new RegExp(`trades ${first.trades.length} {2}win rate \\d+\\.\\d\\d% {2}net P&L [+-]?₹[\\d,]+\\.\\d\\d after charges ₹[\\d,]+\\.\\d\\d`));
    expect(r.out).toMatch(/max drawdown ₹[\d,]+\.\d\d \(\d+\.\d\d%\) {2}return -?\d+\.\d\d% {2}profit factor (\d+\.\d\d|-) {2}expectancy [+-]?₹[\d,.]+ {2}exposure \d+\.\d\d%/);
    expect(r.out).toMatch(/^equity {2}₹1,00,000\.00 [▁▂▃▄▅▆▇█]+ ₹[\d,]+\.\d\d$/m);
    expect(r.out).toMatch(/^SYMBOL\s+SIDE\s+QTY\s+ENTRY\s+PRICE\s+EXIT\s+PRICE\s+REASON\s+CHARGES\s+P&L$/m);
    expect(r.out.trimEnd().endsWith(`hash ${first.hash}`)).toBe(true);
    // the report of a run as it ran is the report shown later
    const again = await algo(['backtest', 'show', first.run_id, '--json', '--profile', 'asha']);
    expect(JSON.parse(again.out)).toEqual(first);
  });

  it('the chart fits the terminal: narrower stdout, shorter line', async () => {
    const io = captureIo({ ...process.env, NO_COLOR: '1', ALGO_DATA_DIR: tmp, ALGO_CLOCK: CLOCK });
    (io.stdout as { columns?: number }).columns = 50;
    expect(await runCli(['node', 'algo', 'backtest', 'show', first.run_id, '--profile', 'asha'], io)).toBe(0);
    const chart = io.out().split('\n').find((l) => l.startsWith('equity'))!;
    expect([...chart].length).toBeLessThanOrEqual(50);
  });

  it('list: newest first with strategy, symbols, range, trades, net P&L and hash', async () => {
    const r = await algo(['backtest', 'list', '--json', '--profile', 'asha']);
    const { runs } = JSON.parse(r.out) as { runs: Array<Record<string, unknown>> };
    expect(runs.slice(0, 2).map((x) => x.run_id)).toEqual([second.run_id, first.run_id]);
    expect(runs[0]).toMatchObject({ strategy: 'ema-cross', symbols: ['NSE:INFY'], from: '2026-11-18', to: '2026-11-25', trades: first.trades.length, net_pnl: first.stats.net_pnl, hash: first.hash });
    const text = await algo(['backtest', 'list', '--profile', 'asha']);
    expect(text.out).toMatch(/^RUN\s+RAN\s+STRATEGY\s+SYMBOLS\s+RANGE\s+TRADES\s+NET P&L\s+HASH$/m);
    expect(text.out).toContain(`${first.run_id}  2026-12-02 18:00  ema-cross  NSE:INFY  2026-11-18 to 2026-11-25`);
  });

  it('trades: the round trips of a run', async () => {
    const r = await algo(['backtest', 'trades', first.run_id, '--json', '--profile', 'asha']);
    expect(JSON.parse(r.out)).toEqual({ run_id: first.run_id, trades: first.trades });
  });

  it('compare: two runs of the same inputs say identical, with the hash', async () => {
    const r = await algo(['backtest', 'compare', first.run_id, second.run_id, '--profile', 'asha']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('same inputs (strategy, parameters, symbols, range, sizing, exits, fills)');
    expect(r.out).toMatch(new RegExp(`^trades\\s+${first.trades.length}\\s+${first.trades.length}$`, 'm'));
    expect(r.out.trimEnd().split('\n').pop()).toBe(`identical results (hash ${first.hash})`);
  });

  it('compare: different inputs are listed, and the results differ', async () => {
    const other = await runJson([...EMA, '--param', 'fast=5', '--sl', '1%']);
    const r = await algo(['backtest', 'compare', first.run_id, other.run_id, '--profile', 'asha']);
    expect(r.out).toMatch(new RegExp(`^DIFFERS\\s+${first.run_id}\\s+${other.run_id}$`, 'm'));
    expect(r.out).toMatch(/^param fast\s+9\s+5$/m);
    expect(r.out).toMatch(/^exits\s+no stop, target or trail\s+sl 1%$/m);
    expect(r.out.trimEnd().split('\n').pop()).toBe('the results differ');
  });

  it("another profile's run is not found; its own list is empty", async () => {
    const r = await algo(['backtest', 'show', first.run_id, '--profile', 'vikram']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`algo: backtest run ${first.run_id} not found for SB0002; algo backtest list shows your runs\n`);
    const list = await algo(['backtest', 'list', '--json', '--profile', 'vikram']);
    expect(JSON.parse(list.out)).toEqual({ runs: [] });
  });
});

describe('the progress bar', () => {
  it('on a terminal stderr: a bar that reaches 100% and ends its line; none when stderr is not a terminal', async () => {
    const io = captureIo({ ...process.env, NO_COLOR: '1', ALGO_DATA_DIR: tmp, ALGO_CLOCK: CLOCK }, { isTTY: true });
    expect(await runCli(['node', 'algo', ...EMA, '--profile', 'vikram'], io)).toBe(0);
    expect(io.err()).toMatch(/^\r\[[#-]+\] +\d+% {2}2026-11-\d\d \d\d:\d\d/);
    expect(io.err()).toMatch(/\r\[#+\] 100% {2}2026-11-25 15:30\n$/);
    const quiet = await algo([...EMA, '--profile', 'vikram']);
    expect(quiet.err).toBe('');
  });
});

describe('bad flags: one line, exit 2, nothing run or stored', () => {
  const cases: Array<[string, string[], string]> = [
    ['no strategy', ['--symbol', 'INFY', ...RANGE], 'algo: give the strategy: --strategy ID (see algo strategy list) or --rules FILE\n'],
    ['both strategy flags', ['--strategy', 'orb', '--rules', 'x.json', '--symbol', 'INFY', ...RANGE], 'algo: give --strategy or --rules, not both; e.g. --strategy ema-cross, or --rules my-rules.json\n'],
    ['an unknown strategy', ['--strategy', 'nope', '--symbol', 'INFY', ...RANGE], 'algo: unknown strategy "nope"; known: sma-cross, ema-cross, rsi-reversion, orb, vwap-reversion, supertrend; algo strategy list shows them\n'],
    ['a parameter out of range', ['--strategy', 'ema-cross', '--param', 'fast=0', '--symbol', 'INFY', ...RANGE], 'algo: ema-cross: parameter fast: "0" is not an integer from 2 to 200; algo strategy show ema-cross lists its parameters\n'],
    ['a parameter without =', ['--strategy', 'ema-cross', '--param', 'fast', '--symbol', 'INFY', ...RANGE], 'algo: --param "fast": write NAME=VALUE, e.g. --param fast=9\n'],
    ['no symbol', ['--strategy', 'orb', ...RANGE], 'algo: give at least one --symbol, e.g. --symbol INFY\n'],
    ['an unknown symbol', ['--strategy', 'orb', '--symbol', 'NOSUCHCO', ...RANGE], 'algo: unknown symbol NSE:NOSUCHCO; give EXCHANGE:SYMBOL as the exchange lists it, e.g. --symbol NSE:INFY (see algo quote)\n'],
    ['a bad date', ['--strategy', 'orb', '--symbol', 'INFY', '--from', '2026-11-31', '--to', '2026-12-01'], 'algo: --from "2026-11-31" is not a date; give an IST date as YYYY-MM-DD, e.g. --from 2026-11-23\n'],
    ['a reversed range', ['--strategy', 'orb', '--symbol', 'INFY', '--from', '2026-11-25', '--to', '2026-11-23'], 'algo: --to 2026-11-23 is before --from 2026-11-25; give --from on or before --to\n'],
    ['no --from', ['--strategy', 'orb', '--symbol', 'INFY', '--to', '2026-11-25'], 'algo: give the range: --from YYYY-MM-DD [--to YYYY-MM-DD] (IST dates, inclusive; one day without --to)\n'],
    ['a range after today', ['--strategy', 'orb', '--symbol', 'INFY', '--from', '2026-12-03', '--to', '2026-12-04'], 'algo: --from 2026-12-03 is after today (2026-12-02): a backtest replays past minutes; give a range that starts on or before 2026-12-02\n'],
    ['a range with no trading day', ['--strategy', 'orb', '--symbol', 'INFY', '--from', '2026-11-21', '--to', '2026-11-22'], 'algo: 2026-11-21 to 2026-11-22 has no trading day (weekends and exchange holidays only); widen the range to include a weekday that is not an NSE holiday\n'],
    ['--qty with --capital', ['--strategy', 'orb', '--symbol', 'INFY', ...RANGE, '--qty', '5', '--capital', '50000'], 'algo: give --qty or --capital, not both; --qty N buys N shares per entry; --capital RUPEES buys as many as that amount pays for\n'],
    ['a bad --qty', ['--strategy', 'orb', '--symbol', 'INFY', ...RANGE, '--qty', '2.5'], 'algo: --qty "2.5" is not a quantity; give a whole number of shares from 1 to 1,00,000, e.g. --qty 10\n'],
    ['a bad --capital', ['--strategy', 'orb', '--symbol', 'INFY', ...RANGE, '--capital', 'lots'], 'algo: --capital "lots" is not an amount; give rupees per entry, e.g. --capital 50000\n'],
    ['a percentage without %', ['--strategy', 'orb', '--symbol', 'INFY', ...RANGE, '--sl', '1'], 'algo: --sl "1" is not a percentage; write it with a % sign, above 0 and below 100, e.g. --sl 1% or --sl 0.5%\n'],
    ['a bad --trail', ['--strategy', 'orb', '--symbol', 'INFY', ...RANGE, '--trail', '-0.5%'], 'algo: --trail "-0.5%" is not a percentage; write it with a % sign, above 0 and below 100, e.g. --trail 1% or --trail 0.5%\n'],
    ['a bad product', ['--strategy', 'orb', '--symbol', 'INFY', ...RANGE, '--product', 'NRML'], 'algo: --product "NRML" is not one a backtest takes; use --product MIS (intraday, squared off at 15:20) or --product CNC (delivery)\n'],
  ];

  it.each(cases)('%s', async (_name, flags, line) => {
    const before = JSON.parse((await algo(['backtest', 'list', '--json', '--profile', 'vikram'])).out).runs.length;
    const r = await algo(['backtest', 'run', ...flags, '--profile', 'vikram']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(line);
    expect(r.err.split('\n')).toHaveLength(2);
    expect(JSON.parse((await algo(['backtest', 'list', '--json', '--profile', 'vikram'])).out).runs.length).toBe(before);
  });
});

describe('one backtest per user at a time', () => {
  it('a second run for the same user while one runs answers one line; another user runs meanwhile', async () => {
    const [a, b, c] = await Promise.all([algo(EMA.concat('--profile', 'asha')), algo(EMA.concat('--profile', 'asha')), algo(EMA.concat('--profile', 'vikram'))]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 1]);
    const busy = a.code === 1 ? a : b;
    expect(busy.err).toMatch(/^algo: a backtest is already running for SB0001 \(since 2026-12-02 18:00:00\); wait for it to finish, then run this one \(one backtest per user at a time\)\n$/);
    expect(c.code, c.err).toBe(0);
    // the slot is free again afterwards
    expect((await algo(EMA.concat('--profile', 'asha'))).code).toBe(0);
  });
});

describe('one backtest per user across processes (a lock file in the data folder)', () => {
  const lock = path.join(tmp, 'backtest-SB0002.lock');

  it("another live process's run: one line with when it started; a lock left by a process that is gone is taken over", async () => {
    // The parent process (the test runner's) is alive: its lock holds.
    fs.writeFileSync(lock, JSON.stringify({ pid: process.ppid, at: '2026-12-02 17:55:00' }));
    const busy = await algo([...EMA, '--profile', 'vikram']);
    expect(busy.code).toBe(1);
    expect(busy.err).toBe('algo: a backtest is already running for SB0002 (since 2026-12-02 17:55:00); wait for it to finish, then run this one (one backtest per user at a time)\n');
    expect(fs.existsSync(lock)).toBe(true);
    // A pid no process has (above Linux's pid_max of 2^22): stale, so the run goes ahead and the lock is gone after it.
    fs.writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 7, at: '2026-12-01 10:00:00' }));
    const ok = await algo([...EMA, '--profile', 'vikram']);
    expect(ok.code, ok.err).toBe(0);
    expect(fs.existsSync(lock)).toBe(false);
  });
});

describe('algo backtest check (the CI check of every built-in)', () => {
  it.each(BUILTINS.map((s) => s.id))('lookahead and warm-up pass for %s', async (id) => {
    for (const kind of ['lookahead', 'warmup']) {
      const r = await algo(['backtest', 'check', kind, '--strategy', id]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(new RegExp(`^${kind} check passed: ${id} over NSE:INFY 2026-\\d\\d-\\d\\d to 2026-10-30 \\(sandbox bars\\) \\(\\d+ (cuts|bars compared)\\)\\n$`));
    }
  });

  it('a rule file passes both', async () => {
    for (const kind of ['lookahead', 'warmup']) {
      const r = await algo(['backtest', 'check', kind, '--rules', path.join(root, 'examples/rules/ema-rsi-trend.json')]);
      expect(r.code, r.err).toBe(0);
    }
  });

  it('--json gives the verdict as a document', async () => {
    const r = await algo(['backtest', 'check', 'lookahead', '--strategy', 'orb', '--json']);
    expect(JSON.parse(r.out)).toMatchObject({ check: 'lookahead', strategy: 'orb', symbol: 'NSE:INFY', to: '2026-10-30', ok: true, compared: 16, problems: [] });
  });

  it('a bad check or flag: one line, exit 2', async () => {
    expect((await algo(['backtest', 'check', 'future', '--strategy', 'orb'])).err).toBe('algo: unknown check "future"; use algo backtest check lookahead or algo backtest check warmup\n');
    const r = await algo(['backtest', 'check', 'warmup', '--strategy', 'orb', '--from', '2026-10-31', '--to', '2026-11-01']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/has no trading day/);
  });
});

describe('the help texts', () => {
  it('show the examples, and every example of run runs (--to defaults to --from: one day)', async () => {
    const r = await algo(['backtest', 'run', '--help']);
    for (const e of EXAMPLES.run!) expect(r.out).toContain(`$ ${e}`);
    for (const e of EXAMPLES.run!) {
      const words = e.split(' ').slice(1);
      const out = await algo([...words, '--profile', 'asha']);
      expect(out.code, `${e}\n${out.err}`).toBe(0);
    }
  });
});

describe('a live-like profile: Kite historical API over HTTP, cached in the store', () => {
  let sandbox: TestSandbox;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-backtest-live-'));
  afterAll(async () => {
    await sandbox?.close();
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  beforeAll(async () => {
    // A sandbox server on the same data folder (its signing key verifies the session), with
    // historical data (plan connect). ALGO_SANDBOX_PLAN other than connect makes the app read
    // the market over HTTP as from live Kite; the server's own plan answers.
    sandbox = await startTestSandbox({ dataDir: dir, at: Date.parse(CLOCK), plan: 'connect' });
    const r = await algo(['login', '--sandbox', '--user', 'SB0001', '--port', '0'], { KITE_API_ROOT: sandbox.handle.apiRoot }, dir);
    expect(r.code, r.err).toBe(0);
  });

  it('the first run asks Kite for the minutes (one request per symbol for a short range); a rerun asks nothing, same hash', async () => {
    const env = { KITE_API_ROOT: sandbox.handle.apiRoot, ALGO_SANDBOX_PLAN: 'no-historical' };
    const args = ['backtest', 'run', '--strategy', 'ema-cross', '--symbol', 'INFY', '--symbol', 'TCS', ...RANGE, '--json'];
    sandbox.handle.requests.clear();
    const one = await algo(args, env, dir);
    expect(one.code, one.err).toBe(0);
    expect(sandbox.handle.requests.count(/^\/instruments\/historical\//)).toBe(2);
    sandbox.handle.requests.clear();
    const two = await algo(args, env, dir);
    expect(two.code, two.err).toBe(0);
    expect(sandbox.handle.requests.count(/^\/instruments\/historical\//)).toBe(0);
    expect(JSON.parse(two.out).hash).toBe(JSON.parse(one.out).hash);
    // the same bars as the in-process sandbox market: the same result
    const inProcess = await algo(args, { KITE_API_ROOT: sandbox.handle.apiRoot, ALGO_SANDBOX_PLAN: 'connect' }, dir);
    expect(JSON.parse(inProcess.out).hash).toBe(JSON.parse(one.out).hash);
  });

  it('without historical permission: one line that says so and what to do', async () => {
    const r = await algo(['backtest', 'run', '--strategy', 'orb', '--symbol', 'INFY', ...RANGE], { ALGO_SANDBOX_PLAN: 'no-historical' });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe('algo: this Kite app has no historical data (minute candles); the sandbox imitates a plan without it (ALGO_SANDBOX_PLAN)\n');
  });
});
