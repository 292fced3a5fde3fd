import { formatIst, istDate, istParts } from '../../core/ist.js';
import { waitsForOpen } from '../../core/paper/amo.js';
import { amoSentAt, skipsAuction } from '../../core/paper/session.js';
import { whenIst } from '../../core/when.js';
import { formatINR, formatPrice, toRupees } from '../../core/money.js';
import type { PaperAccount } from '../../app/paper-account.js';
import type { LivePosition } from '../../core/paper/views.js';
import { fundsToJson, holdingToKite, orderToKite, portfolioToKite, positionsToKite, statsToJson, tradeToKite } from '../../core/paper/shapes.js';
import type { PaperOrder, PaperTrade } from '../../core/paper/types.js';
import type { Context } from '../context.js';
import { formatCount, printJson, renderTable, signedINR, styles, type Column } from '../output.js';

const avg = (cost: number, qty: number) => (qty ? formatPrice(Math.round(cost / qty)) : '-');

/** One line for a person: what happened to an order. */
export function orderLine(o: PaperOrder): string {
  const st = styles();
  const status = o.status === 'COMPLETE' ? st.green(o.status) : o.status === 'REJECTED' ? st.red(o.status) : st.yellow(o.status);
  const at = o.filled_quantity > 0 ? ` @ ${formatINR(o.average_price)}` : o.price ? ` limit ${formatINR(o.price)}` : '';
  const trig = o.trigger_price ? ` trigger ${formatINR(o.trigger_price)}` : '';
  const why = o.status_message ? `: ${o.status_message}` : '';
  return `${status} ${o.transaction_type} ${formatCount(o.quantity)} ${o.exchange}:${o.tradingsymbol} ${o.product} ${o.order_type}${at}${trig} (order ${o.order_id})${why}\n`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** "09:00 IST on Wed 2026-12-02" */
function sentAt(t: number): string {
  return `${formatIst(t).slice(11, 16)} IST on ${WEEKDAYS[istParts(t).weekday]} ${istDate(t)}`;
}

/** For an order waiting for the open (an after-market order, or one placed in the pre-open): when it goes to the market; else null. */
export function waitLine(o: PaperOrder, alwaysOpen: boolean): string | null {
  if (o.status === 'AMO REQ RECEIVED') {
    const sent = amoSentAt(o);
    const how = skipsAuction(o) ? 'at the open' : 'into the pre-open call auction (it fills at the opening price if marketable)';
    return `  after-market order: goes to the exchange at ${sentAt(sent)}, ${how}; modify or cancel it until then\n`;
  }
  if (o.status === 'OPEN' && waitsForOpen(o, alwaysOpen) && (o.order_type === 'MARKET' || o.order_type === 'LIMIT')) {
    return '  pre-open: it meets the 09:15 IST open and fills at the opening price if marketable\n';
  }
  return null;
}

/** The order table's columns after TIME. */
const ORDER_FIELDS: Array<Column<PaperOrder>> = [
  { header: 'ORDER ID', value: (o) => o.order_id },
  { header: 'SIDE', value: (o) => o.transaction_type },
  { header: 'SYMBOL', value: (o) => o.tradingsymbol },
  { header: 'PRODUCT', value: (o) => o.product },
  { header: 'TYPE', value: (o) => o.order_type },
  { header: 'QTY', value: (o) => `${formatCount(o.filled_quantity)}/${formatCount(o.quantity)}`, align: 'right' },
  { header: 'PRICE', value: (o) => (o.price ? formatPrice(o.price) : '-'), align: 'right' },
  { header: 'TRIGGER', value: (o) => (o.trigger_price ? formatPrice(o.trigger_price) : '-'), align: 'right' },
  { header: 'AVG', value: (o) => (o.average_price ? formatPrice(o.average_price) : '-'), align: 'right' },
  { header: 'STATUS', value: (o) => o.status },
  { header: 'MESSAGE', value: (o) => o.status_message ?? '' },
];

/** The order table: TIME is today's time alone, with the date for an earlier day's order (the dashboard's rule). */
function orderColumns(today: string): Array<Column<PaperOrder>> {
  return [{ header: 'TIME', value: (o) => whenIst(o.placed_at, today, 'kite') }, ...ORDER_FIELDS];
}

function positionColumns(): Array<Column<LivePosition>> {
  return [
    { header: 'SYMBOL', value: (p) => `${p.exchange}:${p.tradingsymbol}` },
    { header: 'PRODUCT', value: (p) => p.product },
    { header: 'QTY', value: (p) => formatCount(p.quantity), align: 'right' },
    { header: 'AVG', value: (p) => avg(p.cost, p.quantity), align: 'right' },
    { header: 'LTP', value: (p) => (p.last_price === null ? '-' : formatPrice(p.last_price)), align: 'right' },
    { header: 'REALISED', value: (p) => signedINR(p.realised_pnl), align: 'right' },
    { header: 'UNREALISED', value: (p) => signedINR(p.unrealised), align: 'right' },
    { header: 'P&L', value: (p) => signedINR(p.pnl), align: 'right' },
  ];
}

function holdingColumns(): Array<Column<LivePosition>> {
  return [
    { header: 'SYMBOL', value: (p) => `${p.exchange}:${p.tradingsymbol}` },
    { header: 'QTY', value: (p) => formatCount(p.quantity), align: 'right' },
    { header: 'AVG', value: (p) => avg(p.cost, p.quantity), align: 'right' },
    { header: 'LTP', value: (p) => (p.last_price === null ? '-' : formatPrice(p.last_price)), align: 'right' },
    { header: 'VALUE', value: (p) => formatINR(p.quantity * (p.last_price ?? 0)), align: 'right' },
    { header: 'P&L', value: (p) => signedINR(p.unrealised), align: 'right' },
    {
      header: 'DAY CHG',
      value: (p) => (p.last_price !== null && p.close_price ? signedINR((p.last_price - p.close_price) * p.quantity) : '-'),
      align: 'right',
    },
  ];
}

const TRADE_COLUMNS: Array<Column<PaperTrade>> = [
  { header: 'TIME', value: (t) => formatIst(t.filled_at) },
  { header: 'TRADE ID', value: (t) => t.trade_id },
  { header: 'ORDER ID', value: (t) => t.order_id },
  { header: 'SIDE', value: (t) => t.transaction_type },
  { header: 'SYMBOL', value: (t) => t.tradingsymbol },
  { header: 'PRODUCT', value: (t) => t.product },
  { header: 'QTY', value: (t) => formatCount(t.quantity), align: 'right' },
  { header: 'PRICE', value: (t) => formatPrice(t.price), align: 'right' },
  { header: 'CHARGES', value: (t) => formatINR(t.charges.total), align: 'right' },
  { header: 'REALISED', value: (t) => signedINR(t.realised_pnl), align: 'right' },
];

/** A table with a totals line under it, or a note when there is nothing to show. */
function table<T>(rows: T[], columns: Array<Column<T>>, empty: string, total?: string): string {
  if (rows.length === 0) return `${empty}\n`;
  return renderTable(rows, columns) + (total ? `${total}\n` : '');
}

function pairs(list: Array<[string, string]>): string {
  const width = Math.max(...list.map(([k]) => k.length));
  return list.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}

const sum = (xs: LivePosition[], f: (p: LivePosition) => number) => xs.reduce((s, p) => s + f(p), 0);

export type View = { name: 'orders'; open: boolean; all: boolean; date?: string | undefined } | { name: 'positions' | 'holdings' | 'trades' | 'funds' | 'stats' | 'portfolio' };

/** The read-only views: a table for a person, Kite's shapes with --json (the same documents as the API's). */
export async function show(ctx: Context, account: PaperAccount, view: View): Promise<void> {
  const out = (s: string) => void ctx.io.stdout.write(s);
  const json = (v: unknown) => printJson(v, ctx.io.stdout);
  switch (view.name) {
    case 'orders': {
      // newest first: today's (IST, by the clock) unless --all or --date; --open alone keeps every resting order
      const today = istDate(ctx.clock.now());
      const date = view.all ? undefined : (view.date ?? (view.open ? undefined : today));
      const orders = await account.orders({ open: view.open, newestFirst: true, ...(date !== undefined ? { date } : {}) });
      if (ctx.json) return json(orders.map(orderToKite));
      const on = date === today ? 'today' : `on ${date}`;
      const empty = view.open
        ? `no open paper orders${date === undefined ? '' : ` placed ${on}`}`
        : date === undefined
          ? 'no paper orders yet'
          : `no paper orders ${on}${view.date === undefined ? '; `algo paper orders --all` lists every order' : ''}`;
      return out(table(orders, orderColumns(today), empty));
    }
    case 'trades': {
      const trades = await account.trades();
      if (ctx.json) return json(trades.map(tradeToKite));
      return out(table(trades, TRADE_COLUMNS, 'no paper trades yet'));
    }
    case 'positions': {
      const list = await account.positions();
      if (ctx.json) return json(positionsToKite(list));
      return out(table(list, positionColumns(), 'no paper positions', `total P&L ${signedINR(sum(list, (p) => p.pnl))}`));
    }
    case 'holdings': {
      const list = await account.holdings();
      if (ctx.json) return json(list.map((p) => holdingToKite(p, p.last_price, p.close_price)));
      return out(table(list, holdingColumns(), 'no paper holdings', `total P&L ${signedINR(sum(list, (p) => p.unrealised))}`));
    }
    case 'funds': {
      const f = await account.funds();
      if (ctx.json) return json(fundsToJson(f.meta, f.unrealised));
      return out(fundsText(f.meta, f.unrealised, f.equity));
    }
    case 'stats': {
      const s = await account.stats();
      if (ctx.json) return json(statsToJson(s));
      const pct = (x: number) => `${x.toFixed(2)}%`;
      const money = (p: number | null) => (p === null ? '-' : signedINR(p));
      return out(
        pairs([
          ['trades', `${s.trades} (${s.wins} won, ${s.losses} lost)`],
          ['win rate', pct(s.win_rate)],
          ['average win / loss', `${money(s.average_win)} / ${money(s.average_loss)}`],
          ['expectancy', money(s.expectancy)],
          ['profit factor', s.profit_factor === null ? '-' : s.profit_factor.toFixed(2)],
          ['best / worst trade', `${money(s.best_trade)} / ${money(s.worst_trade)}`],
          ['max drawdown', `${formatINR(s.max_drawdown)} (${pct(s.max_drawdown_pct)})`],
          ['charges', `${formatINR(s.total_charges)}${s.dp_charges || s.square_off_charges ? ` (DP ${formatINR(s.dp_charges)}, auto square-off ${formatINR(s.square_off_charges)})` : ''}`],
          ['net P&L', `${signedINR(s.net_pnl)} (${pct(s.return_pct)})`],
          ['equity', formatINR(s.equity)],
          ['equity curve', `${s.equity_curve.length} points`],
        ]),
      );
    }
    case 'portfolio': {
      const p = await account.portfolio();
      if (ctx.json) return json(portfolioToKite(p));
      out(fundsText(p.funds.meta, p.funds.unrealised, p.funds.equity));
      out(`\nPositions\n${table(p.positions, positionColumns(), 'none')}`);
      out(`\nHoldings\n${table(p.holdings, holdingColumns(), 'none')}`);
      return out(`\nOpen orders\n${table(p.orders, orderColumns(istDate(ctx.clock.now())), 'none')}`);
    }
  }
}

function fundsText(meta: { capital: number; available: number; blocked: number; unsettled?: number; realised_pnl: number; charges: number }, unrealised: number, equity: number): string {
  return pairs([
    ['capital', formatINR(meta.capital)],
    ['available', formatINR(meta.available)],
    ...(meta.unsettled ? [['unsettled (BTST)', `${formatINR(meta.unsettled)}, usable from the next trading day`] as [string, string]] : []),
    ['blocked margin', formatINR(meta.blocked)],
    ['realised P&L', signedINR(meta.realised_pnl)],
    ['unrealised P&L', signedINR(unrealised)],
    ['charges', formatINR(meta.charges)],
    ['equity', `${formatINR(equity)} (${toRupees(equity) >= toRupees(meta.capital) ? '+' : ''}${(((equity - meta.capital) / meta.capital) * 100).toFixed(2)}%)`],
  ]);
}
