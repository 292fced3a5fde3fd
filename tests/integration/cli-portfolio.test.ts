import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, tempDataDir } from '../helpers/cli.js';

/** `algo portfolio ...` and `algo quote ...` as child processes of the built CLI, against the in-process sandbox. */

const CLOCK = '2026-11-25T10:00:00+05:30';
let dataDir: string;
const algo = (args: string[], clock = CLOCK) => runCli([...args, '--sandbox', '--profile', 'demo'], { dataDir, env: { ALGO_CLOCK: clock } });

beforeAll(async () => {
  ensureBuilt();
  dataDir = tempDataDir('algo-portfolio-');
  const r = await runCli(['login', '--sandbox', '--user', 'SB0001', '--profile', 'demo'], { dataDir, env: { ALGO_CLOCK: CLOCK } });
  expect(r.code, r.stderr).toBe(0);
}, 180_000);
afterAll(() => {
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

interface Holding {
  tradingsymbol: string;
  quantity: number;
  average_price: number;
  last_price: number;
  pnl: number;
}

describe('algo portfolio', () => {
  it('holdings: a table with Indian grouping and a totals row that adds up the JSON', async () => {
    const [table, json] = await Promise.all([algo(['portfolio', 'holdings']), algo(['portfolio', 'holdings', '--json'])]);
    expect(table.code, table.stderr).toBe(0);
    expect(json.code, json.stderr).toBe(0);
    const rows = JSON.parse(json.stdout) as Holding[];
    expect(rows.length).toBeGreaterThan(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SYMBOL\s+QTY\s+AVG\s+LTP\s+INVESTED\s+VALUE\s+P&L\s+DAY CHG$/);
    expect(lines.slice(1, -1).map((l) => l.split(/\s+/)[0])).toEqual(rows.map((r) => r.tradingsymbol).sort());
    const invested = rows.reduce((a, r) => a + Math.round(r.average_price * 100) * r.quantity, 0);
    const grouped = (paise: number) => {
      const rupees = String(Math.floor(paise / 100));
      const head = rupees.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
      return `${head ? `${head},` : ''}${rupees.slice(-3)}.${String(paise % 100).padStart(2, '0')}`;
    };
    expect(lines.at(-1)).toMatch(new RegExp(`^TOTAL\\s+${grouped(invested).replace(/\./g, '\\.')}\\s`));
  });

  it('--sort orders by a column and refuses an unknown one', async () => {
    const [sorted, json, bad] = await Promise.all([
      algo(['portfolio', 'holdings', '--sort', 'pnl']),
      algo(['portfolio', 'holdings', '--json']),
      algo(['portfolio', 'holdings', '--sort', 'colour']),
    ]);
    const byPnl = (JSON.parse(json.stdout) as Holding[]).sort((a, b) => b.pnl - a.pnl).map((r) => r.tradingsymbol);
    expect(sorted.stdout.trimEnd().split('\n').slice(1, -1).map((l) => l.split(/\s+/)[0])).toEqual(byPnl);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--sort must be one of symbol, qty, avg, ltp, invested, value, pnl, day; got "colour"/);
  });

  it('positions, orders, trades and margins print Kite shapes with --json and tables without', async () => {
    const [positions, day, orders, trades, margins, marginsTable] = await Promise.all([
      algo(['portfolio', 'positions', '--json']),
      algo(['portfolio', 'positions', '--day']),
      algo(['portfolio', 'orders', '--json']),
      algo(['portfolio', 'trades']),
      algo(['portfolio', 'margins', '--json']),
      algo(['portfolio', 'margins']),
    ]);
    for (const r of [positions, day, orders, trades, margins, marginsTable]) expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(JSON.parse(positions.stdout))).toEqual(['net', 'day']);
    expect(day.stdout).toMatch(/^SYMBOL\s+PRODUCT\s+QTY/);
    const order = (JSON.parse(orders.stdout) as Array<{ order_timestamp: string }>)[0]!;
    expect(order.order_timestamp).toMatch(/^2026-11-25 \d{2}:\d{2}:\d{2}$/);
    expect(trades.stdout).toMatch(/^(TIME\s+TRADE ID|no trades today)/);
    expect(JSON.parse(margins.stdout)).toHaveProperty('equity.available.cash');
    expect(marginsTable.stdout).toMatch(/equity\s+[\d,]+\.\d{2}/);
  });

  it('a sandbox session past its 06:00 expiry renews itself: the next morning the portfolio still answers', async () => {
    const r = await algo(['portfolio', 'holdings', '--json'], '2026-11-26T07:00:00+05:30');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Holding[]).length).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
  });
});

describe('algo quote', () => {
  it('prints LTP, change and OHLC, the depth with --depth, and Kite shapes with --json', async () => {
    const [table, json] = await Promise.all([algo(['quote', 'infy', 'NSE:TCS', '--depth']), algo(['quote', 'INFY', '--json'])]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^INSTRUMENT\s+LTP\s+CHANGE\s+OPEN\s+HIGH\s+LOW\s+PREV CLOSE\s+VOLUME/);
    expect(table.stdout).toMatch(/NSE:INFY\s+[\d,]+\.\d{2}/);
    expect(table.stdout).toMatch(/NSE:TCS depth\nBID QTY\s+ORDERS\s+BID\s+ASK\s+ORDERS\s+ASK QTY\n(.*\n){5}/);
    const q = JSON.parse(json.stdout) as Record<string, { last_price: number; depth: { buy: unknown[] }; timestamp: string }>;
    expect(Object.keys(q)).toEqual(['NSE:INFY']);
    expect(q['NSE:INFY']!.depth.buy).toHaveLength(5);
    expect(q['NSE:INFY']!.timestamp).toBe('2026-11-25 10:00:00');
    expect(table.stdout).toContain(q['NSE:INFY']!.last_price.toLocaleString('en-IN', { minimumFractionDigits: 2 }));
  });

  it('names an unknown instrument and exits 2', async () => {
    const r = await algo(['quote', 'NSE:NOSUCHCO']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no quote for NSE:NOSUCHCO/);
  });
});
