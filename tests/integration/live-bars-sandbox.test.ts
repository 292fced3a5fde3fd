import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MinuteBars, type MinuteGroup } from '../../src/core/bot/live-bars.js';
import { ScaledClock } from '../../src/core/clock.js';
import { KiteStream } from '../../src/core/market/kite-stream.js';
import { parseIst } from '../../src/core/ist.js';
import type { Candle, Quote } from '../../src/core/market/types.js';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { KiteTickerClient } from '../helpers/kite-ticker-client.js';
import type { KiteTick } from '../helpers/kite-ticks.js';
import { loggedInKite, sandboxGet, startSandboxWithUser, tempDataDir } from '../helpers/sandbox.js';
import { waitUntil } from '../helpers/ticker-server.js';
import { startSandbox } from '../../src/sandbox/server.js';
import fs from 'node:fs';

/**
 * Live minute bars built from the sandbox's ticker (the real KiteTicker client, full mode, so each
 * tick carries its exchange timestamp) against the sandbox's historical minute candles of the same
 * minutes. The sandbox's clock is a ManualClock: a `mode` message makes the ticker send the current
 * tick at once, so the test decides exactly which instants are streamed.
 */
const INFY = 408065;
const RELIANCE = 738561;
const DATE = '2026-01-07';
const at = (hms: string): number => parseIst(`${DATE} ${hms}`);
const FROM = at('09:15:00');
const MINUTES = 5;
const END = FROM + MINUTES * 60_000;

let sb: Awaited<ReturnType<typeof startSandboxWithUser>>;
let client: KiteTickerClient | undefined;

beforeAll(async () => {
  sb = await startSandboxWithUser('SB0001', { at: FROM });
});
afterEach(async () => {
  await client?.close();
  client = undefined;
});
afterAll(async () => {
  await sb?.close();
});

/**
 * The ticks the sandbox's ticker sends for INFY at each instant, through the Kite protocol. Only
 * the ticks stamped at those instants count: the ticker's own once-a-second frame, when it comes
 * between two instants, also carries the path the clock jumped over, which is not what was asked.
 */
async function streamAt(instants: readonly number[]): Promise<KiteTick[]> {
  client = await KiteTickerClient.open({ root: sb.handle.tickerUrl, api_key: SANDBOX_APP.apiKey, access_token: sb.accessToken });
  client.subscribe([INFY]);
  const stamps = new Set<number>();
  for (const t of instants) {
    sb.clock.set(t);
    client.setMode('full', [INFY]);
    const stamp = Math.floor(t / 1000) * 1000;
    stamps.add(stamp);
    await client.nextFrame((f) => f.some((k) => (k.exchange_timestamp as Date | null)?.getTime() === stamp), `the tick of ${new Date(t).toISOString()}`);
  }
  return client.ticks.filter((k) => k.mode === 'full' && stamps.has((k.exchange_timestamp as Date).getTime()));
}

/** What a paper bot builds from those ticks, released at END. */
function liveBars(ticks: readonly KiteTick[]): Candle[] {
  const bars = new MinuteBars();
  for (const k of ticks) bars.push(k.instrument_token, Math.round(k.last_price * 100), k.volume_traded as number, (k.exchange_timestamp as Date).getTime());
  return bars.close(END).map((g: MinuteGroup) => g.candles[0]!.candle);
}

/** The sandbox's historical minute candles of [FROM, END), through its REST route. */
async function historical(handle = sb.handle, accessToken = sb.accessToken): Promise<Candle[]> {
  if (handle === sb.handle) sb.clock.set(END); // candles never reach past the last completed minute
  const q = `from=${DATE}+09:15:00&to=${DATE}+09:${String(15 + MINUTES - 1)}:00`;
  const res = await sandboxGet(handle, `/instruments/historical/${INFY}/minute?${q}`, accessToken);
  const rows = (res.body as { data: { candles: Array<[string, number, number, number, number, number]> } }).data.candles;
  return rows.map(([iso, o, h, l, c, v]) => ({ t: parseIst(iso.slice(0, 19).replace('T', ' ')), open: Math.round(o * 100), high: Math.round(h * 100), low: Math.round(l * 100), close: Math.round(c * 100), volume: v }));
}

const seconds = (stepMs: number, offsetMs = 0): number[] => Array.from({ length: Math.ceil((END - FROM - offsetMs) / stepMs) }, (_, i) => FROM + offsetMs + i * stepMs);

describe('live minute bars from the sandbox ticker', () => {
  it('equal the historical candles when every second of the minutes is streamed', async () => {
    const want = await historical();
    expect(want).toHaveLength(MINUTES);
    const got = liveBars(await streamAt(seconds(1000)));
    expect(got).toEqual(want);
  });

  it('miss the candle path when one tick a market minute is streamed (a frame a second at ALGO_CLOCK_SPEED=60)', async () => {
    const want = await historical();
    const got = liveBars(await streamAt(seconds(60_000, 30_000)));
    expect(got.map((c) => c.t)).toEqual(want.map((c) => c.t));
    expect(got.every((c) => c.open === c.close && c.high === c.low)).toBe(true); // one price a minute
    const same = got.filter((c, i) => c.high === want[i]!.high && c.low === want[i]!.low).length;
    expect(same).toBe(0);
  });
});

describe('live minute bars from the sandbox ticker on an accelerated clock', () => {
  it('equal the historical candles at ALGO_CLOCK_SPEED=60 through the app\'s stream: each frame carries the path since the last one', async () => {
    const clock = new ScaledClock(at('09:14:00'), 60); // a market minute per real second, the ticker's frame interval
    const dataDir = tempDataDir();
    const handle = await startSandbox({ port: 0, dataDir, clock, rateLimits: false });
    const quotes: Quote[] = [];
    let stream: KiteStream | undefined;
    try {
      const { accessToken } = await loggedInKite(handle);
      // full mode, as KiteMarketData.stream asks: its ticks carry the exchange timestamp
      stream = new KiteStream({ root: handle.tickerUrl, apiKey: SANDBOX_APP.apiKey, accessToken, clock, mode: 'full' }, { quote: (q) => quotes.push(q), state: () => undefined });
      stream.setInstruments(new Map([[INFY, 'NSE:INFY']]));
      stream.start();
      await waitUntil(() => quotes.length > 0, 'a first quote', 20_000);
      expect(quotes[0]!.timestamp).toBeLessThan(FROM); // streaming before the first minute, so every one of them is streamed
      await waitUntil(() => quotes.some((q) => q.timestamp >= END), 'a quote after the fifth minute', 20_000);
      const bars = new MinuteBars();
      for (const q of quotes) bars.pushQuote(q);
      const got = bars.close(END).map((g) => g.candles[0]!.candle);
      expect(quotes.length).toBeGreaterThan(4 * MINUTES); // the ticker sent one tick a frame before
      expect(got).toEqual(await historical(handle, accessToken));
    } finally {
      stream?.stop();
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('keeps one tick a frame for a quote-mode subscription, whose ticks carry no time to place the path in', async () => {
    const clock = new ScaledClock(at('09:15:00'), 60);
    const dataDir = tempDataDir();
    const handle = await startSandbox({ port: 0, dataDir, clock, rateLimits: false });
    try {
      const { accessToken } = await loggedInKite(handle);
      client = await KiteTickerClient.open({ root: handle.tickerUrl, api_key: SANDBOX_APP.apiKey, access_token: accessToken });
      client.subscribe([INFY, RELIANCE]);
      client.setMode('full', [INFY]);
      const count = (f: KiteTick[], token: number) => f.filter((k) => k.instrument_token === token).length;
      const timed = () => client!.frames.filter((f) => count(f, INFY) > 0 && count(f, RELIANCE) > 0); // the ticker's frames, not the answers to subscribe and mode
      await waitUntil(() => timed().length >= 3, 'three frames of the ticker', 20_000);
      const frames = timed();
      expect(frames.every((f) => count(f, RELIANCE) === 1)).toBe(true);
      expect(frames.some((f) => count(f, INFY) > 1)).toBe(true);
    } finally {
      await client?.close();
      client = undefined;
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
