import { DEFAULTS, type Settings } from '../config.js';
import { toPaise, type Paise } from '../money.js';

/** How the paper engine behaves; produced from the settings (their defaults are in core/config.ts DEFAULTS). */
export interface PaperConfig {
  /** Starting virtual capital of a new account, paise. */
  capital: Paise;
  /** Slippage applied to market fills, basis points against the trader. */
  slippageBps: number;
  /** MIS margin as a percentage of the order value. */
  misMarginPct: number;
  /** A quote older than this is refused rather than filled. */
  staleQuoteSeconds: number;
  /** Kite's market_protection for MARKET and SL-M orders: -1 automatic (Zerodha's table by LTP), else a percentage from the LTP. */
  marketProtectionPct: number;
  /** At most this share (percent) of a candle's (or a tick's) traded volume fills resting orders without a visible book. */
  volumeSharePct: number;
  /** The market data trades around the clock (sandbox): MARKET orders are accepted at any hour. */
  alwaysOpen: boolean;
}

/** The engine's settings from algo's settings (capital is rupees there, paise here). */
export function paperConfigOf(settings: Pick<Settings, 'capital' | 'slippageBps' | 'misMarginPct' | 'staleQuoteSeconds' | 'alwaysOpen'> & Partial<Pick<Settings, 'marketProtectionPct' | 'volumeSharePct'>>, sandbox: boolean): PaperConfig {
  return {
    capital: toPaise(settings.capital) ?? Math.round(settings.capital * 100),
    slippageBps: settings.slippageBps,
    misMarginPct: settings.misMarginPct,
    staleQuoteSeconds: settings.staleQuoteSeconds,
    marketProtectionPct: settings.marketProtectionPct ?? DEFAULTS.paper.marketProtectionPct,
    volumeSharePct: settings.volumeSharePct ?? DEFAULTS.paper.volumeSharePct,
    alwaysOpen: sandbox && settings.alwaysOpen,
  };
}

/** The engine with every setting at its default (what `new PaperService` uses for what it is not given). */
export const DEFAULT_PAPER_CONFIG: PaperConfig = paperConfigOf({ ...DEFAULTS.paper, alwaysOpen: DEFAULTS.alwaysOpen }, false);
