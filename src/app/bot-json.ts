import type { BotConfig, BotEvent, BotRecord } from '../core/bot/types.js';
import { formatIst } from '../core/ist.js';
import { formatPrice, toRupees } from '../core/money.js';
import type { Distance } from '../core/strategy/types.js';

/**
 * The JSON documents of bots and their events, one shape for every face (`algo bot ... --json`,
 * the API's /api/bots later): rupees as numbers, times as IST text, a rule file by its name only.
 */

const strategyName = (c: BotConfig): string => (c.strategy.kind === 'builtin' ? c.strategy.id : c.strategy.name);

/** "orb" or "rules:my-rules.json". */
export const strategyLabel = (c: BotConfig): string => (c.strategy.kind === 'builtin' ? c.strategy.id : `rules:${c.strategy.name}`);

/** "1%", "5.00 points", "2 ATR(14)", "at 1,412.95". */
export function distanceText(d: Distance | undefined): string | null {
  if (!d) return null;
  if ('percent' in d) return `${d.percent}%`;
  if ('points' in d) return `${formatPrice(d.points)} points`;
  if ('atr' in d) return `${d.atr} ATR(${d.period})`;
  return `at ${formatPrice(d.price)}`;
}

/** The config's risk fields we know (others pass through as stored); amounts in paise. */
export interface BotRisk {
  squareOff: string | null;
  noEntriesAfter: string | null;
  maxQuantity: number | null;
  maxExposure: number | null;
  maxLossDay: number | null;
  /** What reaching maxLossDay does: "block" entries for the day, or "halt" (exit everything, stop). */
  maxLossDayAction: 'block' | 'halt' | null;
  cooldownBars: number | null;
  maxOrdersDay: number | null;
  maxOrdersSecond: number | null;
  staleAfterMs: number | null;
}

export function riskOf(c: BotConfig): BotRisk {
  const r = c.risk as Record<string, unknown> & { maxLossDay?: { amount?: unknown; action?: unknown } };
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  const hhmm = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const action = r.maxLossDay?.action;
  return {
    squareOff: hhmm(r.squareOff),
    noEntriesAfter: hhmm(r.noEntriesAfter),
    maxQuantity: num(r.maxQuantity),
    maxExposure: num(r.maxExposure),
    maxLossDay: num(r.maxLossDay?.amount),
    maxLossDayAction: action === 'halt' ? 'halt' : typeof r.maxLossDay?.amount === 'number' ? 'block' : null,
    cooldownBars: num(r.cooldownBars),
    maxOrdersDay: num(r.maxOrdersDay),
    maxOrdersSecond: num(r.maxOrdersSecond),
    staleAfterMs: num(r.staleAfterMs),
  };
}

const rupees = (p: number | null): number | null => (p === null ? null : toRupees(p));

/** "running", or "stopped → running" while the runner has not caught up with what the user asked (status → desired). */
export function stateText(b: Pick<BotRecord, 'desired' | 'status'>): string {
  return b.desired === b.status ? b.status : `${b.status} → ${b.desired}`;
}

export function botJson(b: BotRecord) {
  const c = b.config;
  const risk = riskOf(c);
  return {
    id: b.id,
    name: b.name,
    strategy: { kind: c.strategy.kind, name: strategyName(c) },
    params: c.params,
    symbols: c.symbols,
    sizing: 'quantity' in c.sizing ? { quantity: c.sizing.quantity } : { capital: toRupees(c.sizing.capital) },
    product: c.product,
    exits: { stop_loss: distanceText(c.exits.stopLoss), target: distanceText(c.exits.target), trailing: distanceText(c.exits.trailing) },
    entry_window: c.entryWindow,
    risk: {
      square_off: risk.squareOff,
      no_entries_after: risk.noEntriesAfter,
      max_qty: risk.maxQuantity,
      max_exposure: rupees(risk.maxExposure),
      max_loss_day: rupees(risk.maxLossDay),
      max_loss_day_action: risk.maxLossDayAction,
      cooldown: risk.cooldownBars,
      max_orders_day: risk.maxOrdersDay,
      max_orders_second: risk.maxOrdersSecond,
      stale_after: risk.staleAfterMs === null ? null : risk.staleAfterMs / 1000,
    },
    desired: b.desired,
    status: b.status,
    status_reason: b.status_reason,
    entries_blocked: b.entries_blocked,
    version: b.version,
    created_at: formatIst(b.created_at),
    updated_at: formatIst(b.updated_at),
  };
}

export function eventJson(e: BotEvent) {
  return { seq: e.seq, bot_id: e.bot_id, at: formatIst(e.at), kind: e.kind, message: e.message, ...(e.data ? { data: e.data } : {}) };
}
