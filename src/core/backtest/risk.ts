import { UsageError } from '../errors.js';
import { formatINR, type Paise } from '../money.js';

/**
 * A run's risk controls (bots.md "Risk controls users expect"), enforced by the one Runner, so a
 * backtest and a paper bot refuse the same entries. Times are IST "HH:MM"; amounts are paise.
 * Exits are never refused.
 */
export interface RunnerRisk {
  /** Every open position exits at the close of the first minute closing at or after it (before 15:20); no entries from then on. */
  squareOff?: string;
  /** No entries decided at a strategy bar closing at or after it. */
  noEntriesAfter?: string;
  /** Shares per entry (above: refused, not clipped). */
  maxQuantity?: number;
  /** The entry's value at its bar's close plus the open positions' (and queued entries') value at their last close. */
  maxExposure?: Paise;
  /** The IST day's P&L (realised + unrealised at the last closes, net of charges) at or below -amount. */
  maxLossDay?: { amount: Paise; action: 'block' | 'halt' };
  /** Strategy bars after an exit before a new entry on that symbol. */
  cooldownBars?: number;
  /** Entries accepted per IST day. */
  maxOrdersDay?: number;
  /** An entry decided on a bar that arrived more than this after its close is refused (see Runner.setReceivedAt). */
  staleAfterMs?: number;
  /**
   * A live bot's orders sent per second (src/core/bot/pace.ts): a pause before sending, never a
   * refusal, so the Runner ignores it (a backtest has no seconds to spread orders over).
   */
  maxOrdersSecond?: number;
}

const KEYS = ['squareOff', 'noEntriesAfter', 'maxQuantity', 'maxExposure', 'maxLossDay', 'cooldownBars', 'maxOrdersDay', 'staleAfterMs', 'maxOrdersSecond'] as const;

/** The MIS square-off of the engine (Zerodha's own), minute of the IST day. */
const ENGINE_SQUARE_OFF = 15 * 60 + 20;

/** "HH:MM" (00:00-23:59) as the minute of the day, or null. */
export function hhmmOf(text: unknown): number | null {
  const m = typeof text === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text) : null;
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

const fail = (field: string, what: string, got: unknown): never => {
  throw new UsageError(`risk.${field} ${what} (got ${JSON.stringify(got) ?? String(got)})`, 'times are IST "HH:MM", amounts whole paise, e.g. { "maxQuantity": 50, "maxLossDay": { "amount": 200000, "action": "halt" } }');
};

function whole(field: string, v: unknown, min: number, unit: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(field, `must be a whole number of ${unit}, at least ${min}`, v);
  return v as number;
}

/** A run's risk controls from JSON (a spec, an API body, a bot's stored configuration), or a UsageError naming the field. */
export function riskOf(json: unknown): RunnerRisk {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new UsageError(`risk must be an object of controls (got ${JSON.stringify(json) ?? String(json)})`, `its fields: ${KEYS.join(', ')}`);
  const o = json as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(KEYS as readonly string[]).includes(k)) throw new UsageError(`risk.${k} is not a risk control`, `the controls: ${KEYS.join(', ')}`);
  const out: RunnerRisk = {};
  if (o.squareOff !== undefined) {
    const m = hhmmOf(o.squareOff);
    if (m === null || m >= ENGINE_SQUARE_OFF) fail('squareOff', 'must be an IST time "HH:MM" before 15:20 (the engine squares MIS off at 15:20)', o.squareOff);
    out.squareOff = o.squareOff as string;
  }
  if (o.noEntriesAfter !== undefined) {
    if (hhmmOf(o.noEntriesAfter) === null) fail('noEntriesAfter', 'must be an IST time "HH:MM"', o.noEntriesAfter);
    out.noEntriesAfter = o.noEntriesAfter as string;
  }
  if (o.maxQuantity !== undefined) out.maxQuantity = whole('maxQuantity', o.maxQuantity, 1, 'shares');
  if (o.maxExposure !== undefined) out.maxExposure = whole('maxExposure', o.maxExposure, 1, 'paise');
  if (o.maxLossDay !== undefined) {
    const l = o.maxLossDay as Record<string, unknown> | null;
    if (!l || typeof l !== 'object' || Array.isArray(l)) fail('maxLossDay', 'must be { amount: paise, action: "block" | "halt" }', l);
    const amount = whole('maxLossDay.amount', l!.amount, 1, 'paise');
    if (l!.action !== 'block' && l!.action !== 'halt') fail('maxLossDay.action', 'must be "block" (no entries for the rest of the day) or "halt" (exit everything, no entries for the rest of the run)', l!.action);
    out.maxLossDay = { amount, action: l!.action as 'block' | 'halt' };
  }
  if (o.cooldownBars !== undefined) out.cooldownBars = whole('cooldownBars', o.cooldownBars, 0, 'bars');
  if (o.maxOrdersDay !== undefined) out.maxOrdersDay = whole('maxOrdersDay', o.maxOrdersDay, 1, 'entries');
  if (o.staleAfterMs !== undefined) out.staleAfterMs = whole('staleAfterMs', o.staleAfterMs, 1, 'milliseconds');
  if (o.maxOrdersSecond !== undefined) out.maxOrdersSecond = whole('maxOrdersSecond', o.maxOrdersSecond, 1, 'orders');
  return out;
}

/** Whether the day's P&L has reached the loss limit (at or below -amount). */
export const lossReached = (limit: { amount: Paise }, dayPnl: Paise): boolean => dayPnl <= -limit.amount;

/** The line of a day-loss note: the day's P&L, the limit, what follows. */
export function lossNote(limit: { amount: Paise; action: 'block' | 'halt' }, dayPnl: Paise): string {
  const then = limit.action === 'halt' ? 'every position exits at the next open and entries stop for the rest of the run' : 'entries stop for the rest of the day';
  return `the day's loss limit ${formatINR(limit.amount)} is reached (the day's P&L ${formatINR(dayPnl)}): ${then}`;
}

/** Strategy bars since a symbol's last exit, against the cooldown: the refusal's reason, or null. */
export function cooldownLeft(cooldown: number, barsSinceExit: number): string | null {
  return barsSinceExit <= cooldown ? `cooling down after an exit: bar ${barsSinceExit} of ${cooldown} (entries from bar ${cooldown + 1})` : null;
}

/** What the gate needs to know of an entry the strategy asks for. */
export interface EntryAsk {
  quantity: number;
  /** The close time of the strategy bar that decided it, and its close price. */
  decidedAt: number;
  close: Paise;
  /** Strategy bars since the symbol's last exit (Infinity: none yet). */
  barsSinceExit: number;
  /** The open positions' and queued entries' value at their last close (asked only with maxExposure). */
  exposure: () => Paise;
}

/**
 * The risk controls over one run, as the Runner steps it: why entries are refused now (a bot's
 * command until allowed again, the day's loss limit until the next IST day, a halt for good) and
 * the first control an entry fails. No clock: the Runner tells it the day, the equity and the bar.
 */
export class RiskGate {
  command: string | null = null;
  private dayBlock: string | null = null;
  private halt: string | null = null;
  private dayStart = 0;
  private entries = 0;
  /** The wall time the latest bar arrived (a live driver; never set in a backtest). */
  receivedAt: number | undefined;
  private readonly squareOffAt: number | null;
  private readonly noEntriesAt: number | null;

  constructor(readonly risk: RunnerRisk) {
    this.squareOffAt = risk.squareOff ? hhmmOf(risk.squareOff) : null;
    this.noEntriesAt = risk.noEntriesAfter ? hhmmOf(risk.noEntriesAfter) : null;
  }

  get halted(): string | null {
    return this.halt;
  }

  /** A new IST day: the day's block and entry count start again, from the equity at the day's start. */
  newDay(equity: () => Paise): void {
    this.dayBlock = null;
    this.entries = 0;
    if (this.risk.maxLossDay) this.dayStart = equity();
  }

  /** The day's loss limit against the equity now: the note's line the first time it is reached (then blocked or halted), else null. */
  dayLoss(equity: Paise): { line: string; halt: boolean } | null {
    const limit = this.risk.maxLossDay;
    if (!limit || this.dayBlock !== null || this.halt !== null) return null;
    const pnl = equity - this.dayStart;
    if (!lossReached(limit, pnl)) return null;
    const line = lossNote(limit, pnl);
    if (limit.action === 'halt') this.halt = line;
    else this.dayBlock = line;
    return { line, halt: limit.action === 'halt' };
  }

  /** Whether a minute closing at `minuteOfDay` (IST) is at or after the run's square-off time. */
  squareOffDue(minuteOfDay: number): boolean {
    return this.squareOffAt !== null && minuteOfDay >= this.squareOffAt;
  }

  /** The first control the entry fails (its reason), or null, and then it counts as the day's entry. */
  refusal(ask: EntryAsk, minuteOfDay: number): string | null {
    const why = this.why(ask, minuteOfDay);
    if (why === null) this.entries++;
    return why;
  }

  private why(ask: EntryAsk, m: number): string | null {
    const r = this.risk;
    if (this.halt !== null) return `halted: ${this.halt}`;
    if (this.command !== null) return this.command;
    if (this.dayBlock !== null) return this.dayBlock;
    if (this.squareOffDue(m)) return `at or after the square-off time ${r.squareOff} IST`;
    if (this.noEntriesAt !== null && m >= this.noEntriesAt) return `no entries from ${r.noEntriesAfter} IST`;
    const stale = r.staleAfterMs === undefined ? null : staleBy(r.staleAfterMs, ask.decidedAt, this.receivedAt);
    if (stale !== null) return stale;
    if (r.maxQuantity !== undefined && ask.quantity > r.maxQuantity) return `quantity ${ask.quantity} is above the maximum ${r.maxQuantity} per entry`;
    const cooling = r.cooldownBars === undefined ? null : cooldownLeft(r.cooldownBars, ask.barsSinceExit);
    if (cooling !== null) return cooling;
    if (r.maxOrdersDay !== undefined && this.entries >= r.maxOrdersDay) return `the day's ${r.maxOrdersDay} entries are used`;
    if (r.maxExposure !== undefined) {
      const after = ask.exposure() + ask.quantity * ask.close;
      if (after > r.maxExposure) return `exposure ${formatINR(after)} with this entry is above the maximum ${formatINR(r.maxExposure)}`;
    }
    return null;
  }
}

/** A bar's age when it arrived (receivedAt - its close), against the guard: the refusal's reason, or null. */
export function staleBy(staleAfterMs: number, barClose: number, receivedAt: number | undefined): string | null {
  if (receivedAt === undefined) return null;
  const age = receivedAt - barClose;
  return age > staleAfterMs ? `the bar is stale: it arrived ${age} ms after its close (the guard is ${staleAfterMs} ms)` : null;
}
