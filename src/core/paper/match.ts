import type { Instrument } from '../market/types.js';
import { formatINR } from '../money.js';
import type { Draft } from './draft.js';
import { fillOrder, rejectOrder } from './execute.js';
import { betterOf, isMarketable, limitFillOnPath, marketFillPrice, marketPrice, pathFor, triggerOnPath, withSlippage, type PricePath } from './fills.js';
import type { PaperOrder } from './types.js';

export interface PathInput {
  instrument: Instrument;
  path: PricePath;
  /** The order ids the book says may be touched; null: every open order of the instrument. */
  candidates: readonly string[] | null;
}

export interface PathResult {
  /** Orders whose state changed (filled, triggered, rejected at fill). */
  changed: PaperOrder[];
  /** Candidate ids that were no longer open in the account (filled or cancelled elsewhere). */
  gone: string[];
}

function ordersFor(d: Draft, input: PathInput, gone: string[]): PaperOrder[] {
  const token = input.instrument.instrument_token;
  let list: PaperOrder[];
  if (input.candidates) {
    list = [];
    for (const id of input.candidates) {
      const o = d.open.get(id);
      if (o && o.instrument_token === token) list.push(o);
      else gone.push(id);
    }
  } else {
    list = [...d.open.values()].filter((o) => o.instrument_token === token);
  }
  return list.sort((a, b) => a.placed_at - b.placed_at || (a.order_id < b.order_id ? -1 : 1));
}

/**
 * Match the account's resting orders of one instrument against a price path, re-reading each
 * order from the account (so a retried or concurrent step never fills twice). Stops trigger when
 * the path crosses them; SL-M then fills as a market order, SL becomes an OPEN limit (filling at
 * once if marketable); limits fill at their price, or better when the path opened through them.
 */
export function applyPath(d: Draft, input: PathInput): PathResult {
  const gone: string[] = [];
  const changed: PaperOrder[] = [];
  const { slippageBps } = d.ctx.config;
  const inst = input.instrument;
  for (const o of ordersFor(d, input, gone)) {
    if (o.updated_at > input.path.to) continue;
    const p = pathFor(o, input.path);
    const at = p.quote ? p.to : p.from;
    const side = o.transaction_type;
    const fill = (order: PaperOrder, price: number, why: string): void => {
      const f = fillOrder(d, order, price, at, inst.instrument_type);
      changed.push(f.ok ? f.order : rejectOrder(d, order, `${why}: ${f.reason}`, at));
    };
    if (o.status === 'TRIGGER PENDING') {
      const x = triggerOnPath(o.trigger_price, side, p);
      if (x === null) continue;
      const market = p.quote ? marketFillPrice(p.quote, side, slippageBps, inst.tick_size) : withSlippage(x, side, slippageBps, inst.tick_size);
      const why = `triggered at ${formatINR(x)}`;
      if (o.order_type === 'SL-M') {
        fill(o, market, why);
        continue;
      }
      const opened: PaperOrder = { ...o, status: 'OPEN', updated_at: at };
      d.putOrder(opened);
      if (isMarketable(o.price, side, p.quote ? marketPrice(p.quote, side) : x)) fill(opened, betterOf(o.price, side, market), why);
      else changed.push(opened);
      continue;
    }
    const price = limitFillOnPath(o.price, side, p);
    if (price !== null) fill(o, price, `limit reached at ${formatINR(price)}`);
  }
  return { changed, gone };
}
