import { KiteConnect, type UserMargin } from 'kiteconnect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { loginViaPage, SANDBOX_TEST_TIME, startSandboxWithUser, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/** What kiteconnect rejects with: Kite's error envelope. */
async function failure(p: Promise<unknown>): Promise<{ error_type: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { error_type: string; message: string };
  }
  throw new Error('expected the call to fail');
}

describe('the real kiteconnect client against the sandbox', () => {
  let sb: Awaited<ReturnType<typeof startSandboxWithUser>>;
  beforeAll(async () => {
    sb = await startSandboxWithUser('SB0001');
  });
  afterAll(() => sb.close());

  it('logs in through the page and generateSession, and gets the profile', async () => {
    const profile = await sb.kite.getProfile();
    expect(profile).toMatchObject({ user_id: 'SB0001', user_name: 'Asha Rao', broker: 'ZERODHA' });
  });

  it('reads margins, whole and by segment', async () => {
    const all = await sb.kite.getMargins();
    // kiteconnect's typings give both forms one type; a segment answers with that segment alone.
    const equity = (await sb.kite.getMargins('equity')) as UserMargin;
    const commodity = (await sb.kite.getMargins('commodity')) as UserMargin;
    expect(equity).toEqual(all.equity);
    expect(commodity).toEqual(all.commodity);
    expect(equity.available.cash).toBe(500000);
    expect(equity.net).toBeCloseTo(equity.available.cash - equity.utilised.debits, 6);
  });

  it('reads holdings priced at the market, with pnl and day change per FACTS.md', async () => {
    const holdings = await sb.kite.getHoldings();
    expect(holdings.map((h) => h.tradingsymbol)).toEqual(['INFY', 'RELIANCE', 'TCS', 'ITC']);
    const quote = await sb.kite.getQuote(['NSE:INFY']);
    const infy = holdings[0]!;
    expect(infy.last_price).toBe(quote['NSE:INFY']!.last_price);
    expect(infy.close_price).toBe(quote['NSE:INFY']!.ohlc.close);
    expect(infy.pnl).toBeCloseTo((infy.last_price - infy.average_price) * infy.quantity, 6);
    expect(infy.day_change).toBeCloseTo(infy.last_price - infy.close_price, 6);
  });

  it('reads positions whose value and pnl follow FACTS.md', async () => {
    const { net, day } = await sb.kite.getPositions();
    expect(net.length).toBeGreaterThan(0);
    expect(day).toEqual(net);
    for (const p of net) {
      expect(p.value).toBeCloseTo(p.sell_value - p.buy_value, 6);
      expect(p.pnl).toBeCloseTo(p.value + p.quantity * p.last_price * p.multiplier, 6);
      expect(p.quantity).toBe(p.buy_quantity - p.sell_quantity);
    }
    const infy = net.find((p) => p.tradingsymbol === 'INFY')!;
    expect(infy).toMatchObject({ product: 'MIS', quantity: 0, buy_quantity: 10, sell_quantity: 10 });
  });

  it('reads orders, one order history, and trades that match the completed orders', async () => {
    const orders = await sb.kite.getOrders();
    expect(orders.map((o) => o.status)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'OPEN']);
    const history = await sb.kite.getOrderHistory(orders[0]!.order_id);
    expect(history.map((h) => h.status)).toEqual(['PUT ORDER REQ RECEIVED', 'VALIDATION PENDING', 'OPEN PENDING', 'OPEN', 'COMPLETE']);
    expect(history.every((h) => h.order_id === orders[0]!.order_id)).toBe(true);
    const trades = await sb.kite.getTrades();
    const complete = orders.filter((o) => o.status === 'COMPLETE');
    expect(trades.map((t) => t.order_id)).toEqual(complete.map((o) => o.order_id));
    trades.forEach((t, i) => expect(t.average_price).toBe(complete[i]!.average_price));
    const open = orders.at(-1)!;
    expect(open.pending_quantity).toBe(open.quantity);
  });

  it('quotes, LTP and OHLC agree, keyed as asked, unknown instruments left out', async () => {
    sb.clock.set(Date.parse('2026-01-07T11:11:11+05:30'));
    const keys = ['NSE:INFY', 'NSE:NIFTY 50', 'BSE:SBIN', 'NSE:NOSUCH', '738561'];
    const quote = await sb.kite.getQuote(keys);
    const ltp = await sb.kite.getLTP(keys);
    const ohlc = await sb.kite.getOHLC(keys);
    expect(Object.keys(quote).sort()).toEqual(['738561', 'BSE:SBIN', 'NSE:INFY', 'NSE:NIFTY 50']);
    for (const k of Object.keys(quote)) {
      expect(ltp[k]!.last_price).toBe(quote[k]!.last_price);
      expect(ohlc[k]!.ohlc).toEqual(quote[k]!.ohlc);
    }
    const infy = quote['NSE:INFY']!;
    expect(infy.instrument_token).toBe(408065);
    expect(infy.depth.buy).toHaveLength(5);
    expect(infy.depth.buy[0]!.price).toBeLessThan(infy.last_price);
    expect(infy.depth.sell[0]!.price).toBeGreaterThan(infy.last_price);
    expect(quote['738561']!.instrument_token).toBe(738561);
    expect(sb.handle.market.snapshot(408065, sb.clock.now()).last_price / 100).toBe(infy.last_price);
  });

  it('lists instruments as CSV, all and per exchange', async () => {
    const all = await sb.kite.getInstruments();
    const bse = await sb.kite.getInstruments('BSE');
    // Like Kite's file, the CSV ends with a line break, which the client turns into one empty last row.
    expect(all.at(-1)!.tradingsymbol).toBeUndefined();
    const rows = all.slice(0, -1);
    expect(rows).toHaveLength(sb.handle.market.instruments(sb.clock.now()).length);
    const infy = rows.find((r) => r.tradingsymbol === 'INFY' && r.exchange === 'NSE')!;
    expect(infy).toMatchObject({ instrument_token: '408065', tick_size: 0.1, lot_size: 1, segment: 'NSE' });
    expect(bse.slice(0, -1).every((r) => r.exchange === 'BSE')).toBe(true);
    expect(rows.find((r) => r.tradingsymbol === 'NIFTY 50')).toMatchObject({ segment: 'INDICES', instrument_token: '256265' });
  });

  it('gives historical candles that match the market, none past the last completed minute', async () => {
    sb.clock.set(Date.parse('2026-01-07T09:20:30+05:30'));
    const candles = await sb.kite.getHistoricalData(408065, 'minute', '2026-01-07 09:15:00', '2026-01-07 15:30:00');
    expect(candles).toHaveLength(5); // 09:15 .. 09:19; the 09:20 minute is not over
    const from = Date.parse('2026-01-07T09:15:00+05:30');
    const expected = sb.handle.market.candles(408065, from, from + 5 * 60_000, 1);
    candles.forEach((c, i) => {
      expect(c.date.getTime()).toBe(expected[i]!.t);
      expect([c.open, c.high, c.low, c.close, c.volume]).toEqual([
        expected[i]!.open / 100, expected[i]!.high / 100, expected[i]!.low / 100, expected[i]!.close / 100, expected[i]!.volume,
      ]);
    });
    const days = await sb.kite.getHistoricalData(408065, 'day', '2026-01-01', '2026-01-06');
    expect(days.map((d) => d.date.getTime())).toEqual(
      ['2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06'].map((d) => Date.parse(`${d}T00:00:00+05:30`)),
    );
    const hourly = await sb.kite.getHistoricalData(408065, '60minute', '2026-01-06 09:15:00', '2026-01-06 15:30:00');
    expect(hourly).toHaveLength(7);
  });

  it('refuses bad historical requests with InputException', async () => {
    expect(await failure(sb.kite.getHistoricalData(408065, 'fortnight' as 'day', '2026-01-01', '2026-01-06'))).toMatchObject({ error_type: 'InputException' });
    expect(await failure(sb.kite.getHistoricalData(999999, 'day', '2026-01-01', '2026-01-06'))).toMatchObject({ error_type: 'InputException' });
    expect(await failure(sb.kite.getHistoricalData(408065, 'day', 'yesterday', '2026-01-06'))).toMatchObject({ error_type: 'InputException' });
    expect(await failure(sb.kite.getHistoricalData(408065, 'day', '2026-01-06', '2026-01-01'))).toMatchObject({ error_type: 'InputException' });
    expect(await failure(sb.kite.getHistoricalData(408065, 'minute', '2025-01-01', '2026-01-06'))).toMatchObject({ error_type: 'InputException', message: expect.stringContaining('60 days') });
  });

  it('refuses an unknown order id, an unknown margin segment and an unknown route', async () => {
    expect(await failure(sb.kite.getOrderHistory('123'))).toMatchObject({ error_type: 'InputException' });
    expect(await failure(sb.kite.getMargins('currency' as 'equity'))).toMatchObject({ error_type: 'InputException' });
    const res = await fetch(`${sb.handle.apiRoot}/no/such/route`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ status: 'error', message: 'Route not found', error_type: 'GeneralException' });
  });
});

describe('sessions and tokens through kiteconnect', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(() => sb.close());

  const client = (accessToken?: string) => new KiteConnect({ api_key: SANDBOX_APP.apiKey, root: sb.handle.apiRoot, ...(accessToken ? { access_token: accessToken } : {}) });

  it('refuses a missing or bad access token with TokenException, and fires the session expiry hook', async () => {
    expect(await failure(client().getProfile())).toMatchObject({ error_type: 'TokenException' });
    const bad = client('not-a-token');
    let expired = 0;
    bad.setSessionExpiryHook(() => expired++);
    expect(await failure(bad.getProfile())).toMatchObject({ error_type: 'TokenException' });
    expect(expired).toBe(1);
  });

  it('refuses a bad checksum without using the request token up, then a reused token', async () => {
    const login = await loginViaPage(sb.handle, 'SB0002');
    const kite = client();
    expect(await failure(kite.generateSession(login.requestToken!, 'wrong_secret'))).toMatchObject({ error_type: 'TokenException', message: 'Invalid checksum.' });
    const session = await kite.generateSession(login.requestToken!, SANDBOX_APP.apiSecret);
    expect(session.user_id).toBe('SB0002');
    expect(await failure(client().generateSession(login.requestToken!, SANDBOX_APP.apiSecret))).toMatchObject({ error_type: 'TokenException' });
  });

  it('expires request tokens after five minutes', async () => {
    const login = await loginViaPage(sb.handle, 'SB0003');
    sb.clock.advance(5 * 60_000);
    expect(await failure(client().generateSession(login.requestToken!, SANDBOX_APP.apiSecret))).toMatchObject({ error_type: 'TokenException' });
    sb.clock.set(SANDBOX_TEST_TIME);
  });

  it('expires access tokens at the next 06:00 IST', async () => {
    const login = await loginViaPage(sb.handle, 'SB0003');
    const kite = client();
    await kite.generateSession(login.requestToken!, SANDBOX_APP.apiSecret);
    sb.clock.set(Date.parse('2026-01-08T05:59:59+05:30'));
    expect((await kite.getProfile()).user_id).toBe('SB0003');
    sb.clock.set(Date.parse('2026-01-08T06:00:00+05:30'));
    expect(await failure(kite.getProfile())).toMatchObject({ error_type: 'TokenException' });
    sb.clock.set(SANDBOX_TEST_TIME);
  });

  it('invalidateAccessToken revokes that token only', async () => {
    const a = client();
    const b = client();
    await a.generateSession((await loginViaPage(sb.handle, 'SB0001')).requestToken!, SANDBOX_APP.apiSecret);
    await b.generateSession((await loginViaPage(sb.handle, 'SB0001')).requestToken!, SANDBOX_APP.apiSecret);
    expect(await a.invalidateAccessToken()).toBe(true);
    expect(await failure(a.getProfile())).toMatchObject({ error_type: 'TokenException' });
    expect((await b.getProfile()).user_id).toBe('SB0001');
    expect(await failure(a.invalidateAccessToken())).toMatchObject({ error_type: 'TokenException' });
  });
});

describe('rate limits', () => {
  it('answers 429 past 1 quote a second per user; kiteconnect reports it as NetworkException', async () => {
    const rateClock = new ManualClock(0);
    const sb = await startSandboxWithUser('SB0001', { rateLimits: true, rateLimitClock: rateClock });
    try {
      await sb.kite.getQuote(['NSE:INFY']);
      const err = await failure(sb.kite.getLTP(['NSE:INFY']));
      expect(err.error_type).toBe('NetworkException');
      const raw = await fetch(`${sb.handle.apiRoot}/quote?i=NSE:INFY`, { headers: { Authorization: `token ${SANDBOX_APP.apiKey}:${sb.accessToken}` } });
      expect(raw.status).toBe(429);
      expect(await raw.json()).toEqual({ status: 'error', message: 'Too many requests', error_type: 'NetworkException' });
      // Other routes have their own, larger allowance.
      expect((await sb.kite.getProfile()).user_id).toBe('SB0001');
      rateClock.advance(1000);
      expect(Object.keys(await sb.kite.getOHLC(['NSE:INFY']))).toEqual(['NSE:INFY']);
      // Historical: three a second.
      const hist = () => sb.kite.getHistoricalData(408065, 'minute', '2026-01-07 09:15:00', '2026-01-07 09:16:00');
      await Promise.all([hist(), hist(), hist()]);
      expect(await failure(hist())).toMatchObject({ error_type: 'NetworkException' });
    } finally {
      await sb.close();
    }
  });
});
