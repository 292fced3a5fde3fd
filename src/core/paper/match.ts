import type { Instrument } from '../market/types.js';
import { formatINR } from '../money.js';
import { waitsForOpen } from './amo.js';
import type { Draft } from './draft.js';
import type { Slice } from './depth.js';
import { rejectOrder } from './execute.js';
import type { PricePath } from './fills.js';
import { fillEnv, fillModel, pathLiquidity } from './models.js';
import { fillSlices } from './slices.js';
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

/**
 * The part of a path an order can see: all of it if the order's terms are older than the path's
 * start, else only the closing price (an order placed or modified mid-path must not fill on
 * prices from before it existed).
 */
export function pathFor(order: PaperOrder, path: PricePath): PricePath {
  if (order.updated_at <= path.from) return path;
  const c = path.close;
  return { ...path, from: Math.max(path.from, order.updated_at), open: c, high: c, low: c };
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
 * order from the account (so a retried or concurrent step never fills twice), oldest first, all
 * sharing the path's liquidity (the tick's book, the path's traded-volume share). Fills come from
 * the context's fill model; by default stops trigger when the path reaches them, SL-M then fills
 * as a MARKET order within its protection price (from the tick's LTP, or the trigger on a candle)
 * and rests there, SL becomes an OPEN limit (filling at once what is marketable); limits fill from
 * the book when it reaches them, else only when the market trades through them. What does not
 * fill stays OPEN with the block of its pending part.
 */
export function applyPath(d: Draft, input: PathInput): PathResult {
  const gone: string[] = [];
  const changed: PaperOrder[] = [];
  const inst = input.instrument;
  const fills = fillModel(d.ctx);
  const env = fillEnv(d.ctx, inst.tick_size);
  const liquidity = pathLiquidity(d.ctx, input.path);
  const quote = input.path.quote;
  const band = quote ? { lower: quote.lower_circuit, upper: quote.upper_circuit } : undefined;
  for (const o of ordersFor(d, input, gone)) {
    if (o.updated_at > input.path.to || waitsForOpen(o, d.ctx.config.alwaysOpen)) continue; // an AMO or a pre-open order meets the open first (amo.ts)
    const p = pathFor(o, input.path);
    const at = p.quote ? p.to : p.from;
    const fill = (order: PaperOrder, slices: Slice[], why: string): void => {
      const f = fillSlices(d, order, slices, at, inst);
      changed.push(f.ok ? f.order : rejectOrder(d, order, `${why}: ${f.reason}`, at));
    };
    if (o.status === 'TRIGGER PENDING') {
      const x = fills.triggerOnPath(o, p);
      if (x === null) continue;
      const why = `triggered at ${formatINR(x)}`;
      if (o.order_type === 'SL-M') {
        const opened: PaperOrder = { ...o, status: 'OPEN', price: fills.protection(o, quote ? quote.last_price : x, env, band), updated_at: at };
        fill(opened, fills.stopMarket(opened, x, p, env, liquidity), why);
        continue;
      }
      const opened: PaperOrder = { ...o, status: 'OPEN', updated_at: at };
      fill(opened, fills.stopLimit(opened, x, p, env, liquidity), why);
      continue;
    }
    const slices = fills.limitOnPath(o, p, env, liquidity);
    if (slices.length > 0) fill(o, slices, `limit reached at ${formatINR(slices[0]!.price)}`);
  }
  return { changed, gone };
}
