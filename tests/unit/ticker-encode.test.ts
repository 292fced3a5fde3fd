import { describe, expect, it } from 'vitest';
import { encodeFrame, encodePacket, HEARTBEAT, PACKET_LENGTH, type TickerMode } from '../../src/sandbox/ticker/encode.js';
import type { MarketSnapshot } from '../../src/sandbox/types.js';
import { kiteJson, readKiteFixture } from '../helpers/fixtures.js';
import { expectedTick, parseWithKiteTicker, snapshotFromTick } from '../helpers/kite-ticks.js';
import { createTickerTestMarket, TEST_TOKENS } from '../helpers/ticker-market.js';

const realFrame = (mode: TickerMode): Buffer => readKiteFixture(`${mode}Mode_binary.packet`);
const mockPacket = (mode: 'quote' | 'full'): Buffer =>
  Buffer.from(readKiteFixture(`ticker_${mode}.packet`).toString('utf8').trim(), 'base64');
const mockJson = (mode: TickerMode): Record<string, unknown> => kiteJson<Record<string, unknown>>(`ticker_${mode}.json`);

const MODES: TickerMode[] = ['ltp', 'quote', 'full'];

describe('encoder against real Kite frames (token 884737)', () => {
  it.each(MODES)('re-encodes the decoded %s frame byte for byte', (mode) => {
    const frame = realFrame(mode);
    const ticks = parseWithKiteTicker(frame);
    expect(ticks).toHaveLength(1);
    expect(ticks[0]).toMatchObject({ instrument_token: 884737, mode, last_price: 392.95 });
    const packet = encodePacket(snapshotFromTick(ticks[0]!), mode, false);
    expect(encodeFrame([packet])).toEqual(frame);
  });

  it('decodes the real full frame to the values Kite sent', () => {
    const [tick] = parseWithKiteTicker(realFrame('full'));
    expect(tick).toMatchObject({
      volume_traded: 22_261_032,
      average_traded_price: 403.07,
      ohlc: { open: 420, high: 420.9, low: 390.1, close: 414.1 },
      exchange_timestamp: new Date(1_655_378_328_000),
      last_trade_time: new Date(1_655_375_264_000),
    });
    expect((tick!.depth as { buy: unknown[] }).buy[0]).toEqual({ quantity: 5617, price: 392.95, orders: 30 });
  });
});

describe('encoder against the published mock packets (token 408065)', () => {
  const renamed = (json: Record<string, unknown>): Record<string, unknown> => {
    // kiteconnect-mocks use pykiteconnect's names; KiteTicker (JS) names them differently.
    const { last_quantity, average_price, volume, buy_quantity, sell_quantity, timestamp, change, ...rest } = json;
    void change; // the mocks' `change` is not what either client computes from these bytes
    const out: Record<string, unknown> = {
      ...rest,
      last_traded_quantity: last_quantity,
      average_traded_price: average_price,
      volume_traded: volume,
      total_buy_quantity: buy_quantity,
      total_sell_quantity: sell_quantity,
    };
    if (timestamp !== undefined) out.exchange_timestamp = new Date(String(timestamp));
    if (typeof rest.last_trade_time === 'string') out.last_trade_time = new Date(rest.last_trade_time);
    return out;
  };

  it.each(['quote', 'full'] as const)('re-encodes the %s mock packet byte for byte and matches its JSON', (mode) => {
    const packet = mockPacket(mode);
    expect(packet).toHaveLength(PACKET_LENGTH.tradable[mode]);
    const [tick] = parseWithKiteTicker(encodeFrame([packet]));
    expect(tick).toMatchObject(renamed(mockJson(mode)));
    expect(encodePacket(snapshotFromTick(tick!), mode, false)).toEqual(packet);
  });

  it('the ltp mock is the quote packet cut to 8 bytes', () => {
    const [tick] = parseWithKiteTicker(encodeFrame([mockPacket('quote').subarray(0, 8)]));
    expect(tick).toEqual(mockJson('ltp'));
  });
});

describe('encoder output read by KiteTicker', () => {
  const market = createTickerTestMarket();
  const t = Date.parse('2026-11-25T10:00:07+05:30');
  const cases = [
    ...MODES.map((mode) => ({ token: TEST_TOKENS.INFY, mode, isIndex: false })),
    ...MODES.map((mode) => ({ token: TEST_TOKENS.NIFTY, mode, isIndex: true })),
  ];

  it.each(cases)('token $token in $mode mode (index: $isIndex)', ({ token, mode, isIndex }) => {
    const s = market.snapshot(token, t);
    const packet = encodePacket(s, mode, isIndex);
    expect(packet).toHaveLength(PACKET_LENGTH[isIndex ? 'index' : 'tradable'][mode]);
    expect(parseWithKiteTicker(encodeFrame([packet]))).toEqual([expectedTick(s, mode, isIndex)]);
  });

  it('puts several instruments in one frame, in order', () => {
    const a = market.snapshot(TEST_TOKENS.INFY, t);
    const b = market.snapshot(TEST_TOKENS.NIFTY, t);
    const c = market.snapshot(TEST_TOKENS.RELIANCE, t);
    const frame = encodeFrame([encodePacket(a, 'full', false), encodePacket(b, 'quote', true), encodePacket(c, 'ltp', false)]);
    expect(frame.readUInt16BE(0)).toBe(3);
    expect(parseWithKiteTicker(frame)).toEqual([
      expectedTick(a, 'full', false),
      expectedTick(b, 'quote', true),
      expectedTick(c, 'ltp', false),
    ]);
  });

  it('writes an index net change below zero as a signed value', () => {
    const s: MarketSnapshot = { ...market.snapshot(TEST_TOKENS.NIFTY, t), close: 0, net_change: -1_250 };
    const [tick] = parseWithKiteTicker(encodeFrame([encodePacket(s, 'quote', true)]));
    expect(tick!.change).toBe(-1_250);
  });

  it('pads missing depth levels with zeros and ignores levels past five', () => {
    const s = market.snapshot(TEST_TOKENS.INFY, t);
    const sparse: MarketSnapshot = {
      ...s,
      depth: { buy: s.depth.buy.slice(0, 2), sell: [...s.depth.sell, { price: 1, quantity: 1, orders: 1 }] },
    };
    const [tick] = parseWithKiteTicker(encodeFrame([encodePacket(sparse, 'full', false)]));
    expect(tick).toEqual(expectedTick({ ...sparse, depth: { buy: sparse.depth.buy, sell: s.depth.sell } }, 'full', false));
  });

  it('clamps values that do not fit a field instead of throwing', () => {
    const s: MarketSnapshot = { ...market.snapshot(TEST_TOKENS.INFY, t), volume: 2 ** 40, last_quantity: Number.NaN };
    const packet = encodePacket(s, 'quote', false);
    expect(packet.readInt32BE(16)).toBe(0x7fffffff);
    expect(packet.readInt32BE(8)).toBe(0);
  });
});

describe('frames', () => {
  it('an empty frame is just a zero count; the heartbeat is one byte', () => {
    expect(encodeFrame([])).toEqual(Buffer.from([0, 0]));
    expect(HEARTBEAT).toHaveLength(1);
  });
});
