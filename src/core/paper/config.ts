import type { Settings } from '../config.js';
import { toPaise, type Paise } from '../money.js';

/** How the paper engine behaves; defaults match design.md. */
export interface PaperConfig {
  /** Starting virtual capital of a new account, paise. */
  capital: Paise;
  /** Slippage applied to market fills, basis points against the trader. */
  slippageBps: number;
  /** MIS margin as a percentage of the order value. */
  misMarginPct: number;
  /** A quote older than this is refused rather than filled. */
  staleQuoteSeconds: number;
  /** The market data trades around the clock (sandbox): MARKET orders are accepted at any hour. */
  alwaysOpen: boolean;
}

export const DEFAULT_PAPER_CONFIG: PaperConfig = {
  capital: 1_00_000_00,
  slippageBps: 0,
  misMarginPct: 20,
  staleQuoteSeconds: 60,
  alwaysOpen: false,
};

/** The engine's settings from algo's settings (capital is rupees there, paise here). */
export function paperConfigOf(settings: Settings, sandbox: boolean): PaperConfig {
  return {
    capital: toPaise(settings.capital) ?? Math.round(settings.capital * 100),
    slippageBps: settings.slippageBps,
    misMarginPct: settings.misMarginPct,
    staleQuoteSeconds: settings.staleQuoteSeconds,
    alwaysOpen: sandbox && settings.alwaysOpen,
  };
}
