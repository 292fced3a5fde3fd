import { riskOf, stateText, strategyLabel } from '../../app/bot-json.js';
import type { BotEvent, BotRecord } from '../../core/bot/types.js';
import { formatINR, type Paise } from '../../core/money.js';
import type { PaperTrade } from '../../core/paper/types.js';
import type { QuoteView } from '../model.js';

/** The Bots tab's rows, derived from the desk's bots, their trades today and the dashboard's quotes. */

export interface BotRow {
  id: string;
  name: string;
  strategy: string;
  symbols: string;
  /** "running", or "stopped → running" while the runner has not caught up with what the user asked. */
  state: string;
  /** Net quantity per symbol from today's fills: "INFY +10", or "flat". */
  position: string;
  /** Today's P&L: fills marked at the quotes (the last fill price without one), less charges. */
  pnl: Paise;
  /** The latest fill or blocked event: "fill: BUY 10 INFY @ 1,500.00". */
  signal: string;
  badges: string[];
}

/** Position and P&L of one bot's fills: cash of the fills plus the net quantity at the mark, less charges. */
export function botBook(trades: readonly PaperTrade[], quotes: Readonly<Record<string, QuoteView>>): { net: Map<string, number>; pnl: Paise } {
  const net = new Map<string, number>();
  const mark = new Map<string, Paise>();
  let pnl = 0;
  for (const t of trades) {
    const key = `${t.exchange}:${t.tradingsymbol}`;
    const q = t.transaction_type === 'BUY' ? t.quantity : -t.quantity;
    net.set(key, (net.get(key) ?? 0) + q);
    mark.set(key, t.price);
    pnl -= q * t.price + t.charges.total;
  }
  for (const [key, q] of net) pnl += q * (quotes[key]?.ltp ?? mark.get(key) ?? 0);
  return { net, pnl };
}

export function positionText(net: ReadonlyMap<string, number>): string {
  const open = [...net].filter(([, q]) => q !== 0);
  if (open.length === 0) return 'flat';
  return open.map(([key, q]) => `${key.slice(key.indexOf(':') + 1)} ${q > 0 ? '+' : ''}${q}`).join(' ');
}

/** Halted, needing review, entries blocked, then each risk limit the bot has (square-off, no entries after, max loss a day, quantity, exposure, cooldown, orders a day and a second). */
export function badgesOf(b: BotRecord): string[] {
  const risk = riskOf(b.config);
  const out: string[] = [];
  if (b.status === 'halted') out.push('HALTED');
  if (b.status === 'needs_review') out.push('REVIEW');
  if (b.entries_blocked) out.push('BLOCKED');
  if (risk.squareOff) out.push(`SQ ${risk.squareOff}`);
  if (risk.noEntriesAfter) out.push(`NOENTRY ${risk.noEntriesAfter}`);
  if (risk.maxLossDay !== null) out.push(`MAXLOSS ${formatINR(risk.maxLossDay)}${risk.maxLossDayAction === 'halt' ? ' HALT' : ''}`);
  if (risk.maxQuantity !== null) out.push(`MAXQTY ${risk.maxQuantity}`);
  if (risk.maxExposure !== null) out.push(`MAXEXP ${formatINR(risk.maxExposure)}`);
  if (risk.cooldownBars !== null) out.push(`COOL ${risk.cooldownBars}`);
  if (risk.maxOrdersDay !== null) out.push(`${risk.maxOrdersDay}/DAY`);
  if (risk.maxOrdersSecond !== null) out.push(`${risk.maxOrdersSecond}/S`);
  return out;
}

export const isSignal = (e: BotEvent): boolean => e.kind === 'fill' || e.kind === 'blocked';

export function botRows(
  bots: readonly BotRecord[],
  trades: Readonly<Record<string, readonly PaperTrade[]>>,
  signals: Readonly<Record<string, BotEvent>>,
  quotes: Readonly<Record<string, QuoteView>>,
): BotRow[] {
  return bots.map((b) => {
    const book = botBook(trades[b.id] ?? [], quotes);
    const s = signals[b.id];
    return {
      id: b.id,
      name: b.name,
      strategy: strategyLabel(b.config),
      symbols: b.config.symbols.join(' '),
      state: stateText(b),
      position: positionText(book.net),
      pnl: book.pnl,
      signal: s ? `${s.kind}: ${s.message}` : '-',
      badges: badgesOf(b),
    };
  });
}
