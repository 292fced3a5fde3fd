import type { Quote } from '../market/types.js';
import type { Paise } from '../money.js';
import { StaleLeaseError } from '../bot/store.js';
import type { Ctx } from './draft.js';
import { placeStep, type PriceInput, type Step } from './steps.js';
import type { AccountState, OrderRequest, PaperOrder } from './types.js';

/** Who places a bot's order: the bot, its lease's fencing token, and the order's key (src/core/bot/keys.ts). */
export interface Fence {
  botId: string;
  token: number;
  key: string;
}

/** The order as stored, or: this key (or a later one) was already placed for the bot, nothing changed. */
export type FencedResult = { duplicate: false; order: PaperOrder } | { duplicate: true };

/**
 * Place a bot's order inside the account's own update, fenced and deduplicated there (so it holds
 * on every store, atomically): a token below the one the account last saw for the bot is refused
 * (StaleLeaseError, nothing written); a key not above the bot's last placed key is a duplicate
 * (nothing written); else the engine's placeStep with tag = the bot id and bot_key = the key, and
 * the account remembers { token, key } for the bot.
 */
export function fencedPlaceStep(state: AccountState, ctx: Ctx, req: OrderRequest, input: PriceInput, fence: Fence): Step<FencedResult> {
  const seen = state.meta?.bots?.[fence.botId];
  if (seen && seen.token > fence.token) throw new StaleLeaseError(fence.botId, fence.token);
  if (seen && seen.key >= fence.key) return { change: null, result: { duplicate: true } };
  const placed = placeStep(state, ctx, { ...req, tag: fence.botId }, input);
  const order: PaperOrder = { ...placed.result, bot_key: fence.key };
  const change = placed.change ?? (state.meta ? { meta: state.meta } : null);
  if (!change) throw new Error('the place step changed nothing on an account without a meta');
  const bots = { ...change.meta.bots, [fence.botId]: { token: fence.token, key: fence.key } };
  const orders = (change.orders ?? []).map((o) => (o.order_id === order.order_id ? { ...o, bot_key: fence.key } : o));
  if (!orders.some((o) => o.order_id === order.order_id)) orders.push(order);
  return { change: { ...change, meta: { ...change.meta, bots }, orders }, result: { duplicate: false, order } };
}

/**
 * The quote a bot's mirrored order is priced by: `price` as the last price and the whole bar, no
 * book (as the Runner's quote), the market's circuit band when a real quote gives one.
 */
export function fillQuote(item: Pick<Quote, 'instrument_token' | 'exchange' | 'tradingsymbol'>, price: Paise, now: number, real: Quote | null): Quote {
  const { instrument_token, exchange, tradingsymbol } = item;
  const [lower_circuit, upper_circuit] = real ? [real.lower_circuit, real.upper_circuit] : [0, 0];
  return { instrument_token, exchange, tradingsymbol, last_price: price, bid: null, ask: null, open: price, high: price, low: price, close: price, volume: 0, lower_circuit, upper_circuit, timestamp: now };
}
