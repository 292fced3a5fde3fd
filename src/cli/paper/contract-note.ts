import type { PaperAccount } from '../../app/paper-account.js';
import { formatIst, istDate } from '../../core/ist.js';
import { formatINR, formatPrice } from '../../core/money.js';
import { contractNoteToJson, type NoteScrip } from '../../core/paper/contract-note.js';
import type { PaperTrade } from '../../core/paper/types.js';
import type { Context } from '../context.js';
import { formatCount, printJson, renderTable, signedINR, type Column } from '../output.js';

const TRADES: Array<Column<PaperTrade>> = [
  { header: 'TIME', value: (t) => formatIst(t.filled_at).slice(11) },
  { header: 'TRADE ID', value: (t) => t.trade_id },
  { header: 'ORDER ID', value: (t) => t.order_id },
  { header: 'SIDE', value: (t) => t.transaction_type },
  { header: 'SYMBOL', value: (t) => `${t.exchange}:${t.tradingsymbol}` },
  { header: 'PRODUCT', value: (t) => t.product },
  { header: 'QTY', value: (t) => formatCount(t.quantity), align: 'right' },
  { header: 'PRICE', value: (t) => formatPrice(t.price), align: 'right' },
  { header: 'VALUE', value: (t) => formatINR(t.quantity * t.price), align: 'right' },
  { header: 'CHARGES', value: (t) => formatINR(t.charges.total), align: 'right' },
];

const money = (f: (s: NoteScrip) => number): Column<NoteScrip>['value'] => (s) => formatINR(f(s));

const SCRIPS: Array<Column<NoteScrip>> = [
  { header: 'SCRIP', value: (s) => `${s.exchange}:${s.tradingsymbol}` },
  { header: 'BOUGHT', value: (s) => `${formatCount(s.buy_quantity)} ${formatINR(s.buy_value)}`, align: 'right' },
  { header: 'SOLD', value: (s) => `${formatCount(s.sell_quantity)} ${formatINR(s.sell_value)}`, align: 'right' },
  { header: 'BROKERAGE', value: money((s) => s.charges.brokerage), align: 'right' },
  { header: 'STT', value: money((s) => s.charges.stt), align: 'right' },
  { header: 'TXN', value: money((s) => s.charges.exchange), align: 'right' },
  { header: 'SEBI', value: money((s) => s.charges.sebi), align: 'right' },
  { header: 'STAMP', value: money((s) => s.charges.stamp), align: 'right' },
  { header: 'GST', value: money((s) => s.charges.gst), align: 'right' },
  { header: 'CHARGES', value: money((s) => s.charges.total), align: 'right' },
  { header: 'DP', value: money((s) => s.dp), align: 'right' },
  { header: 'SQUARE-OFF', value: money((s) => s.square_off), align: 'right' },
];

/** `algo paper contract-note [--date D]`: one IST day's trades and charges, as a contract note (default today). */
export async function showContractNote(ctx: Context, account: PaperAccount, date: string | undefined): Promise<void> {
  const day = date ?? istDate(ctx.clock.now());
  const note = await account.contractNote(day);
  if (ctx.json) return printJson(contractNoteToJson(note), ctx.io.stdout);
  const out = (s: string) => void ctx.io.stdout.write(s);
  const on = date === undefined ? 'today' : `on ${day}`;
  if (note.trades.length === 0) return out(`no paper trades ${on} (${day}, IST): nothing charged\n`);
  const t = note.totals;
  out(`Contract note ${day} (IST)\n\nTrades\n${renderTable(note.trades, TRADES)}\nCharges per scrip\n${renderTable(note.scrips, SCRIPS)}\n`);
  const lines: Array<[string, string]> = [
    ['bought', formatINR(t.buy_value)],
    ['sold', formatINR(t.sell_value)],
    ['brokerage', formatINR(t.charges.brokerage)],
    ['STT (to the rupee)', formatINR(t.charges.stt)],
    ['exchange txn', formatINR(t.charges.exchange)],
    ['SEBI fee', formatINR(t.charges.sebi)],
    ['stamp duty', formatINR(t.charges.stamp)],
    ['GST', formatINR(t.charges.gst)],
    ['trade charges', formatINR(t.charges.total)],
    ['DP charges', formatINR(t.dp)],
    ['auto square-off', formatINR(t.square_off)],
    ['total charged', formatINR(t.total)],
    ['net', signedINR(t.net)],
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  out(`${lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
}
