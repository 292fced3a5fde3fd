import type BetterSqlite3 from 'better-sqlite3';
import { AlgoError } from '../../errors.js';
import { checkBotId, checkOrderKey, StaleLeaseError, type BotPatch, type BotStore } from '../../bot/store.js';
import type { BotEvent, BotOrderRow, BotRecord, BotsData, Lease, NewBotEvent, NewBotOrder } from '../../bot/types.js';
import {
  acquired, botsNotEmpty, byName, checkBotsData, checkEventQuery, checkNewBot, checkRoom, checkEvents, checkHolder, checkLeaseArgs, checkMark, checkNewOrders, checkOrderStatus, checkToken,
  checkUpdateArgs, holds, idOrNameOf, marked, nameTaken, newBotId, newRecord, patched, pendingRow, RELEASED, repeatedKey, shownLease,
  unknownBot, unknownOrder, type NewBot, type OrderMark,
} from '../../bot/store-rules.js';
import { checkUserId } from '../validate.js';
import type { SqliteAccess } from './backtests.js';
import { sqliteCode } from './busy.js';

const SQL = {
  botById: 'SELECT doc FROM bots WHERE user_id = ? AND bot_id = ?',
  botByName: 'SELECT doc FROM bots WHERE user_id = ? AND name = ?',
  nameOwner: 'SELECT name FROM bots WHERE user_id = ? AND name = ? AND bot_id <> ?',
  bots: 'SELECT doc FROM bots WHERE user_id = ?',
  countBots: 'SELECT COUNT(*) FROM bots WHERE user_id = ?',
  anyOfUser: `SELECT EXISTS (SELECT 1 FROM bots WHERE user_id = ?) OR EXISTS (SELECT 1 FROM bot_events WHERE user_id = ?)
    OR EXISTS (SELECT 1 FROM bot_orders WHERE user_id = ?)`,
  addBot: 'INSERT INTO bots (user_id, bot_id, name, doc) VALUES (?, ?, ?, ?)',
  putBot: 'UPDATE bots SET name = ?, doc = ? WHERE user_id = ? AND bot_id = ?',
  dropBot: 'DELETE FROM bots WHERE user_id = ? AND bot_id = ?',
  dropOrders: 'DELETE FROM bot_orders WHERE user_id = ? AND bot_id = ?',
  dropLease: 'DELETE FROM bot_leases WHERE user_id = ? AND bot_id = ?',
  users: 'SELECT DISTINCT user_id FROM bots ORDER BY user_id',
  lease: 'SELECT bot_id, holder, token, expires_at FROM bot_leases WHERE user_id = ? AND bot_id = ?',
  putLease: `INSERT INTO bot_leases (user_id, bot_id, holder, token, expires_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (user_id, bot_id) DO UPDATE SET holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at`,
  seq: 'SELECT seq FROM bot_event_seq WHERE user_id = ?',
  putSeq: 'INSERT INTO bot_event_seq (user_id, seq) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET seq = excluded.seq',
  addEvent: 'INSERT INTO bot_events (user_id, seq, bot_id, doc) VALUES (?, ?, ?, ?)',
  events: 'SELECT doc FROM bot_events WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  eventsOfBot: 'SELECT doc FROM bot_events WHERE user_id = ? AND bot_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  addOrder: 'INSERT INTO bot_orders (user_id, bot_id, key, minute, status, doc) VALUES (?, ?, ?, ?, ?, ?)',
  putOrder: 'UPDATE bot_orders SET status = ?, doc = ? WHERE user_id = ? AND bot_id = ? AND key = ?',
  order: 'SELECT doc FROM bot_orders WHERE user_id = ? AND bot_id = ? AND key = ?',
  orders: 'SELECT doc FROM bot_orders WHERE user_id = ? AND bot_id = ? ORDER BY minute, key',
  ordersWithStatus: 'SELECT doc FROM bot_orders WHERE user_id = ? AND bot_id = ? AND status = ? ORDER BY minute, key',
} as const;

type Name = keyof typeof SQL;

/** Bots, their events, outbox and leases in the SQLite store's own file (migration 5); every change is atomic, inside an IMMEDIATE transaction that may hold the same turn's other writes (group.ts). */
export class SqliteBotStore implements BotStore {
  #db: BetterSqlite3.Database | null = null;
  readonly #stmts = new Map<Name, BetterSqlite3.Statement>();

  constructor(private readonly a: SqliteAccess) {}

  /** A prepared statement of this connection (prepared once). */
  #s(name: Name): BetterSqlite3.Statement {
    const db = this.a.db();
    if (db !== this.#db) {
      this.#stmts.clear();
      this.#db = db;
    }
    let stmt = this.#stmts.get(name);
    if (!stmt) {
      stmt = db.prepare(SQL[name]);
      if (stmt.reader && name !== 'lease') stmt.pluck();
      this.#stmts.set(name, stmt);
    }
    return stmt;
  }

  #json<T>(text: unknown, what: string): T {
    try {
      const v: unknown = typeof text === 'string' ? JSON.parse(text) : null;
      if (v !== null && typeof v === 'object') return v as T;
    } catch {
      // named below
    }
    throw new AlgoError(`the paper store ${this.a.file} has a damaged ${what} row`, { hint: 'restore the file from a backup (or delete the row); `algo doctor` checks the store' });
  }

  #bot(uid: string, botId: string): BotRecord | null {
    const text = this.#s('botById').get(uid, botId);
    return text === undefined ? null : this.#json<BotRecord>(text, 'bot');
  }

  #lease(uid: string, botId: string): Lease | null {
    return (this.#s('lease').get(uid, botId) as Lease | undefined) ?? null;
  }

  #putLease(uid: string, l: Lease): void {
    this.#s('putLease').run(uid, l.bot_id, l.holder, l.token, l.expires_at);
  }

  async create(userId: string, bot: NewBot): Promise<BotRecord> {
    const uid = checkUserId(userId);
    const { max } = checkNewBot(bot); // before the write lock is taken
    return this.a.write(() => {
      checkRoom(uid, this.#s('countBots').get(uid) as number, max); // statements pluck their one column
      const rec = newRecord(uid, newBotId((id) => this.#bot(uid, id) !== null), bot);
      const clash = this.#s('nameOwner').get(uid, rec.name, rec.id) as string | undefined;
      if (clash !== undefined) throw nameTaken(rec.name, clash);
      this.#s('addBot').run(uid, rec.id, rec.name, JSON.stringify(rec));
      return rec;
    });
  }

  async list(userId: string): Promise<BotRecord[]> {
    const uid = checkUserId(userId);
    return this.a.read(() => (this.#s('bots').all(uid) as unknown[]).map((t) => this.#json<BotRecord>(t, 'bot')).sort(byName));
  }

  async get(userId: string, idOrName: string): Promise<BotRecord | null> {
    const uid = checkUserId(userId);
    const q = idOrNameOf(idOrName);
    return this.a.read(() => {
      if ('id' in q) return this.#bot(uid, q.id);
      const text = this.#s('botByName').get(uid, q.name);
      return text === undefined ? null : this.#json<BotRecord>(text, 'bot');
    });
  }

  async update(userId: string, botId: string, expectRev: number, patch: BotPatch, now: number): Promise<BotRecord> {
    const uid = checkUserId(userId);
    checkUpdateArgs(botId, expectRev, patch, now);
    return this.a.write(() => {
      const current = this.#bot(uid, botId);
      if (!current) throw unknownBot(botId);
      const next = patched(current, expectRev, patch, now);
      const clash = this.#s('nameOwner').get(uid, next.name, botId) as string | undefined;
      if (clash !== undefined) throw nameTaken(next.name, clash);
      this.#s('putBot').run(next.name, JSON.stringify(next), uid, botId);
      return next;
    });
  }

  async remove(userId: string, botId: string): Promise<boolean> {
    const uid = checkUserId(userId);
    checkBotId(botId);
    return this.a.write(() => {
      this.#s('dropOrders').run(uid, botId);
      this.#s('dropLease').run(uid, botId);
      return this.#s('dropBot').run(uid, botId).changes > 0;
    });
  }

  async users(): Promise<string[]> {
    return this.a.read(() => this.#s('users').all() as string[]);
  }

  async acquireLease(userId: string, botId: string, holder: string, now: number, ttlMs: number): Promise<Lease | null> {
    const uid = checkUserId(userId);
    checkLeaseArgs(botId, holder, now, ttlMs);
    return this.a.write(() => {
      if (this.#bot(uid, botId) === null) return null;
      const next = acquired(this.#lease(uid, botId), botId, holder, now, ttlMs);
      if (next) this.#putLease(uid, next);
      return next;
    });
  }

  async renewLease(userId: string, botId: string, holder: string, token: number, now: number, ttlMs: number): Promise<boolean> {
    const uid = checkUserId(userId);
    checkLeaseArgs(botId, holder, now, ttlMs);
    checkToken(token);
    return this.a.write(() => {
      const current = this.#lease(uid, botId);
      if (!holds(current, holder, token, now)) return false;
      this.#putLease(uid, { ...current!, expires_at: now + ttlMs });
      return true;
    });
  }

  async releaseLease(userId: string, botId: string, holder: string, token: number): Promise<void> {
    const uid = checkUserId(userId);
    checkBotId(botId);
    checkHolder(holder);
    checkToken(token);
    await this.a.write(() => {
      const current = this.#lease(uid, botId);
      if (current && current.holder === holder && current.token === token) this.#putLease(uid, { ...current, holder: RELEASED, expires_at: 0 });
    });
  }

  async lease(userId: string, botId: string): Promise<Lease | null> {
    const uid = checkUserId(userId);
    checkBotId(botId);
    return this.a.read(() => shownLease(this.#lease(uid, botId)));
  }

  async appendEvents(userId: string, events: readonly NewBotEvent[]): Promise<BotEvent[]> {
    const uid = checkUserId(userId);
    const checked = checkEvents(events);
    if (checked.length === 0) return [];
    return this.a.write(() => {
      let seq = (this.#s('seq').get(uid) as number | undefined) ?? 0;
      const added = checked.map((e): BotEvent => {
        const event = { seq: ++seq, ...e };
        this.#s('addEvent').run(uid, event.seq, event.bot_id, JSON.stringify(event));
        return event;
      });
      this.#s('putSeq').run(uid, seq);
      return added;
    });
  }

  async events(userId: string, query?: { botId?: string; after?: number; limit?: number }): Promise<BotEvent[]> {
    const uid = checkUserId(userId);
    const { botId, after, limit } = checkEventQuery(query);
    return this.a.read(() => {
      const rows = botId === null ? this.#s('events').all(uid, after, limit) : this.#s('eventsOfBot').all(uid, botId, after, limit);
      return (rows as unknown[]).map((t) => this.#json<BotEvent>(t, 'bot event'));
    });
  }

  async putOrders(userId: string, botId: string, token: number, now: number, rows: readonly NewBotOrder[]): Promise<BotOrderRow[]> {
    const uid = checkUserId(userId);
    const checked = checkNewOrders(botId, token, now, rows);
    return this.a.write(() => {
      if (!holds(this.#lease(uid, botId), null, token, now)) throw new StaleLeaseError(botId, token);
      return checked.map((r) => {
        const row = pendingRow(botId, r, now);
        try {
          this.#s('addOrder').run(uid, botId, row.key, row.minute, row.status, JSON.stringify(row));
        } catch (err) {
          // The write rolls back, so none of the batch is kept.
          if (sqliteCode(err) === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw repeatedKey(botId, row.key);
          throw err;
        }
        return row;
      });
    });
  }

  async markOrder(userId: string, botId: string, key: string, mark: OrderMark, now: number): Promise<BotOrderRow> {
    const uid = checkUserId(userId);
    checkMark(botId, key, mark, now);
    return this.a.write(() => {
      const row = this.#order(uid, botId, key);
      if (!row) throw unknownOrder(botId, key);
      const next = marked(row, mark, now);
      this.#s('putOrder').run(next.status, JSON.stringify(next), uid, botId, key);
      return next;
    });
  }

  async orders(userId: string, botId: string, query?: { status?: BotOrderRow['status'] }): Promise<BotOrderRow[]> {
    const uid = checkUserId(userId);
    checkBotId(botId);
    const status = checkOrderStatus(query);
    return this.a.read(() => {
      const rows = status === null ? this.#s('orders').all(uid, botId) : this.#s('ordersWithStatus').all(uid, botId, status);
      return (rows as unknown[]).map((t) => this.#json<BotOrderRow>(t, 'bot order'));
    });
  }

  async orderByKey(userId: string, botId: string, key: string): Promise<BotOrderRow | null> {
    const uid = checkUserId(userId);
    checkBotId(botId);
    checkOrderKey(key);
    return this.a.read(() => this.#order(uid, botId, key));
  }

  async importBots(userId: string, data: BotsData): Promise<void> {
    const uid = checkUserId(userId);
    const { bots, events, orders } = checkBotsData(uid, data);
    await this.a.write(() => {
      if (this.#s('anyOfUser').get(uid, uid, uid) === 1) throw botsNotEmpty(uid);
      for (const b of bots) this.#s('addBot').run(uid, b.id, b.name, JSON.stringify(b));
      for (const e of events) this.#s('addEvent').run(uid, e.seq, e.bot_id, JSON.stringify(e));
      for (const r of orders) this.#s('addOrder').run(uid, r.bot_id, r.key, r.minute, r.status, JSON.stringify(r));
      const seq = (this.#s('seq').get(uid) as number | undefined) ?? 0;
      this.#s('putSeq').run(uid, Math.max(seq, events.at(-1)?.seq ?? 0));
    });
  }

  #order(uid: string, botId: string, key: string): BotOrderRow | null {
    const text = this.#s('order').get(uid, botId, key);
    return text === undefined ? null : this.#json<BotOrderRow>(text, 'bot order');
  }
}
