import { riskOf } from '../core/backtest/risk.js';
import { UsageError } from '../core/errors.js';
import { toPaise } from '../core/money.js';

/**
 * The risk flags' text as the Runner's risk JSON (src/core/backtest/risk.ts), shared by
 * `algo backtest run` and `algo bot create|edit`: the same text gives the same RunnerRisk field,
 * or the same one-line refusal naming the flag.
 */

export type RiskFlag = 'squareOff' | 'noEntriesAfter' | 'maxQty' | 'maxExposure' | 'maxLossDay' | 'cooldown' | 'maxOrdersDay';

/** Each risk flag: its name, the RunnerRisk field, how its text becomes the field's JSON (null: not that kind of value), and a hint. */
const RISK_FLAGS: Readonly<Record<RiskFlag, readonly [string, string, (t: string) => unknown, string]>> = {
  squareOff: ['--square-off', 'squareOff', (t) => t, 'give an IST time before 15:20, e.g. --square-off 15:00'],
  noEntriesAfter: ['--no-entries-after', 'noEntriesAfter', (t) => t, 'give an IST time, e.g. --no-entries-after 14:30'],
  maxQty: ['--max-qty', 'maxQuantity', (t) => wholeOf(t), 'give a whole number of shares, e.g. --max-qty 50'],
  maxExposure: ['--max-exposure', 'maxExposure', (t) => rupeesOf(t), 'give rupees, e.g. --max-exposure 200000'],
  maxLossDay: ['--max-loss-day', 'maxLossDay', lossOf, 'give rupees, and :halt to exit everything and stop, e.g. --max-loss-day 2000 or --max-loss-day 2000:halt'],
  cooldown: ['--cooldown', 'cooldownBars', (t) => wholeOf(t), 'give a whole number of strategy bars, e.g. --cooldown 3'],
  maxOrdersDay: ['--max-orders-day', 'maxOrdersDay', (t) => wholeOf(t), 'give a whole number of entries a day, e.g. --max-orders-day 10'],
};

function wholeOf(t: string): number | null {
  return /^\d+$/.test(t) ? Number(t) : null;
}

function rupeesOf(t: string): number | null {
  return toPaise(t.replace(/^₹/, '').replace(/,/g, ''));
}

function lossOf(t: string): unknown {
  const [amount, action = 'block', extra] = t.split(':');
  if (extra !== undefined || (action !== 'block' && action !== 'halt')) return null;
  const paise = rupeesOf(amount!);
  return paise === null ? null : { amount: paise, action };
}

/** The RunnerRisk field a flag sets, e.g. maxQty -> "maxQuantity". */
export const riskFieldOf = (key: RiskFlag): string => RISK_FLAGS[key][1];

/** One flag's text as its RunnerRisk field and value (checked by riskOf), or one line naming the flag. */
export function riskFlagOf(key: RiskFlag, text: string): { field: string; value: unknown } {
  const [flag, field, parse, hint] = RISK_FLAGS[key];
  const value = parse(text.trim());
  try {
    if (value === null) throw new UsageError('');
    riskOf({ [field]: value });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    throw new UsageError(`${flag} ${JSON.stringify(text)} is not a valid value`, hint);
  }
  return { field, value };
}

/** The given risk flags as the spec's risk JSON, or undefined when none is given. */
export function riskFlagsOf(o: Partial<Record<RiskFlag, string>>): Record<string, unknown> | undefined {
  const risk: Record<string, unknown> = {};
  for (const key of Object.keys(RISK_FLAGS) as RiskFlag[]) {
    const text = o[key];
    if (text === undefined) continue;
    const { field, value } = riskFlagOf(key, text);
    risk[field] = value;
  }
  return Object.keys(risk).length > 0 ? risk : undefined;
}
