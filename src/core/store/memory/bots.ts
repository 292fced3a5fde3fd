import { checkBotId, checkOrderKey, StaleLeaseError, type BotPatch, type BotStore } from '../../bot/store.js';
import {
  acquired, botsNotEmpty, byMinuteThenKey, byName, checkBotsData, checkEventQuery, checkNewBot, checkRoom, checkEvents, checkHolder, checkLeaseArgs, checkMark, checkNewOrders, checkOrderStatus,
  checkToken, checkUpdateArgs, holds, idOrNameOf, marked, nameTaken, newBotId, newRecord, patched, pendingRow, RELEASED, repeatedKey,
  shownLease, unknownBot, unknownOrder, type NewBot, type OrderMark,
} from '../../bot/store-rules.js';
import type { BotEvent, BotOrderRow, BotRecord, BotsData, Lease, NewBotEvent, NewBotOrder } from '../../bot/types.js';
import { compareText } from '../sqlite/accounts.js';
import { checkUserId } from '../validate.js';

interface UserBots {
  bots: Map<string, BotRecord>;
  orders: Map<string, Map<string, BotOrderRow>>;
  leases: Map<string, Lease>;
  events: BotEvent[];
  seq: number;
}

/** Bots in this process's memory (copies in, copies out). */
export class MemoryBotStore implements BotStore {
  readonly #users = new Map<string, UserBots>();

  constructor(private readonly live: () => void) {}

  #user(userId: string): UserBots {
    const uid = checkUserId(userId);
    this.live();
    let u = this.#users.get(uid);
    if (!u) {
      u = { bots: new Map(), orders: new Map(), leases: new Map(), events: [], seq: 0 };
      this.#users.set(uid, u);
    }
    return u;
  }

  #byName(u: UserBots, name: string): BotRecord | undefined {
    const lower = name.toLowerCase();
    return [...u.bots.values()].find((b) => b.name.toLowerCase() === lower);
  }

  async create(userId: string, bot: NewBot): Promise<BotRecord> {
    const u = this.#user(userId);
    const { max } = checkNewBot(bot);
    checkRoom(userId, u.bots.size, max);
    const rec = newRecord(userId, newBotId((id) => u.bots.has(id)), bot);
    const clash = this.#byName(u, rec.name);
    if (clash) throw nameTaken(rec.name, clash.name);
    u.bots.set(rec.id, rec);
    return structuredClone(rec);
  }

  async list(userId: string): Promise<BotRecord[]> {
    return [...this.#user(userId).bots.values()].sort(byName).map((b) => structuredClone(b));
  }

  async get(userId: string, idOrName: string): Promise<BotRecord | null> {
    const u = this.#user(userId);
    const q = idOrNameOf(idOrName);
    const rec = 'id' in q ? u.bots.get(q.id) : this.#byName(u, q.name);
    return rec ? structuredClone(rec) : null;
  }

  async update(userId: string, botId: string, expectRev: number, patch: BotPatch, now: number): Promise<BotRecord> {
    const u = this.#user(userId);
    checkUpdateArgs(botId, expectRev, patch, now);
    const current = u.bots.get(botId);
    if (!current) throw unknownBot(botId);
    const next = patched(current, expectRev, patch, now);
    const clash = this.#byName(u, next.name);
    if (clash && clash.id !== botId) throw nameTaken(next.name, clash.name);
    u.bots.set(botId, next);
    return structuredClone(next);
  }

  async remove(userId: string, botId: string): Promise<boolean> {
    const u = this.#user(userId);
    checkBotId(botId);
    u.orders.delete(botId);
    u.leases.delete(botId);
    return u.bots.delete(botId);
  }

  async users(): Promise<string[]> {
    this.live();
    return [...this.#users].filter(([, u]) => u.bots.size > 0).map(([uid]) => uid).sort(compareText);
  }

  async acquireLease(userId: string, botId: string, holder: string, now: number, ttlMs: number): Promise<Lease | null> {
    const u = this.#user(userId);
    checkLeaseArgs(botId, holder, now, ttlMs);
    if (!u.bots.has(botId)) return null;
    const next = acquired(u.leases.get(botId) ?? null, botId, holder, now, ttlMs);
    if (next) u.leases.set(botId, next);
    return next && { ...next };
  }

  async renewLease(userId: string, botId: string, holder: string, token: number, now: number, ttlMs: number): Promise<boolean> {
    const u = this.#user(userId);
    checkLeaseArgs(botId, holder, now, ttlMs);
    checkToken(token);
    const current = u.leases.get(botId) ?? null;
    if (!holds(current, holder, token, now)) return false;
    u.leases.set(botId, { ...current!, expires_at: now + ttlMs });
    return true;
  }

  async releaseLease(userId: string, botId: string, holder: string, token: number): Promise<void> {
    const u = this.#user(userId);
    checkBotId(botId);
    checkHolder(holder);
    checkToken(token);
    const current = u.leases.get(botId);
    if (current && current.holder === holder && current.token === token) u.leases.set(botId, { ...current, holder: RELEASED, expires_at: 0 });
  }

  async lease(userId: string, botId: string): Promise<Lease | null> {
    const u = this.#user(userId);
    checkBotId(botId);
    return shownLease(u.leases.get(botId) ?? null);
  }

  async appendEvents(userId: string, events: readonly NewBotEvent[]): Promise<BotEvent[]> {
    const u = this.#user(userId);
    const added = checkEvents(events).map((e) => ({ seq: ++u.seq, ...e }));
    u.events.push(...added);
    return structuredClone(added);
  }

  async events(userId: string, query?: { botId?: string; after?: number; limit?: number }): Promise<BotEvent[]> {
    const u = this.#user(userId);
    const { botId, after, limit } = checkEventQuery(query);
    return structuredClone(u.events.filter((e) => e.seq > after && (botId === null || e.bot_id === botId)).slice(0, limit));
  }

  async putOrders(userId: string, botId: string, token: number, now: number, rows: readonly NewBotOrder[]): Promise<BotOrderRow[]> {
    const u = this.#user(userId);
    const checked = checkNewOrders(botId, token, now, rows);
    if (!holds(u.leases.get(botId) ?? null, null, token, now)) throw new StaleLeaseError(botId, token);
    const outbox = u.orders.get(botId) ?? new Map<string, BotOrderRow>();
    const clash = checked.find((r) => outbox.has(r.key));
    if (clash) throw repeatedKey(botId, clash.key);
    const added = checked.map((r) => pendingRow(botId, r, now));
    for (const row of added) outbox.set(row.key, row);
    u.orders.set(botId, outbox);
    return structuredClone(added);
  }

  async markOrder(userId: string, botId: string, key: string, mark: OrderMark, now: number): Promise<BotOrderRow> {
    const u = this.#user(userId);
    checkMark(botId, key, mark, now);
    const row = u.orders.get(botId)?.get(key);
    if (!row) throw unknownOrder(botId, key);
    const next = marked(row, mark, now);
    u.orders.get(botId)!.set(key, next);
    return structuredClone(next);
  }

  async orders(userId: string, botId: string, query?: { status?: BotOrderRow['status'] }): Promise<BotOrderRow[]> {
    const u = this.#user(userId);
    checkBotId(botId);
    const status = checkOrderStatus(query);
    const rows = [...(u.orders.get(botId)?.values() ?? [])].filter((r) => status === null || r.status === status);
    return structuredClone(rows.sort(byMinuteThenKey));
  }

  async orderByKey(userId: string, botId: string, key: string): Promise<BotOrderRow | null> {
    const u = this.#user(userId);
    checkBotId(botId);
    checkOrderKey(key);
    return structuredClone(u.orders.get(botId)?.get(key) ?? null);
  }

  async importBots(userId: string, data: BotsData): Promise<void> {
    const u = this.#user(userId);
    const { bots, events, orders } = checkBotsData(userId, data);
    if (u.bots.size > 0 || u.events.length > 0 || u.orders.size > 0) throw botsNotEmpty(userId);
    for (const b of bots) u.bots.set(b.id, b);
    for (const r of orders) {
      const outbox = u.orders.get(r.bot_id) ?? new Map<string, BotOrderRow>();
      outbox.set(r.key, r);
      u.orders.set(r.bot_id, outbox);
    }
    u.events.push(...events);
    u.seq = Math.max(u.seq, events.at(-1)?.seq ?? 0);
  }

  clear(): void {
    this.#users.clear();
  }
}
