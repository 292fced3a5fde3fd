import { toPaise } from '../../money.js';
import { SOURCES, type IndicatorSpec, type Source } from '../indicators.js';

/**
 * The operands of a rule condition: a price ("close", "hlc3"), an indicator written as a call
 * ("ema(9)", "rsi(14)", "sma(20,hl2)", "supertrend(10,3)", "vwap", "orb_high(15)") or a number.
 * A number beside a price-like operand is rupees (1500.50); beside RSI or a trend, a plain number.
 */
export type Operand = { kind: 'price'; source: Source } | { kind: 'indicator'; spec: IndicatorSpec } | { kind: 'number'; value: number };

export const INDICATOR_NAMES = ['sma', 'ema', 'rsi', 'atr', 'supertrend', 'supertrend_trend', 'vwap', 'orb_high', 'orb_low'] as const;

const USAGE: Record<(typeof INDICATOR_NAMES)[number], string> = {
  sma: 'sma(PERIOD) or sma(PERIOD,SOURCE), PERIOD from 1 to 500, e.g. sma(20)',
  ema: 'ema(PERIOD) or ema(PERIOD,SOURCE), PERIOD from 1 to 500, e.g. ema(9)',
  rsi: 'rsi(PERIOD), PERIOD from 2 to 100, e.g. rsi(14)',
  atr: 'atr(PERIOD), PERIOD from 1 to 100, e.g. atr(14)',
  supertrend: 'supertrend(PERIOD,MULTIPLIER), e.g. supertrend(10,3)',
  supertrend_trend: 'supertrend_trend(PERIOD,MULTIPLIER) (+1 bullish, -1 bearish), e.g. supertrend_trend(10,3)',
  vwap: 'vwap (no arguments)',
  orb_high: 'orb_high(MINUTES), MINUTES from 1 to 120, e.g. orb_high(15)',
  orb_low: 'orb_low(MINUTES), MINUTES from 1 to 120, e.g. orb_low(15)',
};

const int = (s: string | undefined, min: number, max: number): number | null => {
  if (s === undefined || !/^\d+$/.test(s.trim())) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
};
const num = (s: string | undefined, min: number, max: number): number | null => {
  if (s === undefined || !/^\d+(\.\d+)?$/.test(s.trim())) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
};

/** An operand as written, or the one line that says what is wrong with it. */
export function parseOperand(raw: unknown): { ok: true; operand: Operand } | { ok: false; error: string } {
  if (typeof raw === 'number') return Number.isFinite(raw) ? { ok: true, operand: { kind: 'number', value: raw } } : { ok: false, error: 'not a finite number' };
  if (typeof raw !== 'string') return { ok: false, error: 'must be a price, an indicator such as "ema(9)", or a number' };
  const text = raw.trim().toLowerCase();
  if ((SOURCES as readonly string[]).includes(text)) return { ok: true, operand: { kind: 'price', source: text as Source } };
  const m = /^([a-z_]+)\s*(?:\((.*)\))?$/.exec(text);
  const name = m?.[1] ?? text;
  if (!m || !(INDICATOR_NAMES as readonly string[]).includes(name)) {
    return { ok: false, error: `unknown indicator ${JSON.stringify(m ? name : raw)}; known: ${INDICATOR_NAMES.join(', ')}; prices: ${SOURCES.join(', ')}` };
  }
  const args = m[2] === undefined ? [] : m[2].split(',').map((a) => a.trim());
  const spec = specOf(name as (typeof INDICATOR_NAMES)[number], args);
  return spec ? { ok: true, operand: { kind: 'indicator', spec } } : { ok: false, error: `write ${USAGE[name as (typeof INDICATOR_NAMES)[number]]}` };
}

function specOf(name: (typeof INDICATOR_NAMES)[number], args: string[]): IndicatorSpec | null {
  const source = (s: string | undefined): Source | null | undefined => (s === undefined ? undefined : (SOURCES as readonly string[]).includes(s) ? (s as Source) : null);
  switch (name) {
    case 'sma':
    case 'ema': {
      const period = int(args[0], 1, 500);
      const src = source(args[1]);
      if (period === null || src === null || args.length > 2) return null;
      return { kind: name, period, ...(src ? { source: src } : {}) };
    }
    case 'rsi': {
      const period = int(args[0], 2, 100);
      return period === null || args.length !== 1 ? null : { kind: 'rsi', period };
    }
    case 'atr': {
      const period = int(args[0], 1, 100);
      return period === null || args.length !== 1 ? null : { kind: 'atr', period };
    }
    case 'supertrend':
    case 'supertrend_trend': {
      const period = int(args[0], 2, 100);
      const multiplier = num(args[1], 0.5, 10);
      if (period === null || multiplier === null || args.length !== 2) return null;
      return { kind: 'supertrend', period, multiplier, ...(name === 'supertrend_trend' ? { output: 'trend' as const } : {}) };
    }
    case 'vwap':
      return args.length === 0 ? { kind: 'vwap' } : null;
    case 'orb_high':
    case 'orb_low': {
      const minutes = int(args[0], 1, 120);
      return minutes === null || args.length !== 1 ? null : { kind: 'orb', minutes, output: name === 'orb_high' ? 'high' : 'low' };
    }
  }
}

/** A number that stands beside a price is rupees: as paise (exact to the paisa), or null. */
export const rupeesToPaise = (n: number): number | null => toPaise(n);
