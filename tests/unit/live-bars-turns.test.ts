import { describe, expect, it } from 'vitest';
import { MinuteBars } from '../../src/core/bot/live-bars.js';
import { parseIst } from '../../src/core/ist.js';
import { createMarket } from '../../src/sandbox/market.js';

/**
 * The sandbox ticker sends, before each frame's current tick, the ticks of the instants since the
 * last frame where the price path turns (Market.turnsBetween). Whatever the frames' timing, minute
 * bars built from those ticks must be the sandbox's historical minute candles.
 */
const market = createMarket();
const DATE = '2026-01-07';
const OPEN = parseIst(`${DATE} 09:15:00`);
const CLOSE = parseIst(`${DATE} 15:30:00`);

/** Ticks a client gets from frames at `frames` (each: the turns since the previous frame, then the frame's instant). */
function barsFromFrames(token: number, frames: readonly number[]) {
  const bars = new MinuteBars();
  const push = (t: number) => {
    const s = market.snapshot(token, t);
    bars.push(token, s.last_price, s.volume, s.timestamp);
  };
  let last = frames[0]! - 1;
  for (const now of frames) {
    for (const t of market.turnsBetween(token, last, now)) push(t);
    push(now);
    last = now;
  }
  return bars.close(CLOSE).map((g) => g.candles[0]!.candle);
}

/** Frame instants from before the open to the close, `stepMs` apart (a fraction of a second is allowed). */
const framesEvery = (stepMs: number): number[] => {
  const out: number[] = [];
  for (let t = OPEN - 2_000; t <= CLOSE + stepMs; t += stepMs) out.push(Math.round(t));
  return out;
};

describe('sandbox ticks at the path turns make the historical minute candles', () => {
  const tokens = market.instruments(OPEN).slice(0, 4).map((i) => i.instrument_token);

  it.each([
    ['a frame a second, late by 7 ms each time', 1_007],
    ['a frame a market minute (ALGO_CLOCK_SPEED=60)', 60_000],
    ['frames 2 min 13.7 s apart', 133_700],
  ])('%s', (_what, step) => {
    for (const token of tokens) {
      const want = market.candles(token, OPEN, CLOSE, 1);
      expect(want).toHaveLength(375);
      expect(barsFromFrames(token, framesEvery(step))).toEqual(want);
    }
  });

  it('gives each minute its open, two knots and close, inside (from, to) only', () => {
    const token = tokens[0]!;
    const turns = market.turnsBetween(token, OPEN + 60_000 - 1, OPEN + 120_000);
    expect(turns).toHaveLength(4);
    expect(turns[0]).toBe(OPEN + 60_000);
    expect(turns[3]).toBe(OPEN + 119_000);
    expect(market.turnsBetween(token, OPEN + 60_000, OPEN + 60_000)).toEqual([]);
    expect(market.turnsBetween(token, CLOSE, CLOSE + 3_600_000)).toEqual([]); // the market stands still after the close
  });
});
