import type { BacktestRequest } from '../../app/backtest.js';
import { checkDate, checkRange, tradingDates } from '../../core/backtest/feed-days.js';
import { paramsOf, strategyOf } from '../../core/backtest/run.js';
import { AlgoError } from '../../core/errors.js';
import { parseInstrument } from '../../core/order/parse.js';
import { paramPairs } from '../../core/strategy/params.js';

/**
 * The Strategies view's run form as a pure state machine: keystrokes in, a validated backtest
 * request out, checked by the same core rules as `algo backtest run` (the strategy's parameter
 * schema, the range's dates and trading days, the symbol), the bad field named.
 */

export type BacktestField = 'symbol' | 'from' | 'to' | 'qty' | 'product' | 'params';
export const BACKTEST_FIELDS: readonly BacktestField[] = ['symbol', 'from', 'to', 'qty', 'product', 'params'];
type TextField = Exclude<BacktestField, 'product'>;

export interface BacktestFormState {
  strategy: string;
  symbol: string;
  from: string;
  to: string;
  qty: string;
  product: 'MIS' | 'CNC';
  /** Parameters as the CLI's words: "fast=5 slow=13" (empty: the defaults). */
  params: string;
  focus: BacktestField;
  /** The focused field's text is selected: the first key typed replaces it. */
  selected: boolean;
  error: string | null;
  busy: boolean;
}

/** Shares per entry, as `--qty` takes them (the CLI's bounds). */
export const MAX_BACKTEST_QTY = 100_000;
/** Trading days the form's default range covers. */
export const DEFAULT_DAYS = 2;

/** The last `n` trading days before `today` (all their minutes closed): [first, last]. */
export function lastTradingDays(today: string, n = DEFAULT_DAYS): { from: string; to: string } {
  const days: string[] = [];
  for (let t = Date.parse(`${today}T00:00:00Z`) - 86_400_000; days.length < n; t -= 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    if (tradingDates(d, d).length) days.unshift(d);
  }
  return { from: days[0]!, to: days[days.length - 1]! };
}

export function newBacktestForm(strategy: string, symbol: string, today: string): BacktestFormState {
  const { from, to } = lastTradingDays(today);
  return { strategy, symbol, from, to, qty: '1', product: 'MIS', params: '', focus: 'symbol', selected: true, error: null, busy: false };
}

export type BacktestFormAction =
  | { type: 'type'; text: string }
  | { type: 'backspace' }
  | { type: 'clear' }
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'focus'; field: BacktestField }
  | { type: 'cycle' }
  | { type: 'error'; message: string; field?: BacktestField }
  | { type: 'busy'; busy: boolean };

const ALLOWED: Record<TextField, RegExp> = {
  symbol: /^[A-Za-z0-9:&_-]$/,
  from: /^[\d-]$/,
  to: /^[\d-]$/,
  qty: /^\d$/,
  params: /^[A-Za-z0-9=._ -]$/,
};
const MAX_LEN: Record<TextField, number> = { symbol: 40, from: 10, to: 10, qty: 7, params: 120 };

export function backtestFormReducer(s: BacktestFormState, a: BacktestFormAction): BacktestFormState {
  const f = s.focus;
  switch (a.type) {
    case 'type': {
      if (s.busy) return s;
      if (f === 'product') return a.text === ' ' ? backtestFormReducer(s, { type: 'cycle' }) : s;
      const chars = [...a.text].filter((c) => ALLOWED[f].test(c)).join('');
      if (!chars) return s;
      const value = ((s.selected ? '' : s[f]) + chars).slice(0, MAX_LEN[f]);
      return { ...s, [f]: f === 'symbol' ? value.toUpperCase() : value, selected: false, error: null };
    }
    case 'backspace':
      if (f === 'product' || s.busy) return s;
      return { ...s, [f]: s.selected ? '' : s[f].slice(0, -1), selected: false, error: null };
    case 'clear':
      if (f === 'product' || s.busy) return s;
      return { ...s, [f]: '', selected: false, error: null };
    case 'next':
    case 'prev': {
      const i = BACKTEST_FIELDS.indexOf(f);
      const n = BACKTEST_FIELDS.length;
      return { ...s, focus: BACKTEST_FIELDS[(i + (a.type === 'next' ? 1 : -1) + n) % n]!, selected: true };
    }
    case 'focus':
      return { ...s, focus: a.field, selected: true };
    case 'cycle':
      return f === 'product' && !s.busy ? { ...s, product: s.product === 'MIS' ? 'CNC' : 'MIS', error: null } : s;
    case 'error':
      return { ...s, error: a.message, busy: false, ...(a.field ? { focus: a.field, selected: true } : {}) };
    case 'busy':
      return { ...s, busy: a.busy, error: a.busy ? null : s.error };
  }
}

export type ParsedRequest = { ok: true; value: BacktestRequest } | { ok: false; field: BacktestField; error: string };

/** The core's words name CLI flags ("--from"); the form names its fields. */
const unflag = (message: string): string => message.replace(/--(from|to|symbol|qty|param)\b/g, '$1');

/** The field a core or app error is about (the run can still refuse, e.g. an unknown symbol, once it reads the market). */
export function fieldOfError(message: string): BacktestField | null {
  if (/unknown symbol|symbol/i.test(message)) return 'symbol';
  if (/parameter|^[a-z-]+: .*(must|below|above)/.test(message)) return 'params';
  if (/--to |^to /.test(message)) return 'to';
  if (/--from|trading day|after today|days, more than/.test(message)) return 'from';
  return null;
}

function attempt<T>(field: BacktestField, make: () => T): { ok: true; value: T } | { ok: false; field: BacktestField; error: string } {
  try {
    return { ok: true, value: make() };
  } catch (e) {
    if (!(e instanceof AlgoError)) throw e;
    const message = unflag(e.message);
    return { ok: false, field: fieldOfError(e.message) ?? field, error: e.hint ? `${message} (${unflag(e.hint)})` : message };
  }
}

/** The request the form makes, or the first thing wrong with it; `today` is the clock's IST date (a range may not start after it). */
export function formToBacktest(s: BacktestFormState, today: string): ParsedRequest {
  const inst = parseInstrument(s.symbol.trim());
  if (!inst || !['NSE', 'BSE'].includes(inst.exchange)) {
    return { ok: false, field: 'symbol', error: `symbol ${JSON.stringify(s.symbol)} is not a symbol: give an NSE or BSE trading symbol, e.g. INFY or BSE:TCS` };
  }
  const from = attempt('from', () => checkDate('from', s.from.trim()));
  if (!from.ok) return from;
  const to = attempt('to', () => checkDate('to', s.to.trim()));
  if (!to.ok) return to;
  const range = attempt('from', () => checkRange(from.value, to.value, today));
  if (!range.ok) return range;
  const q = s.qty.trim();
  if (!/^\d+$/.test(q) || !(Number(q) > 0) || Number(q) > MAX_BACKTEST_QTY) {
    return { ok: false, field: 'qty', error: `qty ${JSON.stringify(s.qty)} is not a quantity: give a whole number of shares from 1 to 1,00,000` };
  }
  const pairs = paramPairs(s.params.split(/\s+/).filter(Boolean));
  if (!pairs.ok) return { ok: false, field: 'params', error: unflag(pairs.errors[0]!).replace(/^param /, 'params ') };
  const ref = { kind: 'builtin' as const, id: s.strategy };
  const params = attempt('params', () => {
    paramsOf(strategyOf(ref), pairs.values);
    return pairs.values;
  });
  if (!params.ok) return { ...params, field: 'params' };
  const request: BacktestRequest = {
    strategy: ref,
    params: params.value,
    symbols: [`${inst.exchange}:${inst.tradingsymbol}`],
    from: from.value,
    to: to.value,
    sizing: { quantity: Number(q) },
    product: s.product,
    exits: {},
  };
  return { ok: true, value: request };
}
