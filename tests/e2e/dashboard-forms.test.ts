import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliFixture, ensureBuilt } from '../helpers/cli.js';
import { TmuxPane } from '../helpers/tmux.js';

/**
 * The dashboard's order forms in a real terminal (tmux, 120x40) against the in-process sandbox:
 * a modify and a new LIMIT order at a price outside today's circuit band are refused on screen,
 * and `algo paper orders` (another process) sees nothing changed and nothing new.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
// A Saturday evening: the sandbox trades only because of ALGO_ALWAYS_OPEN=1.
const CLOCK = '2026-11-28T20:00:00+05:30';
const ENV = { ALGO_ALWAYS_OPEN: '1' };
const WAIT = 20_000; // per screen wait: generous for a loaded 2-core machine
const OUT_OF_BAND = '99999';

const { dataDir, algo } = cliFixture(afterEach, CLOCK, 'algo-dash-forms-');
let pane: TmuxPane | null = null;

beforeAll(() => ensureBuilt(), 180_000); // ensureBuilt may have to build dist/ first

afterEach(() => {
  pane?.kill();
  pane = null;
});

function startDashboard(dir: string): TmuxPane {
  pane?.kill();
  pane = TmuxPane.start({
    argv: [process.execPath, path.join(root, 'dist', 'cli', 'main.js')],
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', TERM: 'tmux-256color', LANG: 'C.UTF-8', ALGO_DATA_DIR: dir, ALGO_CLOCK: CLOCK, ...ENV },
    width: 120,
    height: 40,
  });
  return pane;
}

/** The screen with the form's box borders taken off and its lines joined, so a wrapped error reads as one line. */
const flat = (screen: string): string =>
  screen
    .split('\n')
    .map((l) => l.replace(/^\s*[│╭╰]\s?/, '').replace(/\s*[│╮╯]\s*$/, '').trim())
    .join(' ')
    .replace(/\s+/g, ' ');

const circuitError = (s: string): boolean => /✖ price: ₹99,999\.00 is outside today's circuit limits ₹[\d,.]+ to ₹[\d,.]+/.test(flat(s));

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Order {
  order_id: string;
  tradingsymbol: string;
  transaction_type: string;
  order_type: string;
  quantity: number;
  filled_quantity: number;
  price: number;
  status: string;
}

async function paperOrders(dir: string): Promise<Order[]> {
  const r = await algo(dir, ['paper', 'orders', '--json'], ENV);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Order[];
}

describe('the dashboard order forms in a terminal', () => {
  it('refuses a modify and a new LIMIT order outside the circuit band, changes nothing, and quits with 0', async () => {
    const dir = dataDir();
    const login = await algo(dir, ['login', '--sandbox', '--user', 'SB0001'], ENV);
    expect(login.code, login.stderr).toBe(0);

    // A resting LIMIT buy a few percent below the market, on a whole rupee (on the 0.05 tick).
    const quote = await algo(dir, ['quote', 'ITC', '--json'], ENV);
    expect(quote.code, quote.stderr).toBe(0);
    const itc = (JSON.parse(quote.stdout) as Record<string, { last_price: number; lower_circuit_limit: number; upper_circuit_limit: number }>)['NSE:ITC']!;
    const price = Math.floor(itc.last_price * 0.96);
    expect(price).toBeGreaterThan(itc.lower_circuit_limit);
    expect(Number(OUT_OF_BAND)).toBeGreaterThan(itc.upper_circuit_limit);
    const placed = await algo(dir, ['paper', 'buy', 'ITC', '5', '--price', String(price), '--json'], ENV);
    expect(placed.code, placed.stderr).toBe(0);
    const order = JSON.parse(placed.stdout) as Order;
    expect([order.status, order.order_type, order.price, order.filled_quantity]).toEqual(['OPEN', 'LIMIT', price, 0]);
    const before = await paperOrders(dir);
    expect(before.map((o) => o.order_id)).toEqual([order.order_id]);

    const pane = startDashboard(dir);
    await pane.waitFor((s) => s.includes('SB0001') && s.includes('Holdings (') && !s.includes('loading'), 30_000);

    // 1. Modify: the paper tab, → → past the holdings to the orders table (open orders first), m, Tab to the price, 99999, Enter.
    pane.keys('2');
    const row = new RegExp(`${order.order_id}\\s+BUY\\s+ITC\\s+LIMIT CNC\\s+0/5\\s+${escape(price.toFixed(2))}\\s+OPEN`);
    await pane.waitFor((s) => s.includes('Paper orders (1)') && row.test(s), WAIT);
    pane.keys('l');
    await pane.waitFor('▸ Paper holdings', WAIT);
    pane.keys('l');
    await pane.waitFor('▸ Paper orders', WAIT);
    pane.keys('m');
    await pane.waitFor((s) => s.includes(`Modify paper order ${order.order_id} (NSE:ITC)`) && /› Quantity\s+5 typing replaces/.test(s), WAIT);
    pane.keys('Tab');
    await pane.waitFor(/› Type\s+‹ LIMIT ›/, WAIT);
    pane.keys('Tab');
    await pane.waitFor(new RegExp(`› Price ₹\\s+${price} typing replaces`), WAIT);
    pane.type(OUT_OF_BAND);
    await pane.waitFor(new RegExp(`› Price ₹\\s+${OUT_OF_BAND}\\s`), WAIT);
    pane.keys('Enter');
    const refused = await pane.waitFor((s) => circuitError(s) || /modified \S+ BUY/.test(s), WAIT);
    expect(flat(refused)).toContain("outside today's circuit limits");
    expect(refused).not.toMatch(/modified \S+ BUY/);
    expect(refused).toMatch(new RegExp(`› Price ₹\\s+${OUT_OF_BAND}\\s`)); // the form stays open on the field at fault

    // Nothing changed: the same order, still OPEN at its price, unfilled (as another process sees it).
    expect(await paperOrders(dir)).toEqual(before);

    pane.keys('Escape');
    await pane.waitFor((s) => s.includes('order form closed') && row.test(s), WAIT);

    // 2. A new order: b on the selected order's row prefills NSE:ITC; Tab to the type, space for LIMIT, Tab to the price.
    pane.keys('b');
    await pane.waitFor((s) => s.includes('Paper BUY') && /› Symbol\s+NSE:ITC typing replaces/.test(s) && /Type\s+‹ MARKET ›/.test(s), WAIT);
    pane.keys('Tab');
    await pane.waitFor(/› Quantity\s+5 typing replaces/, WAIT);
    pane.keys('Tab');
    await pane.waitFor(/› Type\s+‹ MARKET ›/, WAIT);
    pane.keys('Space');
    await pane.waitFor((s) => /› Type\s+‹ LIMIT ›/.test(s) && s.includes('Price ₹'), WAIT);
    pane.keys('Tab');
    await pane.waitFor(/› Product\s+‹ CNC ›/, WAIT);
    pane.keys('Tab');
    await pane.waitFor(/› Price ₹\s*│/, WAIT); // focused and empty: no price is prefilled from an order row
    pane.type(OUT_OF_BAND);
    await pane.waitFor(new RegExp(`› Price ₹\\s+${OUT_OF_BAND}\\s`), WAIT);
    pane.keys('Enter');
    const rejected = await pane.waitFor((s) => circuitError(s) || /paper order \S+ BUY/.test(s), WAIT);
    expect(flat(rejected)).toContain("outside today's circuit limits");
    expect(rejected).not.toMatch(/paper order \S+ BUY/);
    expect(rejected).toMatch(new RegExp(`› Price ₹\\s+${OUT_OF_BAND}\\s`));

    // Nothing new: still the one resting order, unchanged.
    expect(await paperOrders(dir)).toEqual(before);

    // 3. Close the form, quit: exit 0 and the terminal restored.
    pane.keys('Escape');
    await pane.waitFor((s) => s.includes('order form closed') && s.includes('Paper orders (1)') && row.test(s), WAIT);
    pane.keys('q');
    expect(await pane.waitForExit(WAIT)).toBe(0);
    expect(pane.alternateScreen()).toBe(false);
    expect(pane.cursorVisible()).toBe(true);
  }, 240_000);
});
