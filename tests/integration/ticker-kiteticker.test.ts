import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createMarket } from '../../src/sandbox/market.js';
import { kiteJson } from '../helpers/fixtures.js';
import { KiteTickerClient } from '../helpers/kite-ticker-client.js';
import { expectedTick, type KiteTick, type Mode } from '../helpers/kite-ticks.js';
import { TEST_TOKENS } from '../helpers/ticker-market.js';
import {
  startTickerServer,
  TICKER_ACCESS_TOKEN,
  TICKER_API_KEY,
  TICKER_USER,
  type TickerServer,
  waitUntil,
} from '../helpers/ticker-server.js';

const { INFY, RELIANCE, NIFTY, BROKEN } = TEST_TOKENS;

let sb: TickerServer;
let client: KiteTickerClient | undefined;

const open = async (access_token = TICKER_ACCESS_TOKEN): Promise<KiteTickerClient> => {
  client = await KiteTickerClient.open({ root: sb.root, api_key: TICKER_API_KEY, access_token });
  return client;
};

const tokensOf = (frame: KiteTick[]): number[] => frame.map((t) => t.instrument_token);
const expected = (token: number, mode: Mode): KiteTick =>
  expectedTick(sb.market.snapshot(token, sb.clock.now()), mode, sb.market.byToken(token)!.isIndex);

beforeAll(async () => {
  sb = await startTickerServer({ tickIntervalMs: 50, heartbeatIntervalMs: 100 });
});
afterEach(async () => {
  await client?.close();
  client = undefined;
});
afterAll(async () => {
  await sb.close();
});

describe('the real KiteTicker against the sandbox ticker', () => {
  it('connects, and a new subscription ticks in quote mode with the market at the clock instant', async () => {
    const c = await open();
    expect(c.connected).toBe(true);
    c.subscribe([INFY]);
    const frame = await c.nextFrame((f) => tokensOf(f).includes(INFY), 'an INFY tick');
    expect(frame).toEqual([expected(INFY, 'quote')]);
  });

  it.each(['ltp', 'quote', 'full'] as const)('setMode %s: every field matches market.snapshot', async (mode) => {
    const c = await open();
    c.subscribe([INFY, RELIANCE]);
    c.setMode(mode, [INFY, RELIANCE]);
    const frame = await c.nextFrame((f) => f.length === 2 && f.every((t) => t.mode === mode), `two ${mode} ticks`);
    expect(frame).toEqual([expected(INFY, mode), expected(RELIANCE, mode)]);
    if (mode === 'full') {
      const depth = frame[0]!.depth as { buy: { price: number }[]; sell: { price: number }[] };
      expect(depth.buy).toHaveLength(5);
      expect(depth.sell).toHaveLength(5);
      expect(depth.buy[0]!.price).toBeLessThan(depth.sell[0]!.price);
    }
  });

  it('follows the clock: a new instant gives the snapshot of that instant', async () => {
    const c = await open();
    c.subscribe([INFY]);
    c.setMode('full', [INFY]);
    const before = await c.nextFrame((f) => f[0]?.mode === 'full', 'a full tick');
    sb.clock.advance(7_000);
    const after = await c.nextFrame(
      (f) => (f[0]?.exchange_timestamp as Date).getTime() !== (before[0]!.exchange_timestamp as Date).getTime(),
      'a tick at the new instant',
    );
    expect(after).toEqual([expected(INFY, 'full')]);
    expect(after[0]!.last_price).not.toBe(before[0]!.last_price);
  });

  it('an index (segment 9) ticks as index packets in every mode', async () => {
    const c = await open();
    c.subscribe([NIFTY]);
    for (const mode of ['ltp', 'quote', 'full'] as const) {
      c.setMode(mode, [NIFTY]);
      const [tick] = await c.nextFrame((f) => f[0]?.mode === mode, `an index ${mode} tick`);
      expect(tick).toEqual(expected(NIFTY, mode));
      expect(tick!.tradable).toBe(false);
    }
  });

  it('mixes modes per instrument in one frame', async () => {
    const c = await open();
    c.subscribe([INFY, NIFTY, RELIANCE]);
    c.setMode('full', [INFY]);
    c.setMode('ltp', [RELIANCE]);
    const frame = await c.nextFrame(
      (f) => f.length === 3 && f[0]!.mode === 'full' && f[2]!.mode === 'ltp',
      'a frame of full, quote and ltp ticks',
    );
    expect(frame).toEqual([expected(INFY, 'full'), expected(NIFTY, 'quote'), expected(RELIANCE, 'ltp')]);
  });

  it('unsubscribe stops that instrument; unsubscribing all leaves only heartbeats', async () => {
    const c = await open();
    c.subscribe([INFY, RELIANCE]);
    await c.nextFrame((f) => f.length === 2, 'ticks of both');
    c.unsubscribe([INFY]);
    await c.nextFrame((f) => !tokensOf(f).includes(INFY), 'a frame without INFY');
    const later = await c.collectFrames(3);
    expect(later.map(tokensOf)).toEqual([[RELIANCE], [RELIANCE], [RELIANCE]]);

    c.unsubscribe([RELIANCE]);
    const beats = c.heartbeats;
    // Heartbeats only go out after a heartbeat interval without frames, and arrive in order with them.
    await waitUntil(() => c.heartbeats >= beats + 2, 'heartbeats once nothing is subscribed');
    const framesNow = c.frames.length;
    await waitUntil(() => c.heartbeats >= beats + 4, 'two more heartbeats');
    expect(c.frames.length).toBe(framesNow);
  });

  it('ignores unknown tokens, bad tokens and a snapshot that throws; the connection lives on', async () => {
    const c = await open();
    c.subscribe([123, 'abc', -5, 1.5, BROKEN]);
    c.setMode('turbo' as Mode, [INFY]);
    c.subscribe([INFY]);
    const frame = await c.nextFrame((f) => f.length > 0, 'a tick');
    expect(frame).toEqual([expected(INFY, 'quote')]);
    const later = await c.collectFrames(2);
    expect(later.map(tokensOf)).toEqual([[INFY], [INFY]]);
    expect(c.connected).toBe(true);
  });

  it('delivers order updates to the connections of that user only', async () => {
    const c = await open();
    const postback = kiteJson('postback.json');
    expect(sb.ticker.broadcastOrderUpdate('SOMEONE', { order_id: 'x' })).toBe(0);
    expect(sb.ticker.broadcastOrderUpdate(TICKER_USER, postback)).toBe(1);
    await waitUntil(() => c.orderUpdates.length > 0, 'an order update');
    expect(c.orderUpdates).toEqual([postback]);
  });

  it('a bad access token fails the handshake: error, close, never connected, no ticks', async () => {
    const c = await open('not-a-token');
    expect(c.events).not.toContain('connect');
    expect(c.events).toContain('close');
    expect((c.errors[0] as { message?: string }).message).toMatch(/403/);
    expect(c.connected).toBe(false);
    expect(c.frames).toEqual([]);
  });
});

describe('the real KiteTicker against the sandbox ticker on the real sandbox market', () => {
  let real: TickerServer;
  beforeAll(async () => {
    // A Wednesday at 11:00 IST, in the session.
    const clock = new ManualClock(Date.parse('2026-11-25T11:00:00+05:30'));
    real = await startTickerServer({ market: createMarket({ seed: 7 }), clock });
  });
  afterAll(async () => {
    await real.close();
  });

  it('streams INFY (full) and NIFTY 50 (full) exactly as market.snapshot says', async () => {
    const infy = real.market.bySymbol('NSE', 'INFY')!;
    const nifty = real.market.bySymbol('NSE', 'NIFTY 50')!;
    expect(nifty.isIndex).toBe(true);
    client = await KiteTickerClient.open({ root: real.root, api_key: TICKER_API_KEY, access_token: TICKER_ACCESS_TOKEN });
    client.subscribe([infy.instrument_token, nifty.instrument_token]);
    client.setMode('full', [infy.instrument_token, nifty.instrument_token]);
    const frame = await client.nextFrame((f) => f.length === 2 && f.every((t) => t.mode === 'full'), 'two full ticks');
    const t = real.clock.now();
    expect(frame).toEqual([
      expectedTick(real.market.snapshot(infy.instrument_token, t), 'full', false),
      expectedTick(real.market.snapshot(nifty.instrument_token, t), 'full', true),
    ]);
    expect((frame[0]!.depth as { buy: { quantity: number }[] }).buy.every((l) => l.quantity > 0)).toBe(true);
  });
});
