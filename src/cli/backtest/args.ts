import fs from 'node:fs';
import path from 'node:path';
import type { BacktestRequest } from '../../app/backtest.js';
import { checkRange } from '../../core/backtest/feed-days.js';
import { paramsOf, strategyOf } from '../../core/backtest/run.js';
import type { StrategyRef } from '../../core/backtest/types.js';
import { AlgoError, UsageError } from '../../core/errors.js';
import { toPaise } from '../../core/money.js';
import { parseInstrument } from '../../core/order/parse.js';
import { paramPairs } from '../../core/strategy/params.js';
import type { Distance, ExitPlan } from '../../core/strategy/types.js';

/** The options of `algo backtest run` as commander gives them. */
export interface RunOptions {
  strategy?: string;
  rules?: string;
  symbol?: string[];
  from?: string;
  to?: string;
  param?: string[];
  qty?: string;
  capital?: string;
  product?: string;
  sl?: string;
  target?: string;
  trail?: string;
}

/** Rule files are small; anything larger is not one. */
const MAX_RULE_FILE = 256 * 1024;
const MAX_SYMBOLS = 50;

/** --strategy ID or --rules FILE (exactly one), as the spec's strategy reference. */
export function strategyRefOf(o: Pick<RunOptions, 'strategy' | 'rules'>): StrategyRef {
  if (o.strategy !== undefined && o.rules !== undefined) throw new UsageError('give --strategy or --rules, not both', 'e.g. --strategy ema-cross, or --rules my-rules.json');
  if (o.strategy !== undefined) return { kind: 'builtin', id: o.strategy };
  if (o.rules !== undefined) return { kind: 'rules', text: readRuleFile(o.rules), name: path.basename(o.rules) };
  throw new UsageError('give the strategy: --strategy ID (see algo strategy list) or --rules FILE');
}

function readRuleFile(file: string): string {
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_RULE_FILE) throw new UsageError(`--rules ${file}: ${size} bytes is too large for a rule file (at most ${MAX_RULE_FILE})`);
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof AlgoError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new UsageError(`--rules ${file}: ${why}`, 'give the path of a JSON rule file, e.g. examples/rules/ema-rsi-trend.json');
  }
}

/** "INFY" -> "NSE:INFY"; the exchange list is checked against the market later (unknown symbol). */
export function symbolsOf(words: readonly string[] | undefined): string[] {
  if (!words || words.length === 0) throw new UsageError('give at least one --symbol, e.g. --symbol INFY');
  const out: string[] = [];
  for (const w of words) {
    const inst = parseInstrument(w);
    if (!inst || !['NSE', 'BSE'].includes(inst.exchange)) throw new UsageError(`--symbol ${JSON.stringify(w)} is not a symbol`, 'give an NSE or BSE trading symbol, e.g. --symbol INFY or --symbol BSE:TCS');
    const key = `${inst.exchange}:${inst.tradingsymbol}`;
    if (!out.includes(key)) out.push(key);
  }
  if (out.length > MAX_SYMBOLS) throw new UsageError(`${out.length} symbols is more than a backtest takes (${MAX_SYMBOLS})`);
  return out;
}

/** "1%", "0.5%" as a percent distance; the flag names itself when the text is not one. */
export function percentOf(flag: string, text: string): Distance {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0 && n < 100)) throw new UsageError(`${flag} ${JSON.stringify(text)} is not a percentage`, `write it with a % sign, above 0 and below 100, e.g. ${flag} 1% or ${flag} 0.5%`);
  return { percent: n };
}

function sizingOf(o: Pick<RunOptions, 'qty' | 'capital'>): BacktestRequest['sizing'] {
  if (o.qty !== undefined && o.capital !== undefined) throw new UsageError('give --qty or --capital, not both', '--qty N buys N shares per entry; --capital RUPEES buys as many as that amount pays for');
  if (o.capital !== undefined) {
    const p = toPaise(o.capital.trim().replace(/^₹/, '').replace(/,/g, ''));
    if (p === null || p <= 0) throw new UsageError(`--capital ${JSON.stringify(o.capital)} is not an amount`, 'give rupees per entry, e.g. --capital 50000');
    return { capital: p };
  }
  const q = o.qty ?? '1';
  if (!/^\d+$/.test(q.trim()) || !(Number(q) > 0) || Number(q) > 100_000) throw new UsageError(`--qty ${JSON.stringify(q)} is not a quantity`, 'give a whole number of shares from 1 to 1,00,000, e.g. --qty 10');
  return { quantity: Number(q) };
}

function productOf(text: string | undefined): 'MIS' | 'CNC' {
  const p = (text ?? 'MIS').toUpperCase();
  if (p !== 'MIS' && p !== 'CNC') throw new UsageError(`--product ${JSON.stringify(text)} is not one a backtest takes`, 'use --product MIS (intraday, squared off at 15:20) or --product CNC (delivery)');
  return p;
}

/** --param words as raw values, each checked against the strategy's schema (naming the parameter and its range). */
export function paramsFrom(ref: StrategyRef, words: readonly string[] | undefined): Record<string, string> {
  const pairs = paramPairs(words ?? []);
  if (!pairs.ok) throw new UsageError(pairs.errors[0]!);
  paramsOf(strategyOf(ref), pairs.values);
  return pairs.values;
}

/** Every flag of `algo backtest run`, checked: a request, or one line naming the bad flag (exit 2). */
export function requestOf(o: RunOptions, today?: string): BacktestRequest {
  const strategy = strategyRefOf(o);
  const params = paramsFrom(strategy, o.param);
  const symbols = symbolsOf(o.symbol);
  if (o.from === undefined) throw new UsageError('give the range: --from YYYY-MM-DD [--to YYYY-MM-DD] (IST dates, inclusive; one day without --to)');
  const to = o.to ?? o.from;
  checkRange(o.from, to, today);
  const exits: ExitPlan = {};
  if (o.sl !== undefined) exits.stopLoss = percentOf('--sl', o.sl);
  if (o.target !== undefined) exits.target = percentOf('--target', o.target);
  if (o.trail !== undefined) exits.trailing = percentOf('--trail', o.trail);
  return { strategy, params, symbols, from: o.from, to, sizing: sizingOf(o), product: productOf(o.product), exits };
}
