import { stateText, strategyLabel } from '../../app/bot-json.js';
import type { BotRecord } from '../../core/bot/types.js';
import { formatIst } from '../../core/ist.js';
import { formatINR, formatPrice } from '../../core/money.js';
import type { PaperTrade } from '../../core/paper/types.js';
import { formatCount, renderTable, signedINR, type Styles } from '../output.js';

/** The text views of `algo bot`: tables, rupees with Indian grouping (a bot's key-value list and event lines: src/app/bot-text.ts, shared with the dashboard). */
export { eventLine, showText } from '../../app/bot-text.js';

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
