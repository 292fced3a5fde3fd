import { IST_OFFSET_MS, isoIst } from '../../core/ist.js';
import { toRupees } from '../../core/money.js';
import { inputError } from '../errors.js';
import type { AuthedContext, Route } from '../router.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Kite's intervals: minutes per candle and the longest range one request may ask for (days). */
const INTERVALS: Record<string, { minutes: number; maxDays: number }> = {
  minute: { minutes: 1, maxDays: 60 },
  '3minute': { minutes: 3, maxDays: 100 },
  '5minute': { minutes: 5, maxDays: 100 },
  '10minute': { minutes: 10, maxDays: 100 },
  '15minute': { minutes: 15, maxDays: 200 },
  '30minute': { minutes: 30, maxDays: 200 },
  '60minute': { minutes: 60, maxDays: 400 },
  day: { minutes: 1440, maxDays: 2000 },
};

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Kite's "YYYY-MM-DD[ HH:MM[:SS]]", read as IST whatever the host's zone. */
export function parseKiteDate(text: string): number | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const t = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(t);
  // Reject what Date.UTC would silently roll over (2026-02-30, 25:00).
  if (year < 1970 || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  return t - IST_OFFSET_MS;
}

function dateParam(ctx: AuthedContext, name: 'from' | 'to'): number {
  const text = ctx.url.searchParams.get(name);
  if (!text) throw inputError(`Missing \`${name}\` date. Use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS.`);
  const t = parseKiteDate(text);
  if (t === null) throw inputError(`Invalid \`${name}\` date. Use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS.`);
  return t;
}

/**
 * GET /instruments/historical/:token/:interval?from&to[&oi=1]: candles `[ts, o, h, l, c, v(, oi)]`.
 * As on Kite, `to` is inclusive (the candle starting at `to` is returned); candles never reach past
 * the last completed minute.
 */
function historical(ctx: AuthedContext) {
  const { market, clock } = ctx.deps;
  const token = Number(ctx.params.token);
  const spec = Number.isSafeInteger(token) ? market.byToken(token) : undefined;
  if (!spec) throw inputError('Invalid instrument token.');
  const interval = INTERVALS[ctx.params.interval!];
  if (!interval) throw inputError(`Invalid interval. Use one of: ${Object.keys(INTERVALS).join(', ')}.`);
  const from = dateParam(ctx, 'from');
  const to = dateParam(ctx, 'to');
  if (from > to) throw inputError('The `from` date is after the `to` date.');
  if (to - from > interval.maxDays * DAY_MS) throw inputError(`Interval exceeds max limit: ${interval.maxDays} days.`);
  const lastMinute = Math.floor(clock.now() / MINUTE_MS) * MINUTE_MS;
  const end = Math.min(to + interval.minutes * MINUTE_MS, lastMinute);
  const withOi = ctx.url.searchParams.get('oi') === '1';
  const candles = market.candles(spec.instrument_token, from, end, interval.minutes).map((c) => {
    const row: Array<string | number> = [isoIst(c.t), toRupees(c.open), toRupees(c.high), toRupees(c.low), toRupees(c.close), c.volume];
    if (withOi) row.push(0);
    return row;
  });
  return { candles };
}

export const historicalRoutes: Route[] = [
  { method: 'GET', path: '/instruments/historical/:token/:interval', auth: true, bucket: 'historical', needs: 'historical', handle: historical },
];
