import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../../src/app/backtest-json.js';
import { specOf } from '../../src/app/backtest.js';
import { sandboxMarket } from '../../src/app/market.js';
import { captureIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { sandboxFeed } from '../../src/core/backtest/feed-sandbox.js';
import { runBacktest } from '../../src/core/backtest/run.js';
import type { BacktestSpec } from '../../src/core/backtest/types.js';
import { BUILTINS } from '../../src/core/strategy/builtins/index.js';
import { startTestApi, type Reply, type TestApi } from '../helpers/server.js';

/**
 * The API's strategies and backtests against the real server (in-process sandbox, SQLite), two
 * demo users signed in. The server's clock is Wednesday 25 Nov 2026 10:00 IST; the runs replay
 * Friday 20 and Monday 23 Nov (two trading days: 21-22 are a weekend), so they stay fast.
 */

let api: TestApi;
let a: string;
let b: string;

beforeAll(async () => {
  // Generous rates: the rate limiter's clock is frozen, and these tests are not about it.
  api = await startTestApi({ readRate: 100_000, writeRate: 100_000 });
  a = await api.loginDemo('SB0001');
  b = await api.loginDemo('SB0002');
  const login = await algo(['login', '--sandbox', '--user', 'SB0001']);
  expect(login.code, login.err).toBe(0);
});
afterAll(async () => api?.close());

const RANGE = { from: '2026-11-20', to: '2026-11-23' };
// sma-cross (its default fast, given: the spec records it) makes two round trips on INFY over these days.
const GOOD = { strategy: 'sma-cross', symbols: ['INFY'], ...RANGE, params: { fast: 10 }, qty: 10, sl: 1 };

/** Poll a run until it is no longer running (the worker answers within seconds for two days). */
async function finished(token: string, runId: string): Promise<Reply> {
  for (let i = 0; i < 400; i++) {
    const r = await api.call('GET', `/api/backtests/${runId}`, { token });
    if (r.status !== 200 || r.json.data.status !== 'running') return r;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`run ${runId} still running`);
}

/** `algo` in process over a data folder of its own (signed in apart from the API), at the server's instant. */
const cliDir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-api-cli-'));
afterAll(() => fs.rmSync(cliDir, { recursive: true, force: true, maxRetries: 5 }));
async function algo(args: string[]) {
  const io = captureIo({ ...process.env, NO_COLOR: '1', ALGO_DATA_DIR: cliDir, ALGO_CLOCK: new Date(api.clock.now()).toISOString() });
  const code = await runCli(['node', 'algo', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('GET /api/strategies', () => {
  it('lists every built-in with its parameters (defaults, ranges, descriptions)', async () => {
    const r = await api.call('GET', '/api/strategies', { token: a });
    expect(r.status).toBe(200);
    const list = r.json.data.strategies as Array<Record<string, any>>;
    expect(list.map((s) => s.id)).toEqual(BUILTINS.map((s) => s.id));
    const ema = list.find((s) => s.id === 'ema-cross')!;
    expect(ema).toMatchObject({ version: expect.any(Number), title: expect.any(String), description: expect.any(String), timeframe: '5m' });
    expect(ema.params).toContainEqual(expect.objectContaining({ name: 'fast', type: 'integer', default: 9, min: expect.any(Number), max: expect.any(Number), description: expect.any(String) }));
    for (const s of list) for (const p of s.params) expect(p.description.length).toBeGreaterThan(0);
  });

  it('shows one by id, 404 for an unknown id, 401 without a session', async () => {
    const one = await api.call('GET', '/api/strategies/orb', { token: a });
    expect(one.status).toBe(200);
    expect(one.json.data.id).toBe('orb');
    const none = await api.call('GET', '/api/strategies/nope', { token: a });
    expect(none.status).toBe(404);
    expect(none.json.message).toMatch(/^unknown strategy "nope"; known: sma-cross, /);
    expect((await api.call('GET', '/api/strategies')).status).toBe(401);
  });
});

describe('POST /api/backtests: bad input', () => {
  // body, the field named, and the CLI flags of the same input (its stderr line is the same text)
  const cases: Array<[string, Record<string, unknown>, string, string[] | null]> = [
    ['no strategy', { symbols: ['INFY'], ...RANGE }, 'strategy', ['--symbol', 'INFY', '--from', RANGE.from]],
    ['an unknown strategy', { ...GOOD, strategy: 'nope' }, 'strategy', ['--strategy', 'nope', '--symbol', 'INFY', '--from', RANGE.from]],
    ['both strategy and rules', { ...GOOD, rules: '{}' }, 'strategy', null],
    ['rules that do not compile', { ...GOOD, strategy: undefined, rules: '{"id": 1}' }, 'rules', null],
    ['no symbol', { ...GOOD, symbols: [] }, 'symbols', ['--strategy', 'sma-cross', '--from', RANGE.from]],
    ['a symbol of another exchange', { ...GOOD, symbols: ['NFO:NIFTY'] }, 'symbols', ['--strategy', 'sma-cross', '--symbol', 'NFO:NIFTY', '--from', RANGE.from]],
    ['an unknown symbol', { ...GOOD, symbols: ['NOSUCHSYM'] }, 'symbols', null],
    ['symbols not a list', { ...GOOD, symbols: 'INFY' }, 'symbols', null],
    ['no from', { ...GOOD, from: undefined }, 'from', ['--strategy', 'sma-cross', '--symbol', 'INFY']],
    ['from not a date', { ...GOOD, from: '2026-02-30' }, 'from', ['--strategy', 'sma-cross', '--symbol', 'INFY', '--from', '2026-02-30']],
    ['to before from', { ...GOOD, to: '2026-11-19' }, 'to', ['--strategy', 'sma-cross', '--symbol', 'INFY', '--from', RANGE.from, '--to', '2026-11-19']],
    ['a range starting after today', { ...GOOD, from: '2026-11-26', to: '2026-11-27' }, 'from', null],
    ['a weekend only', { ...GOOD, from: '2026-11-21', to: '2026-11-22' }, 'from', ['--strategy', 'sma-cross', '--symbol', 'INFY', '--from', '2026-11-21', '--to', '2026-11-22']],
    ['a parameter out of range', { ...GOOD, params: { fast: 0 } }, 'params', ['--strategy', 'sma-cross', '--symbol', 'INFY', '--from', RANGE.from, '--param', 'fast=0']],
    ['an unknown parameter', { ...GOOD, params: { nope: 1 } }, 'params', ['--strategy', 'sma-cross', '--symbol', 'INFY', '--from', RANGE.from, '--param', 'nope=1']],
    ['a zero quantity', { ...GOOD, qty: 0 }, 'qty', ['--strategy', 'sma-cross', '--symbol', 'INFY', '--from', RANGE.from, '--qty', '0']],
    ['capital not an amount', { ...GOOD, qty: undefined, capital: 'lots' }, 'capital', ['--strategy', 'sma-cross', '--symbol', 'INFY', '--from', RANGE.from, '--capital', 'lots']],
    ['qty and capital', { ...GOOD, capital: 50000 }, 'capital', ['--strategy', 'sma-cross', '--symbol', 'INFY', '--from', RANGE.from, '--qty', '10', '--capital', '50000']],
    ['a product a backtest does not take', { ...GOOD, product: 'NRML' }, 'product', ['--strategy', 'sma-cross', '--symbol', 'INFY', '--from', RANGE.from, '--product', 'NRML']],
    ['a zero stop-loss', { ...GOOD, sl: 0 }, 'sl', ['--strategy', 'sma-cross', '--symbol', 'INFY', '--from', RANGE.from, '--sl', '0%']],
    ['a target without %', { ...GOOD, target: '2' }, 'target', ['--strategy', 'sma-cross', '--symbol', 'INFY', '--from', RANGE.from, '--target', '2']],
    ['a trail of 150%', { ...GOOD, trail: 150 }, 'trail', ['--strategy', 'sma-cross', '--symbol', 'INFY', '--from', RANGE.from, '--trail', '150%']],
    ['an unknown field', { ...GOOD, quantity: 10 }, 'quantity', null],
  ];

  it.each(cases)('%s: 400 InputException naming data.field, the CLI\'s message', async (_what, body, field, flags) => {
    const r = await api.call('POST', '/api/backtests', { token: a, body });
    expect(r.status, r.text).toBe(400);
    expect(r.json).toMatchObject({ status: 'error', error_type: 'InputException', data: { field } });
    if (flags) {
      const cli = await algo(['backtest', 'run', ...flags]);
      expect(cli.code).toBe(2);
      expect(cli.err).toBe(`algo: ${r.json.message}\n`);
    }
  });

  it('stored nothing and started nothing', async () => {
    const r = await api.call('GET', '/api/backtests', { token: a });
    expect(r.json.data).toEqual({ runs: [] });
  });
});

describe('POST /api/backtests: a run', () => {
  let runId: string;
  let done: Record<string, any>;

  beforeAll(async () => {
    const r = await api.call('POST', '/api/backtests', { token: a, body: GOOD });
    expect(r.status, r.text).toBe(202);
    expect(r.json.data).toEqual({ run_id: expect.stringMatching(/^bt-[0-9a-f]{8}$/), status: 'running' });
    runId = r.json.data.run_id;
    const end = await finished(a, runId);
    expect(end.status).toBe(200);
    done = end.json.data;
  });

  it("answers the whole result in the CLI's --json shape when done", () => {
    expect(done).toMatchObject({ status: 'done', run_id: runId, strategy: 'sma-cross', params: { fast: 10, slow: 30 }, symbols: ['NSE:INFY'], ...RANGE });
    for (const k of ['trades', 'win_rate', 'net_pnl', 'total_charges', 'max_drawdown', 'return_pct', 'profit_factor', 'expectancy', 'exposure_pct']) expect(done.stats).toHaveProperty(k);
    expect(done.settings).toMatchObject({ sizing: { quantity: 10 }, product: 'MIS', exits: { stopLoss: { percent: 1 } } });
    expect(done.trades.length).toBe(done.stats.trades);
    expect(done.trades.length).toBeGreaterThan(0);
    expect(done.orders[0]).toMatchObject({ status: 'COMPLETE', exchange: 'NSE', tradingsymbol: 'INFY', product: 'MIS', quantity: 10 });
    expect(done.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the hash an in-process runBacktest of the same spec gives (one desk)', async () => {
    const spec: BacktestSpec = specOf(api.settings, {
      strategy: { kind: 'builtin', id: 'sma-cross' },
      params: { fast: 10 },
      symbols: ['NSE:INFY'],
      ...RANGE,
      sizing: { quantity: 10 },
      product: 'MIS',
      exits: { stopLoss: { percent: 1 } },
    });
    const market = await sandboxMarket(api.settings, api.clock);
    const result = await runBacktest(spec, await sandboxFeed(market, spec.symbols, spec.from, spec.to, api.clock));
    expect(done.hash).toBe(result.hash);
    const { run_id: _r, ran_at: _a, elapsed_ms: _e, ...mine } = runJson(result);
    const { run_id: _r2, ran_at: _a2, elapsed_ms: _e2, status: _s, ...theirs } = done;
    expect(theirs).toEqual(mine);
  });

  it('gives the hash the CLI gives for the same inputs (another data folder, the same instant)', async () => {
    const cli = await algo(['backtest', 'run', '--strategy', 'sma-cross', '--symbol', 'INFY', '--from', RANGE.from, '--to', RANGE.to, '--param', 'fast=10', '--qty', '10', '--sl', '1%', '--json']);
    expect(cli.code, cli.err).toBe(0);
    const doc = JSON.parse(cli.out);
    expect(doc.hash).toBe(done.hash);
    expect(doc.run_id).not.toBe(runId);
  });

  it("lists the user's runs newest first, and never another user's", async () => {
    const mine = await api.call('GET', '/api/backtests', { token: a });
    const runs = mine.json.data.runs as Array<Record<string, any>>;
    expect(runs.map((r) => [r.run_id, r.status])).toEqual([[runId, 'done']]);
    expect(runs[0]).toMatchObject({ strategy: 'sma-cross', symbols: ['NSE:INFY'], hash: done.hash, trades: done.stats.trades });
    const theirs = await api.call('GET', '/api/backtests', { token: b });
    expect(theirs.json.data).toEqual({ runs: [] });
  });

  it("answers 404 for another user's run and for an unknown id", async () => {
    const other = await api.call('GET', `/api/backtests/${runId}`, { token: b });
    expect(other.status).toBe(404);
    expect(other.json).toMatchObject({ status: 'error', error_type: 'GeneralException', message: `backtest run ${runId} not found` });
    expect((await api.call('GET', '/api/backtests/bt-00000000', { token: a })).status).toBe(404);
    expect((await api.call('GET', '/api/backtests/bad%20id', { token: a })).status).toBe(400);
  });
});

describe('POST /api/backtests: one at a time per user', () => {
  it('a second while one runs answers 409 with the reason; another user runs at the same time', async () => {
    const body = { ...GOOD, symbols: ['INFY', 'TCS'] };
    const [x, y, other] = await Promise.all([
      api.call('POST', '/api/backtests', { token: a, body }),
      api.call('POST', '/api/backtests', { token: a, body }),
      api.call('POST', '/api/backtests', { token: b, body }),
    ]);
    expect([x.status, y.status].sort()).toEqual([202, 409]);
    const busy = x.status === 409 ? x : y;
    expect(busy.json).toMatchObject({ status: 'error', error_type: 'GeneralException' });
    expect(busy.json.message).toMatch(/^a backtest is already running for SB0001 \(since 2026-11-25 10:00:00\); wait for it to finish/);
    expect(other.status).toBe(202);
    const started = (x.status === 202 ? x : y).json.data.run_id as string;
    const running = await api.call('GET', `/api/backtests/${started}`, { token: a });
    expect(['running', 'done']).toContain(running.json.data.status);
    expect((await finished(a, started)).json.data.status).toBe('done');
    expect((await finished(b, other.json.data.run_id)).json.data.status).toBe('done');
    // the slot is free again
    const again = await api.call('POST', '/api/backtests', { token: a, body: GOOD });
    expect(again.status).toBe(202);
    expect((await finished(a, again.json.data.run_id)).json.data.status).toBe('done');
  });

  it("a run another process holds for the user (the CLI's lock) answers 409 too, and nothing starts", async () => {
    const lock = path.join(api.dir, 'backtest-SB0001.lock');
    fs.writeFileSync(lock, JSON.stringify({ pid: process.ppid, at: '2026-11-25 09:59:00' }));
    try {
      const r = await api.call('POST', '/api/backtests', { token: a, body: GOOD });
      expect(r.status).toBe(409);
      expect(r.json.message).toMatch(/^a backtest is already running for SB0001 \(since 2026-11-25 09:59:00\)/);
    } finally {
      fs.rmSync(lock, { force: true });
    }
    const runs = (await api.call('GET', '/api/backtests', { token: a })).json.data.runs as Array<{ status: string }>;
    expect(runs.every((r) => r.status === 'done')).toBe(true);
  });
});

describe('POST /api/backtests: a rule file as JSON text', () => {
  it('compiles it as algo strategy validate does, runs it, and names it rules', async () => {
    const rules = fs.readFileSync(path.join(import.meta.dirname, '../../examples/rules/ema-rsi-trend.json'), 'utf8');
    const r = await api.call('POST', '/api/backtests', { token: b, body: { rules, symbols: ['INFY'], ...RANGE } });
    expect(r.status, r.text).toBe(202);
    const end = await finished(b, r.json.data.run_id);
    expect(end.json.data).toMatchObject({ status: 'done', strategy: 'ema-rsi-trend', settings: { rules_file: 'rules', sizing: { quantity: 1 }, product: 'MIS' } });
    const bad = await api.call('POST', '/api/backtests', { token: b, body: { rules: 'not json', symbols: ['INFY'], ...RANGE } });
    expect(bad.status).toBe(400);
    expect(bad.json.data).toEqual({ field: 'rules' });
    expect(bad.json.message).toMatch(/^rules: /);
  });
});

