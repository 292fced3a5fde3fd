import type { BacktestSpec, StrategyRef } from '../core/backtest/types.js';
import { checkDate, checkRange } from '../core/backtest/feed-days.js';
import { riskOf } from '../core/backtest/risk.js';
import { paramsOf, strategyOf } from '../core/backtest/run.js';
import { UsageError } from '../core/errors.js';
import { toPaise } from '../core/money.js';
import { parseInstrument } from '../core/order/parse.js';
import { paramPairs } from '../core/strategy/params.js';
import type { Distance, ExitPlan } from '../core/strategy/types.js';

/**
 * The one rule for a backtest's inputs, shared by `algo backtest run` (flags) and
 * `POST /api/backtests` (a JSON body): the same checks and the same message text for the same
 * input. Every refusal is a BacktestInputError naming the API field (`data.field`); the CLI
 * prints it as any usage error (exit 2).
 */

export type BacktestRequest = Omit<BacktestSpec, 'capital' | 'fills'>;

export type BacktestField = 'strategy' | 'rules' | 'symbols' | 'from' | 'to' | 'params' | 'qty' | 'capital' | 'product' | 'sl' | 'target' | 'trail' | 'risk';

export class BacktestInputError extends UsageError {
  readonly field: BacktestField;
  constructor(field: BacktestField, message: string, hint?: string) {
    super(message, hint);
    this.field = field;
  }
}

/** A UsageError from core (dates, strategy, parameters) as one naming the field. */
function named<T>(field: BacktestField | ((e: UsageError) => BacktestField), fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UsageError && !(err instanceof BacktestInputError)) throw new BacktestInputError(typeof field === 'string' ? field : field(err), err.message, err.hint);
    throw err;
  }
}

export const MAX_SYMBOLS = 50;

/** What a face was given, as text (flags) or JSON values (a body, turned to the flags' text first). */
export interface BacktestInput {
  strategy?: string;
  /** A rule file's JSON text and the name it goes by in messages (the file's base name; "rules" for a body). */
  rules?: { text: string; name: string };
  symbols?: readonly string[];
  from?: string;
  to?: string;
  /** `--param k=v` words. */
  paramWords?: readonly string[];
  /** A body's params object. */
  params?: Readonly<Record<string, unknown>>;
  qty?: string;
  capital?: string;
  product?: string;
  sl?: string;
  target?: string;
  trail?: string;
  /** The risk controls as JSON (src/core/backtest/risk.ts RunnerRisk: HH:MM times, paise); no flags yet. */
  risk?: unknown;
}

/** --strategy ID or --rules FILE (exactly one), as the spec's strategy reference. */
export function strategyRefOf(o: Pick<BacktestInput, 'strategy' | 'rules'>): StrategyRef {
  if (o.strategy !== undefined && o.rules !== undefined) throw new BacktestInputError('strategy', 'give --strategy or --rules, not both', 'e.g. --strategy ema-cross, or --rules my-rules.json');
  if (o.strategy !== undefined) return { kind: 'builtin', id: o.strategy };
  if (o.rules !== undefined) return { kind: 'rules', text: o.rules.text, name: o.rules.name };
  throw new BacktestInputError('strategy', 'give the strategy: --strategy ID (see algo strategy list) or --rules FILE');
}

/** "INFY" -> "NSE:INFY"; the exchange list is checked against the market later (unknown symbol). */
export function symbolsOf(words: readonly string[] | undefined): string[] {
  if (!words || words.length === 0) throw new BacktestInputError('symbols', 'give at least one --symbol, e.g. --symbol INFY');
  const out: string[] = [];
  for (const w of words) {
    const inst = parseInstrument(w);
    if (!inst || !['NSE', 'BSE'].includes(inst.exchange)) throw new BacktestInputError('symbols', `--symbol ${JSON.stringify(w)} is not a symbol`, 'give an NSE or BSE trading symbol, e.g. --symbol INFY or --symbol BSE:TCS');
    const key = `${inst.exchange}:${inst.tradingsymbol}`;
    if (!out.includes(key)) out.push(key);
  }
  if (out.length > MAX_SYMBOLS) throw new BacktestInputError('symbols', `${out.length} symbols is more than a backtest takes (${MAX_SYMBOLS})`);
  return out;
}

/** "1%", "0.5%" as a percent distance; the flag names itself when the text is not one. */
export function percentOf(flag: '--sl' | '--target' | '--trail', text: string): Distance {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0 && n < 100)) throw new BacktestInputError(flag.slice(2) as BacktestField, `${flag} ${JSON.stringify(text)} is not a percentage`, `write it with a % sign, above 0 and below 100, e.g. ${flag} 1% or ${flag} 0.5%`);
  return { percent: n };
}

function sizingOf(o: Pick<BacktestInput, 'qty' | 'capital'>): BacktestRequest['sizing'] {
  if (o.qty !== undefined && o.capital !== undefined) throw new BacktestInputError('capital', 'give --qty or --capital, not both', '--qty N buys N shares per entry; --capital RUPEES buys as many as that amount pays for');
  if (o.capital !== undefined) {
    const p = toPaise(o.capital.trim().replace(/^₹/, '').replace(/,/g, ''));
    if (p === null || p <= 0) throw new BacktestInputError('capital', `--capital ${JSON.stringify(o.capital)} is not an amount`, 'give rupees per entry, e.g. --capital 50000');
    return { capital: p };
  }
  const q = o.qty ?? '1';
  if (!/^\d+$/.test(q.trim()) || !(Number(q) > 0) || Number(q) > 100_000) throw new BacktestInputError('qty', `--qty ${JSON.stringify(q)} is not a quantity`, 'give a whole number of shares from 1 to 1,00,000, e.g. --qty 10');
  return { quantity: Number(q) };
}

function productOf(text: string | undefined): 'MIS' | 'CNC' {
  const p = (text ?? 'MIS').toUpperCase();
  if (p !== 'MIS' && p !== 'CNC') throw new BacktestInputError('product', `--product ${JSON.stringify(text)} is not one a backtest takes`, 'use --product MIS (intraday, squared off at 15:20) or --product CNC (delivery)');
  return p;
}

/**
 * The given parameters (words or a body's object), checked against the strategy's schema (naming
 * the parameter and its range), as their parsed values: `--param fast=5` and `{"fast": 5}` are
 * the same input and make the same spec (and so the same result hash).
 */
export function paramsFrom(ref: StrategyRef, o: Pick<BacktestInput, 'paramWords' | 'params'>): Record<string, number | boolean | string> {
  let given: Readonly<Record<string, unknown>> = o.params ?? {};
  if (o.paramWords !== undefined) {
    const pairs = paramPairs(o.paramWords);
    if (!pairs.ok) throw new BacktestInputError('params', pairs.errors[0]!);
    given = pairs.values;
  }
  const strategy = named(ref.kind === 'rules' ? 'rules' : 'strategy', () => strategyOf(ref));
  const resolved = named('params', () => paramsOf(strategy, given));
  return Object.fromEntries(Object.keys(given).filter((k) => given[k] !== undefined).map((k) => [k, resolved[k]!]));
}

/** The range's dates: each a date, then the range as a whole (a problem of the range names the flag it starts with, else from). */
export function rangeOf(from: string | undefined, to: string | undefined, today?: string): { from: string; to: string } {
  if (from === undefined) throw new BacktestInputError('from', 'give the range: --from YYYY-MM-DD [--to YYYY-MM-DD] (IST dates, inclusive; one day without --to)');
  named('from', () => checkDate('--from', from));
  const last = to ?? from;
  named('to', () => checkDate('--to', last));
  named((e) => (/^--to\b/.test(e.message) ? 'to' : 'from'), () => checkRange(from, last, today));
  return { from, to: last };
}

/** Every input of a backtest, checked: a request, or one BacktestInputError naming the bad field. */
export function requestOf(o: BacktestInput, today?: string): BacktestRequest {
  const strategy = strategyRefOf(o);
  const params = paramsFrom(strategy, o);
  const symbols = symbolsOf(o.symbols);
  const { from, to } = rangeOf(o.from, o.to, today);
  const exits: ExitPlan = {};
  if (o.sl !== undefined) exits.stopLoss = percentOf('--sl', o.sl);
  if (o.target !== undefined) exits.target = percentOf('--target', o.target);
  if (o.trail !== undefined) exits.trailing = percentOf('--trail', o.trail);
  const risk = o.risk === undefined ? undefined : named('risk', () => riskOf(o.risk));
  return { strategy, params, symbols, from, to, sizing: sizingOf(o), product: productOf(o.product), exits, ...(risk ? { risk } : {}) };
}
