import { checkBotName } from '../core/bot/store.js';
import type { BotConfig } from '../core/bot/types.js';
import { LimitError, UsageError } from '../core/errors.js';
import { toPaise, type Paise } from '../core/money.js';
import type { ExitPlan } from '../core/strategy/types.js';
import { riskFieldOf, riskFlagOf, type RiskFlag } from './risk-flags.js';
import { paramsFrom, percentOf, strategyRefOf, symbolsOf, type BacktestInput } from './backtest-request.js';

/**
 * A bot's inputs (flags, or a body turned to the flags' text) as its stored config: the
 * backtest's checks for the strategy, parameters, symbols and exits (src/app/backtest-request.ts),
 * and the bot's own for sizing, product, entry window and risk. Every refusal is one line naming
 * the flag. Given a base config (an edit), only the given inputs change it.
 */

export interface BotInput extends Omit<BacktestInput, 'from' | 'to'> {
  /** "HH:MM-HH:MM" IST, from inclusive until exclusive. */
  entryWindow?: string;
  /** "HH:MM" IST, MIS only, before 15:20. */
  squareOff?: string;
  /** "HH:MM" IST: no entries decided at a bar closing at or after it ("off" clears it in an edit). */
  noEntriesAfter?: string;
  /** Shares per entry at most ("off" clears). */
  maxQty?: string;
  /** Rupees of open positions plus the entry at most ("off" clears). */
  maxExposure?: string;
  /** Rupees, then ":halt" to exit everything too and take no more entries (else entries are blocked for the day); "off" clears. */
  maxLossDay?: string;
  /** Strategy bars after an exit before a new entry on that symbol ("off" clears). */
  cooldown?: string;
  maxOrdersDay?: string;
  /** Orders a second: the live runner paces the bot's orders (a pause, never a refusal). */
  maxOrdersSecond?: string;
  /** Seconds: no entries on a minute bar that reached the live bot more than this after its close. */
  staleAfter?: string;
}

/** A bad input, naming its field (the BotInput key, for the API's data.field) as the message names its flag. */
export class BotInputError extends UsageError {
  readonly field: string;
  constructor(field: string, message: string, hint?: string) {
    super(message, hint);
    this.field = field;
  }
}

/** "--max-loss-day" -> the error for field maxLossDay. */
const bad = (flag: string, message: string, hint?: string): BotInputError => new BotInputError(flag.slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), message, hint);

/** A bot's name, checked by the store's rule (src/core/bot/store.ts), refused as field "name". */
export function botNameOf(name: unknown): string {
  try {
    return checkBotName(name);
  } catch (err) {
    if (err instanceof UsageError) throw new BotInputError('name', err.message, err.hint);
    throw err;
  }
}

/** Per-user limits (the API answers 409 over one). */
export interface BotLimits {
  botsPerUser: number;
  symbolsPerBot: number;
}

export const BOT_LIMITS: BotLimits = { botsPerUser: 20, symbolsPerBot: 10 };

export { LimitError } from '../core/errors.js';

/** The limits, from ALGO_MAX_BOTS and ALGO_MAX_BOT_SYMBOLS when set (else the defaults). */
export function botLimitsFrom(env: NodeJS.ProcessEnv): BotLimits {
  const read = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > 1000) throw new UsageError(`${name} ${JSON.stringify(text)} is not a limit`, `set it to a whole number from 1 to 1000, or unset it (default ${fallback})`);
    return Number(text);
  };
  return { botsPerUser: read('ALGO_MAX_BOTS', BOT_LIMITS.botsPerUser), symbolsPerBot: read('ALGO_MAX_BOT_SYMBOLS', BOT_LIMITS.symbolsPerBot) };
}

export const DEFAULT_ENTRY_WINDOW = { from: '09:20', until: '15:00' } as const;
export const DEFAULT_SQUARE_OFF = '15:10';
/** A new bot refuses entries on a bar that arrives more than this many seconds after its close. */
export const DEFAULT_STALE_AFTER = 120;
const MAX_STALE_AFTER = 3600;
/** Zerodha squares MIS off itself from 15:20: a bot's own square-off must come first. */
const BROKER_SQUARE_OFF = '15:20';
const OPEN = '09:15';
const CLOSE = '15:30';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Everything given, checked, as a config (over `base` for an edit). */
export function configOf(input: BotInput, limits: Pick<BotLimits, 'symbolsPerBot'>, base?: BotConfig): BotConfig {
  const strategyGiven = input.strategy !== undefined || input.rules !== undefined;
  const strategy = strategyGiven || !base ? strategyRefOf(input) : base.strategy;
  const given = paramsFrom(strategy, input);
  // An edit keeps the parameters it does not name, unless the strategy changed.
  const params = base && !strategyGiven ? paramsFrom(strategy, { params: { ...base.params, ...given } }) : given;
  const symbols = input.symbols !== undefined || !base ? botSymbols(input.symbols, limits.symbolsPerBot) : base.symbols;
  const product = productOf(input.product, base?.product);
  const exits: ExitPlan = { ...base?.exits };
  for (const [flag, key] of [['--sl', 'stopLoss'], ['--target', 'target'], ['--trail', 'trailing']] as const) {
    const text = input[flag.slice(2) as 'sl' | 'target' | 'trail'];
    if (text === undefined) continue;
    if (text.trim() === 'off') delete exits[key];
    else exits[key] = percentOf(flag, text);
  }
  const entryWindow = input.entryWindow !== undefined ? windowOf(input.entryWindow) : (base?.entryWindow ?? { ...DEFAULT_ENTRY_WINDOW });
  return { strategy, params, symbols, sizing: sizingOf(input, base?.sizing), product, exits, entryWindow, risk: riskOf(input, product, entryWindow, base?.risk) };
}

/** The backtest's symbol rule, one word at a time, then the per-bot limit. */
function botSymbols(words: readonly string[] | undefined, max: number): string[] {
  const out = [...new Set((words ?? []).flatMap((w) => symbolsOf([w])))];
  if (out.length === 0) return symbolsOf([]);
  if (out.length > max) throw new LimitError(`${out.length} symbols is more than a bot may trade (${max})`, `give at most ${max} --symbol, or split them over two bots`);
  return out;
}

function productOf(text: string | undefined, base: BotConfig['product'] | undefined): BotConfig['product'] {
  if (text === undefined) return base ?? 'MIS';
  const p = text.trim().toUpperCase();
  if (p === 'MIS' || p === 'CNC') return p;
  throw bad('--product', `--product ${JSON.stringify(text)} is not a product a bot trades`, 'use --product MIS (intraday, squared off by --square-off) or --product CNC (delivery)');
}

function sizingOf(o: Pick<BotInput, 'qty' | 'capital'>, base: BotConfig['sizing'] | undefined): BotConfig['sizing'] {
  if (o.qty !== undefined && o.capital !== undefined) throw bad('--capital', 'give --qty or --capital, not both', '--qty N trades N shares per entry; --capital RUPEES as many as that amount pays for');
  if (o.capital !== undefined) return { capital: rupeesOf('--capital', o.capital, 'give rupees per entry, e.g. --capital 50000') };
  if (o.qty === undefined) return base ?? { quantity: 1 };
  const q = o.qty.trim();
  if (!/^\d+$/.test(q) || Number(q) < 1 || Number(q) > 100_000) throw bad('--qty', `--qty ${JSON.stringify(o.qty)} is not a quantity`, 'give a whole number of shares from 1 to 1,00,000, e.g. --qty 10');
  return { quantity: Number(q) };
}

function rupeesOf(flag: string, text: string, hint: string): Paise {
  const p = toPaise(text.trim().replace(/^₹/, '').replace(/,/g, ''));
  if (p === null || p <= 0) throw bad(flag, `${flag} ${JSON.stringify(text)} is not an amount`, hint);
  return p;
}

function timeOf(flag: string, text: string, example: string): string {
  const t = text.trim();
  if (!HHMM.test(t)) throw bad(flag, `${flag} ${JSON.stringify(text)} is not a time`, `give IST hours and minutes, e.g. ${flag} ${example}`);
  return t;
}

function windowOf(text: string): BotConfig['entryWindow'] {
  const [from, until, extra] = text.split('-');
  if (from === undefined || until === undefined || extra !== undefined) throw bad('--entry-window', `--entry-window ${JSON.stringify(text)} is not a window`, 'give FROM-UNTIL in IST, e.g. --entry-window 09:20-15:00');
  const w = { from: timeOf('--entry-window', from, '09:20-15:00'), until: timeOf('--entry-window', until, '09:20-15:00') };
  if (w.from >= w.until) throw bad('--entry-window', `--entry-window ${text}: ${w.from} is not before ${w.until}`, 'give FROM-UNTIL with FROM first, e.g. --entry-window 09:20-15:00');
  if (w.from < OPEN || w.until > CLOSE) throw bad('--entry-window', `--entry-window ${text} is outside the market's hours (${OPEN}-${CLOSE})`, 'give a window within the session, e.g. --entry-window 09:20-15:00');
  return w;
}

/**
 * config.risk, as the Runner reads it (RunnerRisk): { squareOff: "HH:MM" (MIS), noEntriesAfter,
 * maxQuantity, maxExposure, maxLossDay: { amount, action }, cooldownBars, maxOrdersDay,
 * maxOrdersSecond, staleAfterMs (a new bot's: DEFAULT_STALE_AFTER s) }; other keys of the base stay.
 */
function riskOf(o: BotInput, product: BotConfig['product'], window: BotConfig['entryWindow'], base: Record<string, unknown> | undefined): Record<string, unknown> {
  const risk: Record<string, unknown> = { ...base };
  if (product === 'CNC') {
    if (o.squareOff !== undefined) throw bad('--square-off', '--square-off is for MIS bots; a CNC bot holds its positions overnight', 'drop --square-off, or use --product MIS');
    delete risk.squareOff;
  } else {
    const at = o.squareOff !== undefined ? timeOf('--square-off', o.squareOff, DEFAULT_SQUARE_OFF) : typeof risk.squareOff === 'string' ? risk.squareOff : DEFAULT_SQUARE_OFF;
    if (at >= BROKER_SQUARE_OFF || at <= OPEN) throw bad('--square-off', `--square-off ${at} is not before ${BROKER_SQUARE_OFF}`, `Zerodha squares MIS off from ${BROKER_SQUARE_OFF}; give a time after ${OPEN} and before it, e.g. --square-off ${DEFAULT_SQUARE_OFF}`);
    if (window.until > at) throw bad('--entry-window', `--entry-window ends at ${window.until}, after the square-off at ${at}`, 'end the entry window at or before --square-off');
    risk.squareOff = at;
  }
  for (const [key, flag] of SHARED_RISK) {
    const text = o[key];
    if (text === undefined) continue;
    if (text.trim() === 'off') delete risk[riskFieldOf(key)];
    else Object.assign(risk, sharedRisk(key, flag, text));
  }
  if (o.maxOrdersDay !== undefined) risk.maxOrdersDay = wholeOf('--max-orders-day', o.maxOrdersDay, 10_000, 'a count', 'give a whole number of orders from 1 to 10,000, e.g. --max-orders-day 20');
  if (o.maxOrdersSecond !== undefined) risk.maxOrdersSecond = wholeOf('--max-orders-second', o.maxOrdersSecond, Number.MAX_SAFE_INTEGER, 'a rate', "give a whole number of orders a second, at least 1, e.g. --max-orders-second 3 (more wait their turn)");
  if (o.staleAfter !== undefined) risk.staleAfterMs = 1000 * wholeOf('--stale-after', o.staleAfter, MAX_STALE_AFTER, 'a number of seconds', `give whole seconds from 1 to ${MAX_STALE_AFTER}, e.g. --stale-after ${DEFAULT_STALE_AFTER}`);
  else if (base === undefined) risk.staleAfterMs = 1000 * DEFAULT_STALE_AFTER;
  return risk;
}

/** The risk flags whose text `algo backtest run` reads the same way (src/app/risk-flags.ts). */
const SHARED_RISK: ReadonlyArray<[RiskFlag & keyof BotInput, string]> = [
  ['noEntriesAfter', '--no-entries-after'],
  ['maxQty', '--max-qty'],
  ['maxExposure', '--max-exposure'],
  ['maxLossDay', '--max-loss-day'],
  ['cooldown', '--cooldown'],
];

/** The backtest's parse of one risk flag, its refusal naming the bot's field. */
function sharedRisk(key: RiskFlag, flag: string, text: string): Record<string, unknown> {
  try {
    const { field, value } = riskFlagOf(key, text);
    return { [field]: value };
  } catch (err) {
    if (err instanceof UsageError) throw bad(flag, err.message, err.hint);
    throw err;
  }
}

/** A whole number from 1 to max, or the one-line refusal naming the flag. */
function wholeOf(flag: string, text: string, max: number, what: string, hint: string): number {
  const n = text.trim();
  if (!/^\d+$/.test(n) || Number(n) < 1 || Number(n) > max) throw bad(flag, `${flag} ${JSON.stringify(text)} is not ${what}`, hint);
  return Number(n);
}
