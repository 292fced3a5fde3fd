import { randomBytes } from 'node:crypto';
import { AlgoError, LimitError, UsageError } from '../errors.js';
import { checkBotId, checkBotName, checkOrderKey, ConflictError, isBotId, type BotPatch } from './store.js';
import type { BotConfig, BotEvent, BotOrderRow, BotRecord, BotsData, Lease, NewBotEvent, NewBotOrder } from './types.js';
import { compareText } from '../store/sqlite/accounts.js';
import { findNonFinite } from '../store/validate.js';

/* The checks and rules every BotStore shares: the memory, SQLite and MongoDB stores import them. */

const DESIRED = ['running', 'paused', 'stopped'] as const;
const STATUSES = ['stopped', 'running', 'paused', 'flattening', 'halted', 'needs_review'] as const;
const ORDER_STATUSES = ['pending', 'placed', 'failed'] as const;
const MAX_TEXT = 2000;

/** A bad value quoted and cut short, as src/core/bot/store.ts shows them. */
const shown = (value: unknown): string => JSON.stringify(String(value)).slice(0, 40);

/** A whole number, `min` or more. */
function checkWhole(what: string, value: unknown, min: number, unit = 'a whole number'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${what} ${shown(value)} is not valid`, `give ${unit}, ${min} or more`);
  }
  return value;
}

/** A time or a duration in whole milliseconds. */
export const checkMs = (what: string, value: unknown, min = 0): number => checkWhole(what, value, min, 'whole milliseconds');

/** A plain object that JSON holds exactly (no NaN or Infinity anywhere). */
function checkJsonObject(what: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${what} must be an object`);
  const bad = findNonFinite(value);
  if (bad !== null) throw new UsageError(`${what} has a number that is not finite at ${bad}`);
  return value as Record<string, unknown>;
}

function checkOneOf<T extends string>(what: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`${what} ${shown(value)} is not valid`, `use one of ${allowed.join(', ')}`);
  return value as T;
}

function checkText(what: string, value: unknown, max = MAX_TEXT): string {
  if (typeof value !== 'string' || value.length > max) throw new UsageError(`${what} must be text of at most ${max} characters`);
  return value;
}

export const checkConfig = (config: unknown): BotConfig => checkJsonObject('bot config', config) as unknown as BotConfig;

export function checkHolder(holder: unknown): string {
  if (typeof holder !== 'string' || holder.length === 0 || holder.length > 200) throw new UsageError(`lease holder ${shown(holder)} is not valid`, 'give 1 to 200 characters naming the runner');
  return holder;
}

export function checkToken(token: unknown): number {
  if (typeof token !== 'number' || !Number.isSafeInteger(token) || token < 1) throw new UsageError(`lease token ${shown(token)} is not valid`, 'give the token acquireLease answered');
  return token;
}

/** A fresh bot id: "b" and 7 lowercase hex digits, retried while `taken` says it is in use. */
export function newBotId(taken: (id: string) => boolean): string {
  for (let i = 0; i < 100; i++) {
    const id = `b${randomBytes(4).toString('hex').slice(0, 7)}`;
    if (!taken(id)) return id;
  }
  throw new AlgoError('could not find a free bot id after 100 tries');
}

export function nameTaken(name: string, existing: string): UsageError {
  return new UsageError(`a bot named "${existing}" already exists, so "${name}" is taken`, 'pick another name, or edit that bot');
}

export function unknownBot(botId: string): UsageError {
  return new UsageError(`there is no bot ${botId}`, 'give a bot id or name from algo bot list');
}

export type NewBot = { name: string; config: BotConfig; now: number; max?: number };

export function checkNewBot(bot: NewBot): NewBot {
  if (bot === null || typeof bot !== 'object') throw new UsageError('a new bot must be an object with name, config and now');
  const max = bot.max === undefined ? {} : { max: checkWhole('the most bots a user may have', bot.max, 1) };
  return { name: checkBotName(bot.name), config: checkConfig(bot.config), now: checkMs('now', bot.now), ...max };
}

/** Refuse a new bot when the user already has `max` (counted inside the store's write). */
export function checkRoom(uid: string, count: number, max: number | undefined): void {
  if (max !== undefined && count >= max) throw new LimitError(`${uid} has ${count} bots, the most a user may have (${max})`, 'remove one first: algo bot rm NAME');
}

/** A new bot's record (the caller checks the name is free and stores it). */
export function newRecord(uid: string, id: string, bot: NewBot): BotRecord {
  const { name, config, now } = checkNewBot(bot);
  return {
    id, user_id: uid, name, config: structuredClone(config), version: 1, rev: 1,
    desired: 'stopped', status: 'stopped', status_reason: null, entries_blocked: false,
    epoch: now, created_at: now, updated_at: now,
  };
}

export function checkPatch(patch: BotPatch): BotPatch {
  if (patch === null || typeof patch !== 'object') throw new UsageError('a bot patch must be an object');
  if (patch.name !== undefined) checkBotName(patch.name);
  if (patch.config !== undefined) checkConfig(patch.config);
  if (patch.desired !== undefined) checkOneOf('desired state', patch.desired, DESIRED);
  if (patch.status !== undefined) checkOneOf('bot status', patch.status, STATUSES);
  if (patch.status_reason !== undefined && patch.status_reason !== null) checkText('status reason', patch.status_reason);
  if (patch.entries_blocked !== undefined && typeof patch.entries_blocked !== 'boolean') throw new UsageError('entries_blocked must be true or false');
  return patch;
}

/**
 * The record after a checked patch: rev + 1 (ConflictError unless `expectRev` is the current
 * rev); a config raises the version and starts a new epoch at `now`.
 */
export function patched(current: BotRecord, expectRev: number, patch: BotPatch, now: number): BotRecord {
  if (current.rev !== expectRev) throw new ConflictError(`bot ${current.name}`);
  const next: BotRecord = { ...structuredClone(current), rev: current.rev + 1, updated_at: now };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.config !== undefined) {
    next.config = structuredClone(patch.config);
    next.version = current.version + 1;
    next.epoch = now;
  }
  if (patch.desired !== undefined) next.desired = patch.desired;
  if (patch.status !== undefined) next.status = patch.status;
  if (patch.status_reason !== undefined) next.status_reason = patch.status_reason;
  if (patch.entries_blocked !== undefined) next.entries_blocked = patch.entries_blocked;
  return next;
}

export function checkUpdateArgs(botId: string, expectRev: number, patch: BotPatch, now: number): void {
  checkBotId(botId);
  checkWhole('expected rev', expectRev, 1);
  checkPatch(patch);
  checkMs('now', now);
}

/** A released lease keeps its row (and token) with no holder. */
export const RELEASED = '';

/**
 * The lease after `holder` asks for it at `now`, or null when someone else holds it unexpired.
 * Live and already the holder's: the same token, extended. Free, released or expired: the next token.
 */
export function acquired(current: Lease | null, botId: string, holder: string, now: number, ttlMs: number): Lease | null {
  const live = current !== null && current.holder !== RELEASED && current.expires_at > now;
  if (live && current.holder !== holder) return null;
  const token = live ? current.token : (current?.token ?? 0) + 1;
  return { bot_id: botId, holder, token, expires_at: now + ttlMs };
}

/** Whether the lease is still `holder`'s with `token` and unexpired at `now`. */
export function holds(current: Lease | null, holder: string | null, token: number, now: number): boolean {
  if (current === null || current.holder === RELEASED || current.token !== token || current.expires_at <= now) return false;
  return holder === null || current.holder === holder;
}

export function checkLeaseArgs(botId: string, holder: string, now: number, ttlMs: number): void {
  checkBotId(botId);
  checkHolder(holder);
  checkMs('now', now);
  checkMs('lease ttl', ttlMs, 1);
}

/** What `lease()` answers for a stored row: a released lease is no lease. */
export const shownLease = (row: Lease | null): Lease | null => (row === null || row.holder === RELEASED ? null : { ...row });

export function checkEvents(events: readonly NewBotEvent[]): NewBotEvent[] {
  if (!Array.isArray(events)) throw new UsageError('bot events must be a list');
  return events.map((e, i) => {
    if (e === null || typeof e !== 'object') throw new UsageError(`bot event ${i} is not an object`);
    checkBotId(e.bot_id);
    checkMs(`bot event ${i}'s time`, e.at);
    if (typeof e.kind !== 'string' || !/^[a-z_]{1,40}$/.test(e.kind)) throw new UsageError(`bot event kind ${shown(e.kind)} is not valid`, 'use 1 to 40 lowercase letters or _');
    checkText(`bot event ${i}'s message`, e.message);
    const out: NewBotEvent = { bot_id: e.bot_id, at: e.at, kind: e.kind, message: e.message };
    if (e.data !== undefined) out.data = structuredClone(checkJsonObject(`bot event ${i}'s data`, e.data));
    return out;
  });
}

export function checkEventQuery(query: { botId?: string; after?: number; limit?: number } | undefined): { botId: string | null; after: number; limit: number } {
  const botId = query?.botId === undefined ? null : checkBotId(query.botId);
  const after = checkWhole('events after seq', query?.after ?? 0, 0);
  const limit = checkWhole('event limit', query?.limit ?? 1000, 0, 'a whole number of events');
  return { botId, after, limit };
}

/** Checked outbox rows: valid keys, none twice among them, a JSON request each. */
export function checkNewOrders(botId: string, token: number, now: number, rows: readonly NewBotOrder[]): NewBotOrder[] {
  checkBotId(botId);
  checkToken(token);
  checkMs('now', now);
  if (!Array.isArray(rows)) throw new UsageError('bot orders must be a list');
  const seen = new Set<string>();
  return rows.map((r) => {
    const key = checkOrderKey(r?.key);
    if (seen.has(key)) throw repeatedKey(botId, key);
    seen.add(key);
    return { key, minute: checkMs(`order ${key}'s minute`, r.minute), request: structuredClone(checkJsonObject(`order ${key}'s request`, r.request)) };
  });
}

export function repeatedKey(botId: string, key: string): AlgoError {
  return new AlgoError(`bot ${botId}: order key ${key} is already in the outbox; nothing was written`, { hint: 'each order of a bot needs its own key' });
}

export function pendingRow(botId: string, r: NewBotOrder, now: number): BotOrderRow {
  return { bot_id: botId, key: r.key, minute: r.minute, status: 'pending', request: r.request, order_id: null, error: null, created_at: now, updated_at: now };
}

export type OrderMark = { status: BotOrderRow['status']; order_id?: string | null; error?: string | null };

export function checkMark(botId: string, key: string, mark: OrderMark, now: number): void {
  checkBotId(botId);
  checkOrderKey(key);
  if (mark === null || typeof mark !== 'object') throw new UsageError('an order mark must be an object');
  checkOneOf('order status', mark.status, ORDER_STATUSES);
  if (mark.order_id !== undefined && mark.order_id !== null) checkText('order id', mark.order_id, 64);
  if (mark.error !== undefined && mark.error !== null) checkText('order error', mark.error);
  checkMs('now', now);
}

/** The row after a mark: a field the mark leaves out keeps its value. */
export function marked(row: BotOrderRow, mark: OrderMark, now: number): BotOrderRow {
  return {
    ...structuredClone(row),
    status: mark.status,
    order_id: mark.order_id === undefined ? row.order_id : mark.order_id,
    error: mark.error === undefined ? row.error : mark.error,
    updated_at: now,
  };
}

export function unknownOrder(botId: string, key: string): UsageError {
  return new UsageError(`bot ${botId} has no order ${key} in its outbox`);
}

export function checkOrderStatus(query: { status?: BotOrderRow['status'] } | undefined): BotOrderRow['status'] | null {
  return query?.status === undefined ? null : checkOneOf('order status', query.status, ORDER_STATUSES);
}

export const byMinuteThenKey = (a: BotOrderRow, b: BotOrderRow): number => a.minute - b.minute || compareText(a.key, b.key);
export const byName = (a: BotRecord, b: BotRecord): number => compareText(a.name.toLowerCase(), b.name.toLowerCase()) || compareText(a.name, b.name);

/** The id to look up: a bot id as it is, else a checked name. */
export function idOrNameOf(idOrName: string): { id: string } | { name: string } {
  return isBotId(idOrName) ? { id: idOrName } : { name: checkBotName(idOrName) };
}

/** A record given to importBots, checked field by field and copied. */
function checkRecord(uid: string, r: BotRecord, i: number): BotRecord {
  if (r === null || typeof r !== 'object') throw new UsageError(`imported bot ${i} is not an object`);
  checkBotId(r.id);
  if (r.user_id !== uid) throw new UsageError(`imported bot ${r.id} belongs to ${shown(r.user_id)}, not ${uid}`);
  checkBotName(r.name);
  checkConfig(r.config);
  checkWhole(`bot ${r.id}'s version`, r.version, 1);
  checkWhole(`bot ${r.id}'s rev`, r.rev, 1);
  checkOneOf('desired state', r.desired, DESIRED);
  checkOneOf('bot status', r.status, STATUSES);
  if (r.status_reason !== null) checkText('status reason', r.status_reason);
  if (typeof r.entries_blocked !== 'boolean') throw new UsageError('entries_blocked must be true or false');
  for (const t of ['epoch', 'created_at', 'updated_at'] as const) checkMs(`bot ${r.id}'s ${t}`, r[t]);
  return structuredClone(r);
}

function checkRow(botIds: ReadonlySet<string>, r: BotOrderRow): BotOrderRow {
  if (r === null || typeof r !== 'object') throw new UsageError('an imported outbox row is not an object');
  checkBotId(r.bot_id);
  const key = checkOrderKey(r.key);
  if (!botIds.has(r.bot_id)) throw new UsageError(`imported outbox row ${key} belongs to bot ${r.bot_id}, which is not imported`);
  checkMs(`order ${key}'s minute`, r.minute);
  checkOneOf('order status', r.status, ORDER_STATUSES);
  checkJsonObject(`order ${key}'s request`, r.request);
  if (r.order_id !== null) checkText('order id', r.order_id, 64);
  if (r.error !== null) checkText('order error', r.error);
  checkMs(`order ${key}'s created_at`, r.created_at);
  checkMs(`order ${key}'s updated_at`, r.updated_at);
  return structuredClone(r);
}

/** What importBots writes, checked: see BotStore.importBots. */
export function checkBotsData(uid: string, data: BotsData): BotsData {
  if (data === null || typeof data !== 'object' || !Array.isArray(data.bots) || !Array.isArray(data.events) || !Array.isArray(data.orders)) {
    throw new UsageError('imported bots must be an object with bots, events and orders lists');
  }
  const bots = data.bots.map((r, i) => checkRecord(uid, r, i));
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const b of bots) {
    if (ids.has(b.id)) throw new UsageError(`bot ${b.id} is imported twice`);
    if (names.has(b.name.toLowerCase())) throw nameTaken(b.name, b.name);
    ids.add(b.id);
    names.add(b.name.toLowerCase());
  }
  let last = 0;
  const plain = checkEvents(data.events);
  const events = data.events.map((e, i): BotEvent => {
    const seq = checkWhole(`bot event ${i}'s seq`, e.seq, last + 1, 'a seq above the one before');
    last = seq;
    return { seq, ...plain[i]! };
  });
  const keys = new Set<string>();
  const orders = data.orders.map((r) => {
    const row = checkRow(ids, r);
    if (keys.has(`${row.bot_id}:${row.key}`)) throw repeatedKey(row.bot_id, row.key);
    keys.add(`${row.bot_id}:${row.key}`);
    return row;
  });
  return { bots, events, orders };
}

/** importBots into a user who already has bots, events or outbox rows. */
export function botsNotEmpty(uid: string): AlgoError {
  return new AlgoError(`the destination already has bots, bot events or bot orders for ${uid}; nothing was written`, { hint: 'run algo migrate again: it compares them first' });
}
