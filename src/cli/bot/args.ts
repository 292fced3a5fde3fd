import type { BotInput } from '../../app/bot-config.js';
import { UsageError } from '../../core/errors.js';
import { strategyRefOf, type RunOptions } from '../backtest/args.js';

/** The options of `algo bot ...` as commander gives them: the backtest's, and the bot's own. */
export interface BotOptions extends Omit<RunOptions, 'from' | 'to'> {
  entryWindow?: string;
  squareOff?: string;
  maxLossDay?: string;
  maxOrdersDay?: string;
  maxOrdersSecond?: string;
  staleAfter?: string;
  name?: string;
  after?: string;
  limit?: string;
  follow?: boolean;
  date?: string;
  yes?: boolean;
}

const INPUT_KEYS = ['qty', 'capital', 'product', 'sl', 'target', 'trail', 'entryWindow', 'squareOff', 'maxQty', 'maxExposure', 'maxLossDay', 'cooldown', 'maxOrdersDay', 'maxOrdersSecond', 'staleAfter', 'name'] as const;

/** The flags as the desk's input (reading a --rules file is the CLI's part); only the given ones. */
export function inputOf(o: BotOptions): BotInput & { name?: string } {
  const input: BotInput & { name?: string } = {};
  if (o.strategy !== undefined || o.rules !== undefined) {
    const ref = strategyRefOf(o);
    if (ref.kind === 'rules') input.rules = { text: ref.text, name: ref.name };
    else input.strategy = ref.id;
  }
  if (o.param !== undefined) input.paramWords = o.param;
  if (o.symbol !== undefined) input.symbols = o.symbol;
  for (const k of INPUT_KEYS) if (o[k] !== undefined) input[k] = o[k];
  // commander names --no-entries-after <hh:mm> entriesAfter (true when not given).
  if (typeof o.entriesAfter === 'string') input.noEntriesAfter = o.entriesAfter;
  return input;
}

/** A whole number flag (--after, --limit), or undefined when not given. */
export function countOf(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${flag} ${JSON.stringify(text)} is not a whole number`, flag === '--after' ? 'give the SEQ of an event from algo bot logs, e.g. --after 12' : 'give a whole number from 1 to 1000, e.g. --limit 50');
  return Number(text);
}
