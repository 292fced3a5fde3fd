import { riskOf } from '../backtest/risk.js';
import type { BacktestSpec, FillSettings } from '../backtest/types.js';
import type { PaperConfig } from '../paper/config.js';
import type { BotConfig } from './types.js';
import { warmFromOf } from './warmup.js';

/**
 * The capital of a bot's private book (₹1 crore): large enough that the book never refuses an
 * order for funds; the owner's paper account, where the orders are mirrored, checks the funds.
 */
export const BOT_BOOK_CAPITAL = 1_00_00_000_00;

/**
 * An MIS bot without a square-off time is out at 15:10 IST (bots.md): the account's own engine
 * refuses MIS orders and squares MIS off from 15:20, so the book's 15:20 square-off could not be
 * mirrored.
 */
export const MIS_SQUARE_OFF = '15:10';

/**
 * The backtest spec of a bot's day: the Runner a paper bot steps is the Runner a backtest of the
 * same minutes runs (and `algo bot parity` compares them through this one function). A bot is
 * always warmed (the host warms its session with the warm-up days' minutes), so warmFrom is its
 * first warm-up day and the feed starts there (run.ts feedFrom); a feed without those days runs cold.
 * A CNC bot that holds a position overnight goes on in the session it began on an earlier day
 * (`start`): its spec runs from that day's warm-up through `date`, as a backtest of those days would.
 */
export function botSpec(config: BotConfig, date: string, fills: FillSettings, start: string = date): BacktestSpec {
  return {
    strategy: config.strategy,
    params: config.params,
    symbols: [...config.symbols],
    from: start,
    to: date,
    warmFrom: warmFromOf(config, start),
    sizing: config.sizing,
    product: config.product,
    exits: config.exits,
    capital: BOT_BOOK_CAPITAL,
    fills,
    entryWindow: config.entryWindow,
    risk: riskOf(config.product === 'MIS' && config.risk.squareOff === undefined ? { ...config.risk, squareOff: MIS_SQUARE_OFF } : config.risk),
  };
}

/** The fill settings of the owner's paper account, for its bots' private books. */
export function fillsOf(config: Pick<PaperConfig, 'slippageBps' | 'marketProtectionPct' | 'volumeSharePct'>): FillSettings {
  return { slippageBps: config.slippageBps, marketProtectionPct: config.marketProtectionPct, volumeSharePct: config.volumeSharePct };
}
