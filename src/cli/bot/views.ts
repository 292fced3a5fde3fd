import { distanceText, riskOf, stateText, strategyLabel } from '../../app/bot-json.js';
import type { BotEvent, BotRecord, Lease } from '../../core/bot/types.js';
import { formatIst } from '../../core/ist.js';
import { formatINR, formatPrice } from '../../core/money.js';
import type { PaperTrade } from '../../core/paper/types.js';
import { formatCount, renderTable, signedINR, type Styles } from '../output.js';

/** The text views of `algo bot`: tables and key-value lists, rupees with Indian grouping. */

const entries = (b: BotRecord): string => (b.entries_blocked ? 'blocked' : 'allowed');
/** As the dashboard shows it: "running", or "running → stopped (waiting for a runner: ...)" (status → desired, reason). */
const state = (b: BotRecord): string => (b.status_reason ? `${stateText(b)} (${b.status_reason})` : stateText(b));

const colour = (b: BotRecord, st: Styles): ((s: string) => string) => (b.status === 'running' ? st.green : b.status === 'needs_review' || b.status === 'halted' ? st.red : (s) => s);

export function listText(bots: readonly BotRecord[], st: Styles): string {
  if (bots.length === 0) return 'no bots yet; create one: algo bot create NAME --strategy ID --symbol SYM\n';
  return renderTable(
    bots,
    [
      { header: 'NAME', value: (b) => b.name },
      { header: 'STRATEGY', value: (b) => strategyLabel(b.config) },
      { header: 'SYMBOLS', value: (b) => b.config.symbols.join(' ') },
      { header: 'STATE', value: (b) => colour(b, st)(stateText(b)) },
      { header: 'ENTRIES', value: (b) => (b.entries_blocked ? st.yellow('blocked') : 'allowed') },
    ],
    st,
  );
}

export function showText(b: BotRecord, runner: Lease | null): string {
  const c = b.config;
  const risk = riskOf(c);
  const params = Object.entries(c.params).map(([k, v]) => `${k}=${String(v)}`);
  const rows: Array<[string, string]> = [
    ['name', `${b.name} (${b.id})`],
    ['strategy', strategyLabel(c)],
    ['params', params.length ? params.join(' ') : '(defaults)'],
    ['symbols', c.symbols.join(' ')],
    ['size', 'quantity' in c.sizing ? `${formatCount(c.sizing.quantity)} share${c.sizing.quantity === 1 ? '' : 's'} per entry` : `${formatINR(c.sizing.capital)} per entry`],
    ['product', c.product],
    ['stop-loss', distanceText(c.exits.stopLoss) ?? '-'],
    ['target', distanceText(c.exits.target) ?? '-'],
    ['trailing', distanceText(c.exits.trailing) ?? '-'],
    ['entry window', `${c.entryWindow.from}-${c.entryWindow.until} IST`],
    ['square-off', risk.squareOff ? `${risk.squareOff} IST` : '-'],
    ['max loss/day', risk.maxLossDay === null ? '-' : `${formatINR(risk.maxLossDay)} (then entries blocked)`],
    ['max orders/day', risk.maxOrdersDay === null ? '-' : formatCount(risk.maxOrdersDay)],
    ['max orders/sec', risk.maxOrdersSecond === null ? '-' : `${formatCount(risk.maxOrdersSecond)} (more wait their turn)`],
    ['stale after', risk.staleAfterMs === null ? '-' : `${formatCount(risk.staleAfterMs / 1000)} s (no entries on a later bar)`],
    ['status', state(b)],
    ['entries', entries(b)],
    ['runner', runner ? `${runner.holder} (lease until ${formatIst(runner.expires_at)})` : 'none'],
    ['version', String(b.version)],
    ['created', formatIst(b.created_at)],
    ['updated', formatIst(b.updated_at)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}

/** One line per event: "12  2026-12-02 09:20:00  start  start requested". */
export function eventLine(e: BotEvent): string {
  return `${e.seq}  ${formatIst(e.at)}  ${e.kind}  ${e.message}\n`;
}

export function tradesText(trades: readonly PaperTrade[], name: string, st: Styles): string {
  if (trades.length === 0) return `no trades for bot ${name}\n`;
  const charges = trades.reduce((s, t) => s + t.charges.total, 0);
  const realised = trades.reduce((s, t) => s + t.realised_pnl, 0);
  const table = renderTable(
    trades,
    [
      { header: 'FILLED', value: (t) => formatIst(t.filled_at) },
      { header: 'ORDER', value: (t) => t.order_id },
      { header: 'SIDE', value: (t) => t.transaction_type },
      { header: 'SYMBOL', value: (t) => `${t.exchange}:${t.tradingsymbol}` },
      { header: 'QTY', value: (t) => formatCount(t.quantity), align: 'right' },
      { header: 'PRICE', value: (t) => formatPrice(t.price), align: 'right' },
      { header: 'CHARGES', value: (t) => formatINR(t.charges.total), align: 'right' },
      { header: 'P&L', value: (t) => signedINR(t.realised_pnl, st), align: 'right' },
    ],
    st,
  );
  return `${table}${trades.length} fills, charges ${formatINR(charges)}, realised ${signedINR(realised, st)} (net ${signedINR(realised - charges, st)})\n`;
}
