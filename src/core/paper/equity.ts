import { istDate } from '../ist.js';
import type { Paise } from '../money.js';
import type { Draft } from './draft.js';
import { unrealisedOf } from './positions.js';
import type { PaperMeta, PaperPosition } from './types.js';

/** Unrealised P&L of the positions at the given prices (a position without a price counts 0). */
export function unrealisedTotal(positions: Iterable<PaperPosition>, priceOf: (token: number) => Paise | undefined): Paise {
  let sum = 0;
  for (const p of positions) {
    const ltp = priceOf(p.instrument_token);
    if (ltp !== undefined && p.quantity !== 0) sum += unrealisedOf(p, ltp);
  }
  return sum;
}

/** equity = capital + realised - charges + unrealised */
export function equityOf(meta: PaperMeta, unrealised: Paise): Paise {
  return meta.capital + meta.realised_pnl - meta.charges + unrealised;
}

/** Record the day's equity point (one per IST day; a later mark the same day replaces it). */
export function markDay(d: Draft, at: number, priceOf: (token: number) => Paise | undefined): void {
  const point = { t: at, equity: equityOf(d.meta, unrealisedTotal(d.positions.values(), priceOf)) };
  const points = d.meta.daily_equity;
  const last = points[points.length - 1];
  if (last && istDate(last.t) === istDate(at)) points[points.length - 1] = point;
  else points.push(point);
  d.touch();
}
