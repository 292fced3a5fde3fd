import { KiteError } from '../errors.js';

/** How to get market data back, by where the market comes from. */
export type MarketSource = 'live' | 'sandbox';

/**
 * The app's Kite Connect plan has no market data (/quote answers PermissionException, as on the
 * free Personal plan): paper trading cannot price an order. One line says what is missing and what
 * to do; the exit code is 1.
 */
export class NoMarketDataError extends KiteError {
  constructor(source: MarketSource = 'live') {
    super(
      'PermissionException',
      'this Kite app has no market data (quotes): paper trading needs it',
      source === 'sandbox'
        ? 'the sandbox imitates the personal plan; use ALGO_SANDBOX_PLAN=connect (or algo sandbox --plan connect)'
        : "use the sandbox's market (--sandbox) or a Kite Connect plan with market data",
    );
  }
}

/** The app's plan has no historical data (/instruments/historical answers PermissionException). */
export class NoHistoricalDataError extends KiteError {
  constructor(source: MarketSource = 'live') {
    super(
      'PermissionException',
      'this Kite app has no historical data (minute candles)',
      source === 'sandbox' ? 'the sandbox imitates a plan without it (ALGO_SANDBOX_PLAN)' : 'add historical data to the Kite Connect app, or use --sandbox',
    );
  }
}

export function isPermissionError(err: unknown): boolean {
  return err instanceof KiteError && err.errorType === 'PermissionException';
}
