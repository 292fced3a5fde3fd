import { AlgoError, UsageError } from '../errors.js';
import type { BotConfig, BotDesired, BotEvent, BotOrderRow, BotRecord, BotsData, BotStatus, Lease, NewBotEvent, NewBotOrder } from './types.js';

/**
 * Where bots live, beside the paper accounts in the same store (SQLite tables, MongoDB
 * collections per user, or maps in memory): the bots, their events, their outbox of orders, and
 * the lease that lets exactly one process run a bot. Every method takes the user id and nothing
 * crosses users (another user's bot is null / false). One contract suite
 * (tests/contract/bot-store-contract.ts) for every implementation.
 */
export interface BotStore {
  /**
   * A name already taken by the user (whatever the case) is refused with UsageError naming it.
   * With `max`, a user who already has that many bots is refused with LimitError, counted inside
   * the same write as the insert, so that racing creates never leave more than `max`.
   */
  create(userId: string, bot: { name: string; config: BotConfig; now: number; max?: number }): Promise<BotRecord>;
  /** The user's bots by name (ignoring case). */
  list(userId: string): Promise<BotRecord[]>;
  /** By id, or by name whatever the case; another user's bot is null. */
  get(userId: string, idOrName: string): Promise<BotRecord | null>;
  /**
   * Change a bot if its rev is still `expectRev` (else ConflictError); rev + 1. A config patch
   * raises the version by one and sets the epoch to `now`. An unknown bot is UsageError.
   */
  update(userId: string, botId: string, expectRev: number, patch: BotPatch, now: number): Promise<BotRecord>;
  /** Remove a bot with its outbox and lease (its events stay); false when there was none. */
  remove(userId: string, botId: string): Promise<boolean>;
  /** Users with at least one bot, sorted. */
  users(): Promise<string[]>;

  /**
   * Take the lease when it is free, expired (expires_at <= now), or already this holder's and live
   * (then renewed, same token); else null (also for an unknown bot). Taking a free or expired lease
   * gives the previous token + 1 (the first is 1), even for the same holder.
   */
  acquireLease(userId: string, botId: string, holder: string, now: number, ttlMs: number): Promise<Lease | null>;
  /** Extend the holder's lease if it still holds it with that token, unexpired at `now`; false otherwise. */
  renewLease(userId: string, botId: string, holder: string, token: number, now: number, ttlMs: number): Promise<boolean>;
  /** Give it up (nothing when it is no longer the holder's with that token); the token is kept for the next taker. */
  releaseLease(userId: string, botId: string, holder: string, token: number): Promise<void>;
  /** The lease as stored (maybe expired); null when there was none or it was released. */
  lease(userId: string, botId: string): Promise<Lease | null>;

  /** Append events; each gets the user's next seq. */
  appendEvents(userId: string, events: readonly NewBotEvent[]): Promise<BotEvent[]>;
  /** Ascending seq, after `after` (exclusive), at most `limit` (default 1000). */
  events(userId: string, query?: { botId?: string; after?: number; limit?: number }): Promise<BotEvent[]>;

  /**
   * Write orders to the outbox as pending, all or none, only while `token` is the bot's current
   * lease token and the lease is unexpired at `now` (else StaleLeaseError); a key already in the
   * bot's outbox is refused (AlgoError) and nothing is written.
   */
  putOrders(userId: string, botId: string, token: number, now: number, rows: readonly NewBotOrder[]): Promise<BotOrderRow[]>;
  /** Set an outbox row's status (order_id and error: left out keeps them, null clears them); an unknown key is UsageError. */
  markOrder(userId: string, botId: string, key: string, mark: { status: BotOrderRow['status']; order_id?: string | null; error?: string | null }, now: number): Promise<BotOrderRow>;
  /** By minute, then key. */
  orders(userId: string, botId: string, query?: { status?: BotOrderRow['status'] }): Promise<BotOrderRow[]>;
  orderByKey(userId: string, botId: string, key: string): Promise<BotOrderRow | null>;

  /**
   * Write all of a user's bots as another store exported them (`algo migrate`): the records as
   * they are (ids, names, configs, version, rev, desired, status), the events with their seqs (the
   * user's next seq goes on after the highest), the outbox rows as they are, and no lease. All or
   * nothing, and only into a user with no bots, events or outbox rows (else AlgoError, nothing
   * written); a record of another user, a repeated id, name, seq or key, or an outbox row of a bot
   * not among the records is refused (UsageError).
   */
  importBots(userId: string, data: BotsData): Promise<void>;
}

export interface BotPatch {
  name?: string;
  config?: BotConfig;
  desired?: BotDesired;
  status?: BotStatus;
  status_reason?: string | null;
  entries_blocked?: boolean;
}

/** Someone else changed the bot since it was read: read it again and retry. */
export class ConflictError extends AlgoError {
  override readonly name = 'ConflictError';
  constructor(what: string) {
    super(`${what} changed meanwhile; try again`);
  }
}

/** A runner whose lease was taken over (or expired) tried to act for the bot. */
export class StaleLeaseError extends AlgoError {
  override readonly name = 'StaleLeaseError';
  constructor(botId: string, token: number) {
    super(`bot ${botId}: lease token ${token} is no longer current; another runner has the bot`);
  }
}

const BOT_ID_RE = /^b[0-9a-f]{7}$/;
const NAME_RE = /^[A-Za-z0-9_-]{1,40}$/;
const KEY_RE = /^[A-Za-z0-9]{1,20}$/;

export const isBotId = (s: string): boolean => BOT_ID_RE.test(s);

export function checkBotId(id: unknown): string {
  if (typeof id !== 'string' || !BOT_ID_RE.test(id)) throw new UsageError(`bot id ${JSON.stringify(String(id)).slice(0, 40)} is not valid`, 'give a bot id or name from algo bot list');
  return id;
}

export function checkBotName(name: unknown): string {
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    throw new UsageError(`bot name ${JSON.stringify(String(name)).slice(0, 50)} is not valid`, 'use 1 to 40 letters, digits, - or _');
  }
  if (BOT_ID_RE.test(name)) throw new UsageError(`bot name "${name}" looks like a bot id`, 'pick a name that is not "b" and 7 hex digits');
  return name;
}

export function checkOrderKey(key: unknown): string {
  if (typeof key !== 'string' || !KEY_RE.test(key)) throw new UsageError(`order key ${JSON.stringify(String(key)).slice(0, 30)} is not valid (at most 20 letters and digits)`);
  return key;
}
