import { describe, expect, it } from 'vitest';
import { RateGate, KITE_RATE_LIMITS } from '../../src/core/kite/rate-limit.js';
import { isKiteErrorBody, isTooManyRequests, toAlgoError } from '../../src/core/kite/errors.js';
import { kiteTime, withInstants } from '../../src/core/kite/time.js';
import { AuthError, KiteError } from '../../src/core/errors.js';

/** A fake monotonic timer: sleeping advances it, and every sleep is recorded. */
function fakeTimer() {
  let t = 1_000;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
    advance: (ms: number) => (t += ms),
    slept,
  };
}

describe('rate gate', () => {
  it('lets perSecond requests through at once, then makes the next wait for the window', async () => {
    const f = fakeTimer();
    const gate = new RateGate(3, f.now, f.sleep, 1000);
    await Promise.all([gate.take(), gate.take(), gate.take()]);
    expect(f.slept).toEqual([]);
    await gate.take();
    expect(f.slept).toEqual([1000]);
  });

  it('waits only for what is left of the window', async () => {
    const f = fakeTimer();
    const gate = new RateGate(1, f.now, f.sleep, 1000);
    await gate.take();
    f.advance(400);
    await gate.take();
    expect(f.slept).toEqual([600]);
  });

  it('takes turns in call order', async () => {
    const f = fakeTimer();
    const gate = new RateGate(1, f.now, f.sleep, 1000);
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((i) => gate.take().then(() => order.push(i))));
    expect(order).toEqual([1, 2, 3]);
    expect(f.slept).toEqual([1000, 1000]);
  });

  it("uses Kite's published limits", () => {
    expect(KITE_RATE_LIMITS).toEqual({ quote: 1, historical: 3, other: 10 });
  });
});

describe('error mapping', () => {
  const base = { root: 'https://api.kite.trade', timeoutMs: 7000, now: Date.parse('2026-11-25T10:00:00+05:30') };

  it('TokenException on a session call: exit 3 with profile, time and the login command', () => {
    const e = toAlgoError({ error_type: 'TokenException', message: 'Incorrect `api_key` or `access_token`.' }, { ...base, profile: 'main', expiresAt: Date.parse('2026-11-26T06:00:00+05:30') });
    expect(e).toBeInstanceOf(AuthError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe('session for main expired at 2026-11-25 10:00:00 IST');
    expect(e.hint).toBe('run `algo login --profile main`');
  });

  it('TokenException after the expiry names the expiry time', () => {
    const e = toAlgoError({ error_type: 'TokenException', message: 'x' }, { ...base, profile: 'main', expiresAt: Date.parse('2026-11-25T06:00:00+05:30') });
    expect(e.message).toBe('session for main expired at 2026-11-25 06:00:00 IST');
  });

  it('network failures become KiteError with a hint', () => {
    const refused = toAlgoError({ error_type: 'NetworkException', message: 'No response from server with error code: ECONNREFUSED' }, base);
    expect(refused).toBeInstanceOf(KiteError);
    expect(refused.message).toBe('cannot reach Kite at https://api.kite.trade (ECONNREFUSED)');
    expect(refused.hint).toMatch(/network/);
    const slow = toAlgoError({ error_type: 'NetworkException', message: 'No response from server with error code: ECONNABORTED' }, base);
    expect(slow.message).toBe('Kite at https://api.kite.trade did not answer within 7 s');
  });

  it('other Kite errors keep their type', () => {
    const e = toAlgoError({ error_type: 'InputException', message: 'Invalid segment' }, base);
    expect(e).toBeInstanceOf(KiteError);
    expect((e as KiteError).errorType).toBe('InputException');
    expect(e.message).toBe('Kite: Invalid segment');
    expect(e.exitCode).toBe(1);
  });

  it('recognises error bodies and 429s', () => {
    expect(isKiteErrorBody({ error_type: 'X', message: 'y' })).toBe(true);
    expect(isKiteErrorBody({ data: 1 })).toBe(false);
    expect(isKiteErrorBody(null)).toBe(false);
    expect(isTooManyRequests({ error_type: 'NetworkException', message: 'Too Many Requests' })).toBe(true);
    expect(isTooManyRequests({ error_type: 'NetworkException', message: 'Bad Gateway' })).toBe(false);
  });
});

describe('timestamps', () => {
  it('reads IST strings and host-zone Dates as IST instants', () => {
    const want = Date.parse('2021-05-31T09:18:57+05:30');
    expect(kiteTime('2021-05-31 09:18:57')).toBe(want);
    expect(kiteTime(new Date('2021-05-31 09:18:57'))).toBe(want);
    expect(kiteTime('09:18:57')).toBeNull();
    expect(kiteTime(null)).toBeNull();
    expect(kiteTime(undefined)).toBeNull();
  });

  it('converts only the named fields', () => {
    const row = withInstants<Record<string, unknown>>({ order_timestamp: '2021-05-31 09:18:57', status: 'OPEN', exchange_timestamp: null }, ['order_timestamp', 'exchange_timestamp']);
    expect(row).toEqual({ order_timestamp: Date.parse('2021-05-31T09:18:57+05:30'), status: 'OPEN', exchange_timestamp: null });
  });
});
