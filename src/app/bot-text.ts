import type { BotEvent, BotRecord, Lease } from '../core/bot/types.js';
import { formatIst } from '../core/ist.js';
import { formatCount, formatINR } from '../core/money.js';
import { distanceText, riskOf, stateText, strategyLabel } from './bot-json.js';

/** A bot as text, for `algo bot show` and the dashboard's detail: the same fields and words in both faces. */

const entries = (b: BotRecord): string => (b.entries_blocked ? 'blocked' : 'allowed');
/** As the dashboard shows it: "running", or "running → stopped (waiting for a runner: ...)" (status → desired, reason). */
const state = (b: BotRecord): string => (b.status_reason ? `${stateText(b)} (${b.status_reason})` : stateText(b));

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
    ['no entries after', risk.noEntriesAfter ? `${risk.noEntriesAfter} IST` : '-'],
    ['max qty', risk.maxQuantity === null ? '-' : `${formatCount(risk.maxQuantity)} shares per entry`],
    ['max exposure', risk.maxExposure === null ? '-' : formatINR(risk.maxExposure)],
    ['max loss/day', risk.maxLossDay === null ? '-' : `${formatINR(risk.maxLossDay)} (${risk.maxLossDayAction === 'halt' ? 'then exit everything, no more entries' : 'then entries blocked'})`],
    ['cooldown', risk.cooldownBars === null ? '-' : `${formatCount(risk.cooldownBars)} bar${risk.cooldownBars === 1 ? '' : 's'} after an exit`],
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

