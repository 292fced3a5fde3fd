import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { resolveSettings } from '../../src/core/config.js';
import { captureIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { openStore } from '../../src/core/store/open.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { App } from '../../src/tui/App.js';
import { DashboardController } from '../../src/tui/controller.js';
import { loadBackend } from '../../src/tui/data/load-backend.js';
import { themeFor } from '../../src/tui/theme.js';
import { waitForFrame, waitForStdin } from '../helpers/ink.js';
import { MARKET_OPEN, startTestApi, type TestApi } from '../helpers/server.js';

/**
 * One desk, three faces: the same orders through the CLI (in process), the REST API (real HTTP)
 * and the dashboard (keystrokes into the real App over the real backend), each on the sandbox and
 * its own SQLite file, give the same outcome: the same field named for input that can never be
 * an order (and nothing stored), REJECTED and stored for an account rule, COMPLETE for a good one.
 */

interface Case {
  name: string;
  side: 'BUY' | 'SELL';
  symbol: string;
  quantity: string;
  /** LIMIT with this price (rupees); MARKET without. */
  price?: string;
  outcome: { refused: string } | { status: 'COMPLETE' | 'REJECTED' | 'AMO REQ RECEIVED' };
}

const CASES: Case[] = [
  { name: 'unknown symbol', side: 'BUY', symbol: 'NOSUCHCO', quantity: '1', outcome: { refused: 'tradingsymbol' } },
  { name: 'zero quantity', side: 'BUY', symbol: 'INFY', quantity: '0', outcome: { refused: 'quantity' } },
  { name: 'over the per-order cap', side: 'BUY', symbol: 'INFY', quantity: '2000000', outcome: { refused: 'quantity' } },
  { name: 'off-tick price', side: 'BUY', symbol: 'INFY', quantity: '1', price: '1500.03', outcome: { refused: 'price' } },
  { name: 'outside the circuit band', side: 'BUY', symbol: 'INFY', quantity: '1', price: '99999', outcome: { refused: 'price' } },
  { name: 'sub-paisa price', side: 'BUY', symbol: 'INFY', quantity: '1', price: '1500.005', outcome: { refused: 'price' } },
  { name: 'a delivery sell without holdings', side: 'SELL', symbol: 'TCS', quantity: '1', outcome: { status: 'REJECTED' } },
  { name: 'a good market buy', side: 'BUY', symbol: 'INFY', quantity: '1', outcome: { status: 'COMPLETE' } },
];

/** How one face answered: the field it named, or the order it stored, and how many orders the account holds. */
interface Answer {
  field?: string;
  message?: string;
  status?: string;
  orders: number;
}

const CLOCK = new Date(MARKET_OPEN).toISOString();
/** The CLI's clock (ALGO_CLOCK); the API's and the dashboard's are ManualClocks. */
let cliClock = CLOCK;
let dashClock: ManualClock;
const dirs: string[] = [];
const tempDir = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-faces-'));
  dirs.push(d);
  return d;
};

async function login(dir: string): Promise<void> {
  const r = await cli(dir, ['login', '--sandbox', '--user', 'SB0001']);
  expect(r.code, r.err).toBe(0);
}

async function cli(dir: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo({ ALGO_DATA_DIR: dir, ALGO_CLOCK: cliClock, ALGO_SANDBOX: '1', NO_COLOR: '1' });
  const code = await runCli(['node', 'algo', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

async function ordersIn(store: PaperStore, userId: string): Promise<number> {
  return (await store.orders(userId)).length;
}

// ---- CLI, in process --------------------------------------------------------------------------
let cliDir: string;
let cliStore: PaperStore;

async function viaCli(c: Case): Promise<Answer> {
  const args = ['paper', c.side.toLowerCase(), c.symbol, c.quantity, '--json', ...(c.price ? ['--price', c.price] : [])];
  const r = await cli(cliDir, args);
  const doc = JSON.parse(r.out) as { status?: string; error_type?: string; message?: string };
  const orders = await ordersIn(cliStore, 'SB0001');
  expect(r.err === '' ? 0 : r.err.trim().split('\n').length, r.err).toBe(r.code === 0 ? 0 : 1); // one line, or none
  if (r.code === 2) {
    expect(doc).toMatchObject({ status: 'error', error_type: 'InputException' });
    return { field: /^algo: (\w+):/.exec(r.err)?.[1] ?? `?${r.err}`, message: r.err.replace(/^algo: /, '').trim(), orders };
  }
  expect(r.code).toBe(doc.status === 'REJECTED' ? 4 : 0);
  return { status: doc.status!, orders };
}

// ---- API, over HTTP -------------------------------------------------------------------------
let api: TestApi;
let token: string;
let apiStore: PaperStore;

async function viaApi(c: Case): Promise<Answer> {
  const body: Record<string, unknown> = { tradingsymbol: c.symbol, transaction_type: c.side, quantity: Number(c.quantity) };
  if (c.price) body.price = Number(c.price);
  const r = await api.call('POST', '/api/paper-trading/orders', { token, body });
  const orders = await ordersIn(apiStore, 'SB0001');
  if (r.status === 400 && r.json.error_type === 'InputException') return { field: r.json.data?.field, message: r.json.message, orders };
  if (r.status === 400) return { status: (await api.call('GET', `/api/paper-trading/orders/${r.json.data.order_id}`, { token })).json.data.status, orders };
  expect(r.status).toBe(200);
  return { status: r.json.data.status, orders };
}

// ---- the dashboard, by keystrokes ------------------------------------------------------------
let dashDir: string;
let dashStore: PaperStore;
let controller: DashboardController;
let backendClose: () => Promise<void>;
let ink: ReturnType<typeof render>;

const FIELD_OF_LABEL: Record<string, string> = { tradingsymbol: 'tradingsymbol', quantity: 'quantity', price: 'price' };

async function viaDashboard(c: Case): Promise<Answer> {
  const key = (s: string) => ink.stdin.write(s);
  const before = (await dashStore.orders('SB0001')).map((o) => o.order_id);
  key(c.side === 'BUY' ? 'b' : 's');
  await waitForFrame(ink.lastFrame, 'Enter place', 10_000);
  const plain = () => (ink.lastFrame() ?? '').replace(/\x1b\[[0-9;]*m/g, '');
  const focused = (label: string) => new RegExp(`› ${label}`);
  key(c.symbol); // the symbol is selected: typing replaces it
  await waitForFrame(plain, `› Symbol    ${c.symbol}`, 10_000);
  key('\t');
  await waitForFrame(plain, focused('Quantity'), 10_000);
  key(c.quantity); // so is the quantity
  await waitForFrame(plain, `› Quantity  ${c.quantity}`, 10_000);
  if (c.price) {
    key('\t');
    await waitForFrame(plain, focused('Type'), 10_000);
    key('\x1b[C'); // → : MARKET -> LIMIT
    await waitForFrame(plain, /› Type\s+‹ LIMIT/, 10_000);
    key('\t');
    await waitForFrame(plain, focused('Product'), 10_000);
    key('\t');
    await waitForFrame(plain, focused('Price'), 10_000);
    key(c.price);
    await waitForFrame(plain, `› Price ₹   ${c.price}`, 10_000);
  }
  key('\r');
  // the form answers with an error line, or closes once the order is placed
  const frame = await waitForFrame(ink.lastFrame, (f) => /✖ /.test(f) || !/sending…|Enter place/.test(f), 15_000);
  const error = /✖ (.*)/.exec(frame)?.[1]?.trim();
  if (error) {
    key('\x1b'); // close the form
    await waitForFrame(ink.lastFrame, (f) => !/Enter place/.test(f), 10_000);
  }
  const after = await dashStore.orders('SB0001');
  const mine = after.find((o) => !before.includes(o.order_id));
  if (mine) return { status: mine.status, orders: after.length };
  const field = error ? /^(?:rejected: )?(\w+):/.exec(error)?.[1] : undefined;
  return { field: FIELD_OF_LABEL[field ?? ''] ?? `?${error}`, orders: after.length };
}

beforeAll(async () => {
  cliDir = tempDir();
  await login(cliDir);
  cliStore = await openStore(`sqlite:${path.join(cliDir, 'algo.db')}`);

  api = await startTestApi({ writeRate: 1000, readRate: 1000, dataDir: tempDir() });
  token = await api.loginDemo('SB0001');
  apiStore = await openStore(api.settings.store);

  dashDir = tempDir();
  await login(dashDir);
  const env = { ALGO_DATA_DIR: dashDir, ALGO_SANDBOX: '1' };
  const { settings, file } = resolveSettings({}, env);
  const clock = (dashClock = new ManualClock(MARKET_OPEN));
  const ctx = { settings, configFile: file, clock, forProfile: () => ({ settings, configFile: file, clock }) };
  const backend = await loadBackend(ctx, () => undefined);
  backendClose = backend.close;
  controller = new DashboardController({ factory: backend.factory, clock, dataDir: dashDir, profile: settings.profile, warn: () => undefined });
  dashStore = await openStore(settings.store);
  ink = render(<App port={controller} clock={clock} theme={themeFor({ NO_COLOR: '1' })} />);
  await controller.start();
  await waitForStdin(ink.stdin);
  await waitForFrame(ink.lastFrame, 'SB0001', 15_000);
  ink.stdin.write('2');
  await waitForFrame(ink.lastFrame, /Paper|paper/, 10_000);
}, 60_000);

afterAll(async () => {
  ink?.unmount();
  await controller?.stop();
  await backendClose?.();
  await api?.close();
  for (const s of [cliStore, apiStore, dashStore]) await s?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('one order language behind three faces', () => {
  it.each(CASES)('$name: the same outcome from the CLI, the API and the dashboard', async (c) => {
    const answers = { cli: await viaCli(c), api: await viaApi(c), dashboard: await viaDashboard(c) };
    for (const [face, a] of Object.entries(answers)) {
      if ('refused' in c.outcome) {
        expect(a.field, `${face}: ${JSON.stringify(a)}`).toBe(c.outcome.refused);
        expect(a.status, face).toBeUndefined();
      } else {
        expect(a.status, `${face}: ${JSON.stringify(a)}`).toBe(c.outcome.status);
      }
    }
    // the same number of stored orders on each face's account: nothing stored where nothing may be
    expect(new Set(Object.values(answers).map((a) => a.orders)).size, JSON.stringify(answers)).toBe(1);
    // and the same words from the CLI and the API for a refusal
    if ('refused' in c.outcome) expect(answers.cli.message).toBe(answers.api.message);
  });
});

describe('a modification follows the same rule', () => {
  it('an off-tick or out-of-band new price is refused naming the field (CLI exit 2, API 400), and the order is unchanged', async () => {
    // a resting LIMIT 5% under the market on each face
    const ltp = (await viaApiQuote()) as number;
    const price = Math.floor(ltp * 0.95);
    const placed = await cli(cliDir, ['paper', 'buy', 'INFY', '1', '--price', String(price), '--json']);
    const cliId = (JSON.parse(placed.out) as { order_id: string; status: string }).order_id;
    const apiPlaced = await api.call('POST', '/api/paper-trading/orders', { token, body: { tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1, price } });
    expect(apiPlaced.json.data.status).toBe('OPEN');
    const apiId = apiPlaced.json.data.order_id as string;
    for (const [bad, message] of [['1500.03', /^algo: price: .* is not a multiple of the tick size/], ['99999', /^algo: price: ₹99,999.00 is outside today's circuit limits/]] as const) {
      const r = await cli(cliDir, ['paper', 'modify', cliId, '--price', bad]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(message);
      const a = await api.call('PUT', `/api/paper-trading/orders/${apiId}`, { token, body: { price: Number(bad) } });
      expect(a.status).toBe(400);
      expect(a.json).toMatchObject({ error_type: 'InputException', data: { field: 'price' } });
      expect(a.json.message).toBe(r.err.replace(/^algo: /, '').trim());
    }
    expect((await cliStore.order('SB0001', cliId))).toMatchObject({ status: 'OPEN', price: price * 100 });
    expect((await apiStore.order('SB0001', apiId))).toMatchObject({ status: 'OPEN', price: price * 100 });
  });
});

describe('at night', () => {
  it('a good market buy is an after-market order (AMO REQ RECEIVED) from the CLI, the API and the dashboard alike', async () => {
    const night = Date.parse('2026-11-25T20:00:00+05:30'); // the same Wednesday: the sessions are valid until 06:00
    cliClock = new Date(night).toISOString();
    api.clock.set(night);
    dashClock.set(night);
    try {
      const c: Case = { name: 'a market buy at night', side: 'BUY', symbol: 'INFY', quantity: '1', outcome: { status: 'AMO REQ RECEIVED' } };
      const answers = { cli: await viaCli(c), api: await viaApi(c), dashboard: await viaDashboard(c) };
      for (const [face, a] of Object.entries(answers)) expect(a.status, `${face}: ${JSON.stringify(a)}`).toBe('AMO REQ RECEIVED');
    } finally {
      cliClock = CLOCK;
      api.clock.set(MARKET_OPEN);
      dashClock.set(MARKET_OPEN);
    }
  });
});

async function viaApiQuote(): Promise<number> {
  const pos = (await api.call('GET', '/api/paper-trading/positions', { token })).json.data.net as Array<{ tradingsymbol: string; last_price: number }>;
  return pos.find((p) => p.tradingsymbol === 'INFY')!.last_price;
}
