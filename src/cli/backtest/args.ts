import fs from 'node:fs';
import path from 'node:path';
import * as input from '../../app/backtest-request.js';
import type { BacktestRequest } from '../../app/backtest-request.js';
import type { StrategyRef } from '../../core/backtest/types.js';
import { riskFlagsOf } from '../../app/risk-flags.js';
import { AlgoError, UsageError } from '../../core/errors.js';

/**
 * The flags of `algo backtest` as the shared input rule (src/app/backtest-request.ts, which the
 * API's POST /api/backtests uses too): only reading the rule file is the CLI's own.
 */

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
  squareOff?: string;
  noEntriesAfter?: string;
  /** commander's name for --no-entries-after <hh:mm> (a --no- flag): the time, or true when not given. */
  entriesAfter?: string | boolean;
  maxQty?: string;
  maxExposure?: string;
  maxLossDay?: string;
  cooldown?: string;
  maxOrdersDay?: string;
}

/** Rule files are small; anything larger is not one. */
const MAX_RULE_FILE = 256 * 1024;

export const symbolsOf = input.symbolsOf;

/** --strategy ID or --rules FILE (exactly one), as the spec's strategy reference. */
export function strategyRefOf(o: Pick<RunOptions, 'strategy' | 'rules'>): StrategyRef {
  const rules = o.rules !== undefined && o.strategy === undefined ? { text: readRuleFile(o.rules), name: path.basename(o.rules) } : o.rules !== undefined ? { text: '', name: o.rules } : undefined;
  return input.strategyRefOf({ ...(o.strategy !== undefined ? { strategy: o.strategy } : {}), ...(rules ? { rules } : {}) });
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

/** --param words as parsed values, each checked against the strategy's schema (naming the parameter and its range). */
export function paramsFrom(ref: StrategyRef, words: readonly string[] | undefined): Record<string, number | boolean | string> {
  return input.paramsFrom(ref, { paramWords: words ?? [] });
}

/** Every flag of `algo backtest run`, checked: a request, or one line naming the bad flag (exit 2). */
export function requestOf(o: RunOptions, today?: string): BacktestRequest {
  const strategy = strategyRefOf(o);
  const { rules: _file, symbol, param, squareOff: _s, noEntriesAfter: _n, maxQty: _q, maxExposure: _e, maxLossDay: _l, cooldown: _c, maxOrdersDay: _o, entriesAfter, ...rest } = o;
  const ref = strategy.kind === 'rules' ? { rules: { text: strategy.text, name: strategy.name } } : { strategy: strategy.id };
  const risk = riskFlagsOf({ ...o, ...(typeof entriesAfter === 'string' ? { noEntriesAfter: entriesAfter } : {}) });
  return input.requestOf({ ...rest, ...ref, ...(symbol ? { symbols: symbol } : {}), paramWords: param ?? [], ...(risk ? { risk } : {}) }, today);
}
