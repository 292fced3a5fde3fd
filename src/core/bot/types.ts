import type { Paise } from '../money.js';
import type { StrategyRef } from '../backtest/types.js';
import type { ExitPlan } from '../strategy/types.js';

/**
 * A bot (issue 14, ../shared/bots.md): a strategy with parameters, symbols and risk limits,
 * trading on its owner's paper account through the backtest's Runner. These are the stored
 * shapes; src/core/bot/store.ts keeps them per user.
 */

/** What a bot trades and how: the backtest spec's fields without the date range and the account. */
export interface BotConfig {
  strategy: StrategyRef;
  /** Raw parameters, parsed by the strategy's schema when the bot starts. */
  params: Record<string, unknown>;
  /** "NSE:INFY", one strategy instance per symbol. */
  symbols: string[];
  sizing: { quantity: number } | { capital: Paise };
  product: 'MIS' | 'CNC';
  exits: ExitPlan;
  /** IST "HH:MM", from inclusive, until exclusive (default 09:20-15:00). */
  entryWindow: { from: string; until: string };
  /** The Runner's risk limits (src/core/backtest/risk.ts), as JSON. */
  risk: Record<string, unknown>;
}

/** What the user asked for. */
export type BotDesired = 'running' | 'paused' | 'stopped';
/** What the bot is doing. */
export type BotStatus = 'stopped' | 'running' | 'paused' | 'flattening' | 'halted' | 'needs_review';

export interface BotRecord {
  /** "b" and 7 lowercase hex digits. */
  id: string;
  user_id: string;
  /** 1-40 of [A-Za-z0-9_-], unique per user whatever the case. */
  name: string;
  config: BotConfig;
  /** The config's version: 1, then +1 per edit. */
  version: number;
  /** The row's revision: +1 on every update (compare-and-set). */
  rev: number;
  desired: BotDesired;
  status: BotStatus;
  status_reason: string | null;
  entries_blocked: boolean;
  /** When the current config version began (ms). */
  epoch: number;
  created_at: number;
  updated_at: number;
}

/** Something a bot did or refused: the user's log of it. */
export interface BotEvent {
  /** Per user, strictly increasing, never reused (not even after a bot is removed). */
  seq: number;
  bot_id: string;
  at: number;
  /** e.g. "started", "order", "fill", "blocked", "halted", "needs_review". */
  kind: string;
  message: string;
  data?: Record<string, unknown>;
}

export type NewBotEvent = Omit<BotEvent, 'seq'>;

/** The outbox: an order a bot decided, written before it is sent. */
export interface BotOrderRow {
  bot_id: string;
  /** At most 20 of [A-Za-z0-9], unique per bot (Kite's tag limit). */
  key: string;
  /** The minute (ms) whose decision made it. */
  minute: number;
  status: 'pending' | 'placed' | 'failed';
  request: Record<string, unknown>;
  order_id: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export type NewBotOrder = Pick<BotOrderRow, 'key' | 'minute' | 'request'>;

/** One runner per bot: the holder, and a fencing token that only ever goes up. */
export interface Lease {
  bot_id: string;
  holder: string;
  /** +1 each time the lease changes hands or is taken after it expired; never decreases. */
  token: number;
  expires_at: number;
}

/**
 * All a user's bots hold, as one store hands them to another (`algo migrate`): the records as
 * they are, every event (seq ascending, a removed bot's too), every outbox row. Never a lease.
 */
export interface BotsData {
  /** By name, as list() gives them. */
  bots: BotRecord[];
  events: BotEvent[];
  /** Bot by bot (as `bots` lists them), each by minute, then key. */
  orders: BotOrderRow[];
}
