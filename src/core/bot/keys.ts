import { UsageError } from '../errors.js';
import { checkBotId } from './store.js';

/**
 * A bot order's deterministic key (bots.md 6): the bot id (8), the decision's minute number
 * (ms / 60000) in base 36 padded to 6, and the sequence within that minute in base 36 padded to 2.
 * 16 lowercase alphanumerics (Kite's tag allows 20); within one bot, string order is (minute, seq) order.
 */
const MINUTE = 60_000;
const MINUTE_DIGITS = 6;
const SEQ_DIGITS = 2;
const MAX_MINUTE = 36 ** MINUTE_DIGITS - 1;
const MAX_SEQ = 36 ** SEQ_DIGITS - 1;
const KEY_RE = /^(b[0-9a-f]{7})([0-9a-z]{6})([0-9a-z]{2})$/;

export interface OrderKeyParts {
  botId: string;
  /** The minute's start, ms. */
  minute: number;
  seq: number;
}

/** The key of the `seq`-th order (0 up) a bot decided in the minute starting at `minuteMs`. */
export function orderKey(botId: string, minuteMs: number, seq: number): string {
  checkBotId(botId);
  const m = Math.floor(minuteMs / MINUTE);
  if (!Number.isSafeInteger(m) || m < 0 || m > MAX_MINUTE) throw new RangeError(`minute ${minuteMs} is outside the order key's range`);
  if (!Number.isSafeInteger(seq) || seq < 0 || seq > MAX_SEQ) throw new RangeError(`order sequence ${seq} is outside 0-${MAX_SEQ}`);
  return botId + m.toString(36).padStart(MINUTE_DIGITS, '0') + seq.toString(36).padStart(SEQ_DIGITS, '0');
}

export function parseOrderKey(key: string): OrderKeyParts {
  const m = KEY_RE.exec(key);
  if (!m) throw new UsageError(`order key ${JSON.stringify(key).slice(0, 30)} is not a bot order key`, 'a key is the bot id, 6 and 2 base-36 digits (16 characters)');
  return { botId: m[1]!, minute: parseInt(m[2]!, 36) * MINUTE, seq: parseInt(m[3]!, 36) };
}
