import type { Instrument } from '../market/types.js';
import { closest } from './suggest.js';

/** The instrument list indexed by "EXCHANGE:SYMBOL" and by token. */
export class InstrumentIndex {
  private readonly byKey = new Map<string, Instrument>();
  private readonly tokens = new Map<number, Instrument>();
  private readonly symbols = new Map<string, string[]>();

  constructor(list: Iterable<Instrument>) {
    for (const i of list) {
      this.byKey.set(`${i.exchange}:${i.tradingsymbol}`, i);
      this.tokens.set(i.instrument_token, i);
      let names = this.symbols.get(i.exchange);
      if (!names) this.symbols.set(i.exchange, (names = []));
      names.push(i.tradingsymbol);
    }
  }

  get(exchange: string, tradingsymbol: string): Instrument | undefined {
    return this.byKey.get(`${exchange}:${tradingsymbol}`);
  }

  byToken(token: number): Instrument | undefined {
    return this.tokens.get(token);
  }

  /** The nearest symbol on the exchange by edit distance, for "did you mean". */
  suggest(exchange: string, tradingsymbol: string): string | null {
    return closest(tradingsymbol, this.symbols.get(exchange) ?? []);
  }
}
