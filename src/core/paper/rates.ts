import type { Paise } from '../money.js';
import { pct, ZERO_RATE, type Rate } from './exact.js';

/** The charges of one kind of trade (delivery, intraday, futures, options). */
export interface SegmentRates {
  /** Brokerage per executed order: `rate` of turnover, capped at `cap` paise (null: no cap); or a flat fee. */
  brokerage: { rate: Rate; cap: Paise | null } | { flat: Paise };
  stt: { buy: Rate; sell: Rate };
  /** Exchange transaction charge by exchange. */
  exchange: Partial<Record<string, Rate>>;
  stampBuy: Rate;
}

/** Zerodha's schedule: one table, dated, applied to every paper fill. */
export interface ChargeSchedule {
  /** When these rates were checked against the source. */
  asOf: string;
  source: string;
  delivery: SegmentRates;
  intraday: SegmentRates;
  futures: SegmentRates;
  options: SegmentRates;
  /** SEBI turnover fee: ₹10 per crore = 10 / 1,00,00,000 of turnover. */
  sebi: Rate;
  gst: Rate;
  /** Which charges GST is levied on. */
  gstOn: { brokerage: boolean; exchange: boolean; sebi: boolean };
  /** DP charge per scrip per day with a delivery sell, paise before GST (GST is added). */
  dp: Paise;
  /** Auto square-off charge per order squared off by the broker, paise before GST (GST is added). */
  autoSquareOff: Paise;
}

export const ZERODHA_RATES: ChargeSchedule = {
  asOf: '2025-04-01',
  source: 'kite/FACTS.md "Charges (Zerodha, equity)"; DP and auto square-off: "What a Zerodha contract note adds" (late 2026)',
  delivery: {
    brokerage: { rate: ZERO_RATE, cap: null },
    stt: { buy: pct('0.1'), sell: pct('0.1') },
    exchange: { NSE: pct('0.00307'), BSE: pct('0.00375') },
    stampBuy: pct('0.015'),
  },
  intraday: {
    brokerage: { rate: pct('0.03'), cap: 2000 },
    stt: { buy: ZERO_RATE, sell: pct('0.025') },
    exchange: { NSE: pct('0.00307'), BSE: pct('0.00375') },
    stampBuy: pct('0.003'),
  },
  futures: {
    brokerage: { rate: pct('0.03'), cap: 2000 },
    stt: { buy: ZERO_RATE, sell: pct('0.05') },
    exchange: { NFO: pct('0.00183') },
    stampBuy: pct('0.002'),
  },
  options: {
    brokerage: { flat: 2000 },
    stt: { buy: ZERO_RATE, sell: pct('0.15') },
    exchange: { NFO: pct('0.03553') },
    stampBuy: pct('0.003'),
  },
  sebi: { num: 10n, den: 10_000_000n },
  gst: pct('18'),
  gstOn: { brokerage: true, exchange: true, sebi: true },
  dp: 13_00, // ₹13 + 18% GST = ₹15.34
  autoSquareOff: 50_00, // ₹50 + 18% GST = ₹59
};
