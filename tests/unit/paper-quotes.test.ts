import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { QuoteSource } from '../../src/core/paper/quotes.js';
import { instrument, MemoryMarket, MON_10, quote } from '../helpers/paper.js';

/**
 * The dashboard feeds the engine quotes from the ticker's quote mode, which carries no circuit
 * limits. An order must never be checked without its band: such quotes keep the day's known band,
 * and an order being placed fetches a full quote when none is known.
 */
describe('QuoteSource: the circuit band is never lost', () => {
  const infy = instrument('INFY');
  const setup = () => {
    const clock = new ManualClock(MON_10);
    const market = new MemoryMarket([infy]);
    market.setQuote(quote(infy, 1500_00, clock.now())); // circuits 1,200 to 1,800
    const source = new QuoteSource(market, clock, 60_000);
    source.live = true;
    return { clock, market, source };
  };

  it('a streamed quote without a band keeps the band of the day\'s last quote that had one', async () => {
    const { clock, source } = setup();
    source.remember(quote(infy, 1500_00, clock.now()));
    clock.advance(1000);
    source.remember(quote(infy, 1510_00, clock.now(), { lower_circuit: 0, upper_circuit: 0 }));
    const q = (await source.get([infy], true)).get(infy.instrument_token)!;
    expect(q).toMatchObject({ last_price: 1510_00, lower_circuit: 1200_00, upper_circuit: 1800_00 });
  });

  it('an order read (strict) with no band known fetches a full quote instead', async () => {
    const { clock, market, source } = setup();
    source.remember(quote(infy, 1505_00, clock.now(), { lower_circuit: 0, upper_circuit: 0 }));
    const calls = market.quoteCalls;
    expect((await source.get([infy], false)).get(infy.instrument_token)).toMatchObject({ last_price: 1505_00, upper_circuit: 0 });
    expect(market.quoteCalls).toBe(calls);
    expect((await source.get([infy], true)).get(infy.instrument_token)).toMatchObject({ last_price: 1500_00, upper_circuit: 1800_00 });
    expect(market.quoteCalls).toBe(calls + 1);
  });

  it('the band of another day is not carried over', async () => {
    const { clock, source } = setup();
    source.remember(quote(infy, 1500_00, clock.now()));
    clock.advance(86_400_000);
    source.remember(quote(infy, 1520_00, clock.now(), { lower_circuit: 0, upper_circuit: 0 }));
    expect((await source.get([infy], false)).get(infy.instrument_token)).toMatchObject({ upper_circuit: 0 });
  });
});
