import type { Command } from 'commander';
import type { Context } from './context.js';
import type { KiteHolding, KiteOrder, KitePosition, KiteSegmentMargins, KiteTrade } from '../core/kite/types.js';

/**
 * `algo portfolio holdings|positions|orders|trades|margins`: the signed-in profile's real account
 * (Kite or the sandbox) as tables, or Kite's JSON shapes with --json.
 */

type Kind = 'holdings' | 'positions' | 'orders' | 'trades' | 'margins';

interface ListFlags {
  sort?: string;
  day?: boolean;
}

const EXAMPLES: Record<Kind, string[]> = {
  holdings: ['algo portfolio holdings', 'algo portfolio holdings --sort pnl', 'algo portfolio holdings --json'],
  positions: ['algo portfolio positions', "algo portfolio positions --day   # today's positions", 'algo portfolio positions --json'],
  orders: ['algo portfolio orders', 'algo portfolio orders --sort symbol', 'algo portfolio orders --profile work --json'],
  trades: ['algo portfolio trades', 'algo portfolio trades --sort symbol', 'algo portfolio trades --json'],
  margins: ['algo portfolio margins', 'algo portfolio margins --json'],
};

const examples = (lines: readonly string[]): string => `\nExamples:\n${lines.map((l) => `  $ ${l}\n`).join('')}`;

export function registerPortfolio(program: Command): void {
  const group = program
    .command('portfolio')
    .description("the profile's real account through Kite (or the sandbox)")
    .addHelpText('after', examples(['algo portfolio holdings', 'algo portfolio positions --day', 'algo portfolio margins --json']));
  const add = (name: Kind, description: string, extra?: (c: Command) => Command): void => {
    let c = group.command(name).description(description).addHelpText('after', examples(EXAMPLES[name]));
    if (name !== 'margins') c = c.option('--sort <field>', 'sort by a column (see the table headers)');
    if (extra) c = extra(c);
    c.action(async (flags: ListFlags, cmd: Command) => {
      const { contextOf } = await import('./context.js');
      await runPortfolio(contextOf(cmd), name, flags);
    });
  };
  add('holdings', 'holdings with P&L and day change, and a totals row');
  add('positions', 'open and closed positions (net; --day for the day view)', (c) => c.option('--day', "today's positions instead of net"));
  add('orders', "today's orders, newest first");
  add('trades', "today's trades, newest first");
  add('margins', 'funds and margins by segment');
}

/** One column of a list: header, text, value to sort by, and what goes in the totals row. */
export interface ListColumn<T> {
  key: string;
  header: string;
  text: (row: T) => string;
  sort: (row: T) => number | string;
  align?: 'left' | 'right';
  /** Colour by the sign of this value. */
  signOf?: (row: T) => number;
  total?: (rows: readonly T[]) => { text: string; sign?: number };
}

export interface ListSpec<T> {
  columns: ListColumn<T>[];
  /** The default sort (column key) and its direction. */
  defaultSort: string;
  defaultDesc?: boolean;
}

/** Sort rows by a column key, validated: text A→Z, numbers largest first. */
export async function sortRows<T>(rows: readonly T[], spec: ListSpec<T>, field: string | undefined): Promise<T[]> {
  const key = (field ?? spec.defaultSort).toLowerCase();
  const col = spec.columns.find((c) => c.key === key);
  if (!col) {
    const { UsageError } = await import('../core/errors.js');
    throw new UsageError(`--sort must be one of ${spec.columns.map((c) => c.key).join(', ')}; got "${field}"`);
  }
  if (rows.length === 0) return [];
  const desc = field === undefined ? Boolean(spec.defaultDesc) : typeof col.sort(rows[0]!) === 'number';
  const sorted = [...rows].sort((a, b) => {
    const x = col.sort(a);
    const y = col.sort(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return desc ? -c : c;
  });
  return sorted;
}

/** The table (sorted, with a totals row when the spec has one), or `empty` when there are no rows. */
export async function renderList<T>(unsorted: readonly T[], spec: ListSpec<T>, field: string | undefined, empty = 'nothing to show'): Promise<string> {
  const out = await import('./output.js');
  const st = out.styles();
  const rows = await sortRows(unsorted, spec, field);
  if (rows.length === 0) return `${empty}\n`;
  const cols = spec.columns.map((c) => ({
    header: c.header,
    align: c.align ?? 'left',
    value: (r: T | null) => {
      if (r === null) {
        const t = c.total?.(rows);
        return t ? (t.sign === undefined ? st.bold(t.text) : out.bySign(t.sign, st.bold(t.text), st)) : '';
      }
      const text = c.text(r);
      return c.signOf ? out.bySign(c.signOf(r), text, st) : text;
    },
  }));
  const withTotals = spec.columns.some((c) => c.total) && rows.length > 0;
  return out.renderTable<T | null>(withTotals ? [...rows, null] : rows, cols, st);
}

const p = (rupees: number): number => Math.round(rupees * 100);

async function fmt() {
  const money = await import('../core/money.js');
  const out = await import('./output.js');
  const { formatIst } = await import('../core/ist.js');
  return {
    price: (r: number) => money.formatPrice(p(r)),
    signed: (r: number) => money.formatINR(p(r), { sign: true }),
    pct: (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(2)}%`,
    count: out.formatCount,
    time: (t: number | null) => (t === null ? '' : formatIst(t).slice(11)),
  };
}

type Fmt = Awaited<ReturnType<typeof fmt>>;

const sumOf = <T>(rows: readonly T[], f: (r: T) => number): number => rows.reduce((a, r) => a + f(r), 0);

export function holdingsSpec(f: Fmt): ListSpec<KiteHolding> {
  const qty = (h: KiteHolding): number => h.quantity + (h.t1_quantity ?? 0);
  const invested = (h: KiteHolding): number => h.average_price * qty(h);
  const value = (h: KiteHolding): number => h.last_price * qty(h);
  const dayPnl = (h: KiteHolding): number => h.day_change * qty(h);
  return {
    defaultSort: 'symbol',
    columns: [
      { key: 'symbol', header: 'SYMBOL', text: (h) => h.tradingsymbol, sort: (h) => h.tradingsymbol, total: () => ({ text: 'TOTAL' }) },
      { key: 'qty', header: 'QTY', text: (h) => f.count(qty(h)), sort: qty, align: 'right' },
      { key: 'avg', header: 'AVG', text: (h) => f.price(h.average_price), sort: (h) => h.average_price, align: 'right' },
      { key: 'ltp', header: 'LTP', text: (h) => f.price(h.last_price), sort: (h) => h.last_price, align: 'right' },
      { key: 'invested', header: 'INVESTED', text: (h) => f.price(invested(h)), sort: invested, align: 'right', total: (rows) => ({ text: f.price(sumOf(rows, invested)) }) },
      { key: 'value', header: 'VALUE', text: (h) => f.price(value(h)), sort: value, align: 'right', total: (rows) => ({ text: f.price(sumOf(rows, value)) }) },
      {
        key: 'pnl',
        header: 'P&L',
        text: (h) => f.signed(h.pnl),
        sort: (h) => h.pnl,
        align: 'right',
        signOf: (h) => h.pnl,
        total: (rows) => ({ text: f.signed(sumOf(rows, (h) => h.pnl)), sign: sumOf(rows, (h) => h.pnl) }),
      },
      {
        key: 'day',
        header: 'DAY CHG',
        text: (h) => `${f.signed(dayPnl(h))} ${f.pct(h.day_change_percentage)}`,
        sort: (h) => h.day_change_percentage,
        align: 'right',
        signOf: (h) => h.day_change,
        total: (rows) => ({ text: f.signed(sumOf(rows, dayPnl)), sign: sumOf(rows, dayPnl) }),
      },
    ],
  };
}

export function positionsSpec(f: Fmt): ListSpec<KitePosition> {
  return {
    defaultSort: 'symbol',
    columns: [
      { key: 'symbol', header: 'SYMBOL', text: (x) => x.tradingsymbol, sort: (x) => x.tradingsymbol, total: () => ({ text: 'TOTAL' }) },
      { key: 'product', header: 'PRODUCT', text: (x) => x.product, sort: (x) => x.product },
      { key: 'qty', header: 'QTY', text: (x) => f.count(x.quantity), sort: (x) => x.quantity, align: 'right' },
      { key: 'avg', header: 'AVG', text: (x) => f.price(x.average_price), sort: (x) => x.average_price, align: 'right' },
      { key: 'ltp', header: 'LTP', text: (x) => f.price(x.last_price), sort: (x) => x.last_price, align: 'right' },
      {
        key: 'pnl',
        header: 'P&L',
        text: (x) => f.signed(x.pnl),
        sort: (x) => x.pnl,
        align: 'right',
        signOf: (x) => x.pnl,
        total: (rows) => ({ text: f.signed(sumOf(rows, (x) => x.pnl)), sign: sumOf(rows, (x) => x.pnl) }),
      },
      { key: 'm2m', header: 'M2M', text: (x) => f.signed(x.m2m), sort: (x) => x.m2m, align: 'right', signOf: (x) => x.m2m },
    ],
  };
}

export function ordersSpec(f: Fmt): ListSpec<KiteOrder> {
  return {
    defaultSort: 'time',
    defaultDesc: true,
    columns: [
      { key: 'time', header: 'TIME', text: (o) => f.time(o.order_timestamp), sort: (o) => o.order_timestamp ?? 0 },
      { key: 'id', header: 'ORDER ID', text: (o) => o.order_id, sort: (o) => o.order_id },
      { key: 'side', header: 'SIDE', text: (o) => o.transaction_type, sort: (o) => o.transaction_type },
      { key: 'symbol', header: 'SYMBOL', text: (o) => o.tradingsymbol, sort: (o) => o.tradingsymbol },
      { key: 'type', header: 'TYPE', text: (o) => `${o.order_type} ${o.product}`, sort: (o) => o.order_type },
      { key: 'qty', header: 'QTY', text: (o) => `${f.count(o.filled_quantity)}/${f.count(o.quantity)}`, sort: (o) => o.quantity, align: 'right' },
      { key: 'price', header: 'PRICE', text: (o) => (o.price ? f.price(o.price) : 'MKT'), sort: (o) => o.price, align: 'right' },
      { key: 'avg', header: 'AVG', text: (o) => (o.average_price ? f.price(o.average_price) : ''), sort: (o) => o.average_price, align: 'right' },
      { key: 'status', header: 'STATUS', text: (o) => (o.status_message && o.status === 'REJECTED' ? `REJECTED: ${o.status_message}` : o.status), sort: (o) => o.status },
    ],
  };
}

export function tradesSpec(f: Fmt): ListSpec<KiteTrade> {
  return {
    defaultSort: 'time',
    defaultDesc: true,
    columns: [
      { key: 'time', header: 'TIME', text: (t) => f.time(t.fill_timestamp ?? t.exchange_timestamp), sort: (t) => t.fill_timestamp ?? t.exchange_timestamp ?? 0 },
      { key: 'id', header: 'TRADE ID', text: (t) => t.trade_id, sort: (t) => t.trade_id },
      { key: 'order', header: 'ORDER ID', text: (t) => t.order_id, sort: (t) => t.order_id },
      { key: 'side', header: 'SIDE', text: (t) => t.transaction_type, sort: (t) => t.transaction_type },
      { key: 'symbol', header: 'SYMBOL', text: (t) => t.tradingsymbol, sort: (t) => t.tradingsymbol },
      { key: 'qty', header: 'QTY', text: (t) => f.count(t.quantity), sort: (t) => t.quantity, align: 'right' },
      { key: 'price', header: 'PRICE', text: (t) => f.price(t.average_price), sort: (t) => t.average_price, align: 'right' },
    ],
  };
}

/** Kite's JSON: instants back to its "YYYY-MM-DD HH:MM:SS" IST strings. */
async function kiteJson<T extends object>(rows: T, fields: readonly string[]): Promise<T> {
  const { formatIst } = await import('../core/ist.js');
  const fix = (r: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...r };
    for (const k of fields) if (typeof out[k] === 'number') out[k] = formatIst(out[k] as number);
    return out;
  };
  return (Array.isArray(rows) ? rows.map((r) => fix(r as Record<string, unknown>)) : fix(rows as Record<string, unknown>)) as T;
}

function marginsTable(m: Partial<Record<'equity' | 'commodity', KiteSegmentMargins>>, f: Fmt): { rows: Array<[string, KiteSegmentMargins]>; spec: ListSpec<[string, KiteSegmentMargins]> } {
  const rows = Object.entries(m).filter((e): e is [string, KiteSegmentMargins] => Boolean(e[1]));
  return {
    rows,
    spec: {
      defaultSort: 'segment',
      columns: [
        { key: 'segment', header: 'SEGMENT', text: ([s]) => s, sort: ([s]) => s },
        { key: 'net', header: 'NET', text: ([, x]) => f.price(x.net), sort: ([, x]) => x.net, align: 'right' },
        { key: 'cash', header: 'AVAILABLE CASH', text: ([, x]) => f.price(x.available.cash), sort: ([, x]) => x.available.cash, align: 'right' },
        { key: 'opening', header: 'OPENING BALANCE', text: ([, x]) => f.price(x.available.opening_balance), sort: ([, x]) => x.available.opening_balance, align: 'right' },
        { key: 'collateral', header: 'COLLATERAL', text: ([, x]) => f.price(x.available.collateral), sort: ([, x]) => x.available.collateral, align: 'right' },
        { key: 'used', header: 'USED', text: ([, x]) => f.price(x.utilised.debits ?? 0), sort: ([, x]) => x.utilised.debits ?? 0, align: 'right' },
        { key: 'enabled', header: 'ENABLED', text: ([, x]) => (x.enabled ? 'yes' : 'no'), sort: ([, x]) => String(x.enabled) },
      ],
    },
  };
}

export async function runPortfolio(ctx: Context, kind: Kind, flags: ListFlags): Promise<void> {
  const [{ openKite }, out, f] = await Promise.all([import('../app/kite-env.js'), import('./output.js'), fmt()]);
  // A bad --sort is a usage error before anything is fetched.
  const specs = { holdings: holdingsSpec, positions: positionsSpec, orders: ordersSpec, trades: tradesSpec } as const;
  if (kind !== 'margins') await sortRows([], specs[kind](f) as ListSpec<unknown>, flags.sort);
  const kite = await openKite(ctx);
  try {
    const c = kite.client;
    let text: string;
    switch (kind) {
      case 'holdings': {
        const rows = await c.holdings();
        if (ctx.json) return out.printJson(rows, ctx.io.stdout);
        text = await renderList(rows, holdingsSpec(f), flags.sort, 'no holdings');
        break;
      }
      case 'positions': {
        const all = await c.positions();
        if (ctx.json) return out.printJson(all, ctx.io.stdout);
        const rows = flags.day ? all.day : all.net;
        text = await renderList(rows, positionsSpec(f), flags.sort, `no ${flags.day ? 'day' : 'net'} positions`);
        break;
      }
      case 'orders': {
        const rows = await c.orders();
        if (ctx.json) return out.printJson(await kiteJson(rows, ['order_timestamp', 'exchange_update_timestamp', 'exchange_timestamp']), ctx.io.stdout);
        text = await renderList(rows, ordersSpec(f), flags.sort, 'no orders today');
        break;
      }
      case 'trades': {
        const rows = await c.trades();
        if (ctx.json) return out.printJson(await kiteJson(rows, ['fill_timestamp', 'order_timestamp', 'exchange_timestamp']), ctx.io.stdout);
        text = await renderList(rows, tradesSpec(f), flags.sort, 'no trades today');
        break;
      }
      case 'margins': {
        const m = await c.margins();
        if (ctx.json) return out.printJson(m, ctx.io.stdout);
        const { rows, spec } = marginsTable(m, f);
        text = await renderList(rows, spec, undefined);
        break;
      }
    }
    ctx.io.stdout.write(text);
  } finally {
    await kite.close();
  }
}
