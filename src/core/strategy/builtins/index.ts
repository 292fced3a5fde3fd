import type { Strategy } from '../types.js';
import { emaCross, smaCross } from './ma-cross.js';
import { orb } from './orb.js';
import { rsiReversion } from './rsi-reversion.js';
import { supertrend } from './supertrend.js';
import { vwapReversion } from './vwap-reversion.js';

/** The built-in strategies, shared by every user, in the order `algo strategy list` shows them. */
export const BUILTINS: readonly Strategy[] = Object.freeze([smaCross, emaCross, rsiReversion, orb, vwapReversion, supertrend]);

export function builtinById(id: string): Strategy | undefined {
  return BUILTINS.find((s) => s.id === id);
}
