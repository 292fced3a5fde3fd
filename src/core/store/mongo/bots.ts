import type { ClientSession, Collection, Db, MongoClient } from 'mongodb';
import { AlgoError } from '../../errors.js';
import { checkBotId, checkOrderKey, ConflictError, StaleLeaseError, type BotPatch, type BotStore } from '../../bot/store.js';
import type { BotEvent, BotOrderRow, BotRecord, BotsData, Lease, NewBotEvent, NewBotOrder } from '../../bot/types.js';
import {
  acquired, botsNotEmpty, byName, checkBotsData, checkEventQuery, checkNewBot, checkRoom, checkEvents, checkHolder, checkLeaseArgs, checkMark, checkNewOrders, checkOrderStatus, checkToken,
  checkUpdateArgs, holds, idOrNameOf, marked, nameTaken, newBotId, newRecord, patched, pendingRow, RELEASED, repeatedKey, shownLease,
  unknownBot, unknownOrder, type NewBot, type OrderMark,
} from '../../bot/store-rules.js';
import { checkUserId } from '../validate.js';

/**
 * A user's bots in MongoDB, in four collections beside the user's paper ones:
 * `user_{id}_bots` (the record as JSON text, its rev, and its lowercased name under a unique index),
 * `user_{id}_bot_events` (_id: the seq; one counter document `_id: "seq"`, which no numeric query
 * matches), `user_{id}_bot_orders` (_id: bot id and key) and `user_{id}_bot_leases` (_id: bot id).
 * Every change of more than one document is one transaction, so bots need a replica set (a
 * single-node one will do); on a standalone server every method refuses in one line.
 */

export const BOT_COLLECTION_KINDS = ['bots', 'bot_events', 'bot_orders', 'bot_leases'] as const;
type Kind = (typeof BOT_COLLECTION_KINDS)[number];
export const botCollectionName = (userId: string, kind: Kind): string => `user_${checkUserId(userId)}_${kind}`;
const BOTS_RE = /^user_([A-Z0-9]+)_bots$/;

interface BotDoc { _id: string; name_key: string; rev: number; doc: string }
interface EventDoc { _id: number | 'seq'; bot_id?: string; seq?: number; doc?: string }
interface OrderDoc { _id: string; bot_id: string; key: string; minute: number; status: BotOrderRow['status']; doc: string }
interface LeaseDoc { _id: string; holder: string; token: number; expires_at: number; fenced_at?: number }

interface Cols {
  bots: Collection<BotDoc>;
  events: Collection<EventDoc>;
  orders: Collection<OrderDoc>;
  leases: Collection<LeaseDoc>;
}

const INDEXES: Record<Kind, Array<{ name: string; key: Record<string, 1>; unique?: true }>> = {
  bots: [{ name: 'name_key_unique', key: { name_key: 1 }, unique: true }],
  bot_events: [{ name: 'bot_id_seq', key: { bot_id: 1, _id: 1 } }],
  bot_orders: [{ name: 'bot_id_minute_key', key: { bot_id: 1, minute: 1, key: 1 } }],
  bot_leases: [],
};

const TXN = { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' }, readPreference: 'primary' } as const;
const isDuplicate = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 11000;
const onName = (err: unknown): boolean => 'name_key' in ((err as { keyPattern?: object }).keyPattern ?? {});
const leaseOf = (d: LeaseDoc | null): Lease | null => (d === null ? null : { bot_id: d._id, holder: d.holder, token: d.token, expires_at: d.expires_at });

export interface BotMongoAccess {
  db(): Db;
  client(): MongoClient;
  /** Whether the deployment has transactions. */
  transactions(): boolean;
  live(): void;
}

/** Bots in the MongoDB store's database. */
export class MongoBotStore implements BotStore {
  readonly #ready = new Map<string, Promise<void>>();

  constructor(private readonly a: BotMongoAccess) {}

  /** The user's collections, created with their indexes once per process (outside any transaction). */
  async #cols(userId: string): Promise<Cols> {
    const uid = checkUserId(userId);
    this.a.live();
    if (!this.a.transactions()) {
      throw new AlgoError('bots in MongoDB need a replica set (transactions); this server is standalone', {
        hint: 'run mongod with --replSet and rs.initiate() (a single node will do), or use a SQLite store for bots',
      });
    }
    const db = this.a.db();
    let ready = this.#ready.get(uid);
    if (!ready) {
      ready = Promise.all(BOT_COLLECTION_KINDS.map((k) => ensure(db, botCollectionName(uid, k), INDEXES[k]))).then(() => undefined);
      this.#ready.set(uid, ready);
      ready.catch(() => this.#ready.delete(uid));
    }
    await ready;
    return {
      bots: db.collection<BotDoc>(botCollectionName(uid, 'bots')),
      events: db.collection<EventDoc>(botCollectionName(uid, 'bot_events')),
      orders: db.collection<OrderDoc>(botCollectionName(uid, 'bot_orders')),
      leases: db.collection<LeaseDoc>(botCollectionName(uid, 'bot_leases')),
    };
  }

  async #txn<T>(body: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.a.client().startSession();
    try {
      return await session.withTransaction(body, TXN);
    } finally {
      await session.endSession();
    }
  }

  async #bot(c: Cols, botId: string, session?: ClientSession): Promise<BotRecord | null> {
    const d = await c.bots.findOne({ _id: botId }, { session });
    return d ? (JSON.parse(d.doc) as BotRecord) : null;
  }

  async #nameClash(c: Cols, name: string): Promise<never> {
    const other = await c.bots.findOne({ name_key: name.toLowerCase() });
    throw nameTaken(name, other ? (JSON.parse(other.doc) as BotRecord).name : name);
  }

  async create(userId: string, bot: NewBot): Promise<BotRecord> {
    checkUserId(userId);
    const { max } = checkNewBot(bot); // before any round trip
    const c = await this.#cols(userId);
    for (let attempt = 0; attempt < 20; attempt++) {
      const rec = newRecord(userId, newBotId(() => false), bot);
      try {
        await c.bots.insertOne({ _id: rec.id, name_key: rec.name.toLowerCase(), rev: rec.rev, doc: JSON.stringify(rec) });
        if (max !== undefined) {
          // counted after the insert, so that racing creates (on any machine) never leave more than
          // max: one over takes its own bot back out and is refused
          const n = await c.bots.countDocuments({});
          if (n > max) {
            await c.bots.deleteOne({ _id: rec.id });
            checkRoom(userId, n - 1, max);
          }
        }
        return rec;
      } catch (err) {
        if (!isDuplicate(err)) throw err;
        if (onName(err)) return this.#nameClash(c, rec.name);
        // else the id clashed: draw another
      }
    }
    throw new AlgoError('could not find a free bot id after 20 tries');
  }

  async list(userId: string): Promise<BotRecord[]> {
    const c = await this.#cols(userId);
    return (await c.bots.find({}).toArray()).map((d) => JSON.parse(d.doc) as BotRecord).sort(byName);
  }

  async get(userId: string, idOrName: string): Promise<BotRecord | null> {
    checkUserId(userId);
    const q = idOrNameOf(idOrName);
    const c = await this.#cols(userId);
    const d = await c.bots.findOne('id' in q ? { _id: q.id } : { name_key: q.name.toLowerCase() });
    return d ? (JSON.parse(d.doc) as BotRecord) : null;
  }

  async update(userId: string, botId: string, expectRev: number, patch: BotPatch, now: number): Promise<BotRecord> {
    checkUserId(userId);
    checkUpdateArgs(botId, expectRev, patch, now);
    const c = await this.#cols(userId);
    const current = await this.#bot(c, botId);
    if (!current) throw unknownBot(botId);
    const next = patched(current, expectRev, patch, now);
    try {
      const res = await c.bots.replaceOne({ _id: botId, rev: expectRev }, { name_key: next.name.toLowerCase(), rev: next.rev, doc: JSON.stringify(next) });
      if (res.matchedCount === 1) return next;
    } catch (err) {
      if (isDuplicate(err) && onName(err)) return this.#nameClash(c, next.name);
      throw err;
    }
    if (!(await this.#bot(c, botId))) throw unknownBot(botId);
    throw new ConflictError(`bot ${current.name}`);
  }

  async remove(userId: string, botId: string): Promise<boolean> {
    checkUserId(userId);
    checkBotId(botId);
    const c = await this.#cols(userId);
    return this.#txn(async (session) => {
      await c.orders.deleteMany({ bot_id: botId }, { session });
      await c.leases.deleteOne({ _id: botId }, { session });
      return (await c.bots.deleteOne({ _id: botId }, { session })).deletedCount > 0;
    });
  }

  async users(): Promise<string[]> {
    this.a.live();
    const db = this.a.db();
    const names = await db.listCollections({ name: { $regex: '^user_[A-Z0-9]+_bots$' } }, { nameOnly: true }).toArray();
    const out: string[] = [];
    for (const { name } of names) {
      const uid = BOTS_RE.exec(name)?.[1];
      if (uid !== undefined && (await db.collection(name).countDocuments({}, { limit: 1 })) > 0) out.push(uid);
    }
    return out.sort();
  }

  async acquireLease(userId: string, botId: string, holder: string, now: number, ttlMs: number): Promise<Lease | null> {
    checkUserId(userId);
    checkLeaseArgs(botId, holder, now, ttlMs);
    const c = await this.#cols(userId);
    // Two runners asking at once both write the lease document: one transaction is retried and sees the other's lease.
    return this.#txn(async (session) => {
      if ((await c.bots.countDocuments({ _id: botId }, { session, limit: 1 })) === 0) return null;
      const next = acquired(leaseOf(await c.leases.findOne({ _id: botId }, { session })), botId, holder, now, ttlMs);
      if (next) await c.leases.replaceOne({ _id: botId }, { holder: next.holder, token: next.token, expires_at: next.expires_at }, { session, upsert: true });
      return next;
    });
  }

  async renewLease(userId: string, botId: string, holder: string, token: number, now: number, ttlMs: number): Promise<boolean> {
    checkUserId(userId);
    checkLeaseArgs(botId, holder, now, ttlMs);
    checkToken(token);
    const c = await this.#cols(userId);
    const res = await c.leases.updateOne({ _id: botId, holder, token, expires_at: { $gt: now } }, { $set: { expires_at: now + ttlMs } });
    return res.matchedCount === 1;
  }

  async releaseLease(userId: string, botId: string, holder: string, token: number): Promise<void> {
    checkUserId(userId);
    checkBotId(botId);
    checkHolder(holder);
    checkToken(token);
    const c = await this.#cols(userId);
    await c.leases.updateOne({ _id: botId, holder, token }, { $set: { holder: RELEASED, expires_at: 0 } });
  }

  async lease(userId: string, botId: string): Promise<Lease | null> {
    checkUserId(userId);
    checkBotId(botId);
    const c = await this.#cols(userId);
    return shownLease(leaseOf(await c.leases.findOne({ _id: botId })));
  }

  async appendEvents(userId: string, events: readonly NewBotEvent[]): Promise<BotEvent[]> {
    checkUserId(userId);
    const checked = checkEvents(events);
    if (checked.length === 0) return [];
    const c = await this.#cols(userId);
    // In one transaction: a reader never sees a later seq before an earlier one.
    return this.#txn(async (session) => {
      const counter = await c.events.findOneAndUpdate({ _id: 'seq' }, { $inc: { seq: checked.length } }, { session, upsert: true, returnDocument: 'after' });
      const first = (counter?.seq ?? checked.length) - checked.length + 1;
      const added = checked.map((e, i): BotEvent => ({ seq: first + i, ...e }));
      await c.events.insertMany(added.map((e) => ({ _id: e.seq, bot_id: e.bot_id, doc: JSON.stringify(e) })), { session });
      return added;
    });
  }

  async events(userId: string, query?: { botId?: string; after?: number; limit?: number }): Promise<BotEvent[]> {
    checkUserId(userId);
    const { botId, after, limit } = checkEventQuery(query);
    const c = await this.#cols(userId);
    if (limit === 0) return []; // MongoDB's limit 0 means no limit
    const filter = botId === null ? { _id: { $gt: after } } : { bot_id: botId, _id: { $gt: after } };
    const rows = await c.events.find(filter).sort({ _id: 1 }).limit(limit).toArray();
    return rows.map((d) => JSON.parse(d.doc!) as BotEvent);
  }

  async putOrders(userId: string, botId: string, token: number, now: number, rows: readonly NewBotOrder[]): Promise<BotOrderRow[]> {
    checkUserId(userId);
    const checked = checkNewOrders(botId, token, now, rows);
    const c = await this.#cols(userId);
    return this.#txn(async (session) => {
      // A write to the lease document, so a takeover at the same moment conflicts with this transaction.
      const fence = await c.leases.updateOne({ _id: botId, token, holder: { $ne: RELEASED }, expires_at: { $gt: now } }, { $set: { fenced_at: now } }, { session });
      if (fence.matchedCount === 0) throw new StaleLeaseError(botId, token);
      const ids = checked.map((r) => `${botId}:${r.key}`);
      const existing = await c.orders.findOne({ _id: { $in: ids } }, { session });
      if (existing) throw repeatedKey(botId, existing.key);
      const added = checked.map((r) => pendingRow(botId, r, now));
      if (added.length > 0) {
        await c.orders.insertMany(added.map((row) => ({ _id: `${botId}:${row.key}`, bot_id: botId, key: row.key, minute: row.minute, status: row.status, doc: JSON.stringify(row) })), { session });
      }
      return added;
    });
  }

  async markOrder(userId: string, botId: string, key: string, mark: OrderMark, now: number): Promise<BotOrderRow> {
    checkUserId(userId);
    checkMark(botId, key, mark, now);
    const c = await this.#cols(userId);
    return this.#txn(async (session) => {
      const d = await c.orders.findOne({ _id: `${botId}:${key}` }, { session });
      if (!d) throw unknownOrder(botId, key);
      const next = marked(JSON.parse(d.doc) as BotOrderRow, mark, now);
      await c.orders.updateOne({ _id: d._id }, { $set: { status: next.status, doc: JSON.stringify(next) } }, { session });
      return next;
    });
  }

  async orders(userId: string, botId: string, query?: { status?: BotOrderRow['status'] }): Promise<BotOrderRow[]> {
    checkUserId(userId);
    checkBotId(botId);
    const status = checkOrderStatus(query);
    const c = await this.#cols(userId);
    const rows = await c.orders.find(status === null ? { bot_id: botId } : { bot_id: botId, status }).sort({ minute: 1, key: 1 }).toArray();
    return rows.map((d) => JSON.parse(d.doc) as BotOrderRow);
  }

  async orderByKey(userId: string, botId: string, key: string): Promise<BotOrderRow | null> {
    checkUserId(userId);
    checkBotId(botId);
    checkOrderKey(key);
    const c = await this.#cols(userId);
    const d = await c.orders.findOne({ _id: `${botId}:${key}` });
    return d ? (JSON.parse(d.doc) as BotOrderRow) : null;
  }

  async importBots(userId: string, data: BotsData): Promise<void> {
    checkUserId(userId);
    const { bots, events, orders } = checkBotsData(userId, data);
    const c = await this.#cols(userId);
    await this.#txn(async (session) => {
      const [nb, ne, no] = await Promise.all([
        c.bots.countDocuments({}, { session, limit: 1 }),
        c.events.countDocuments({ _id: { $ne: 'seq' } }, { session, limit: 1 }),
        c.orders.countDocuments({}, { session, limit: 1 }),
      ]);
      if (nb + ne + no > 0) throw botsNotEmpty(userId);
      if (bots.length > 0) await c.bots.insertMany(bots.map((b) => ({ _id: b.id, name_key: b.name.toLowerCase(), rev: b.rev, doc: JSON.stringify(b) })), { session });
      if (events.length > 0) {
        await c.events.insertMany(events.map((e) => ({ _id: e.seq, bot_id: e.bot_id, doc: JSON.stringify(e) })), { session });
        await c.events.updateOne({ _id: 'seq' }, { $max: { seq: events.at(-1)!.seq } }, { session, upsert: true });
      }
      if (orders.length > 0) {
        await c.orders.insertMany(orders.map((r) => ({ _id: `${r.bot_id}:${r.key}`, bot_id: r.bot_id, key: r.key, minute: r.minute, status: r.status, doc: JSON.stringify(r) })), { session });
      }
    });
  }
}

const NAMESPACE_EXISTS = 48;

/** Create the collection (so a first write inside a transaction never has to) and its indexes. Idempotent. */
async function ensure(db: Db, name: string, indexes: (typeof INDEXES)[Kind]): Promise<void> {
  await db.createCollection(name).catch((err: { code?: unknown }) => {
    if (err?.code !== NAMESPACE_EXISTS) throw err;
  });
  if (indexes.length > 0) await db.collection(name).createIndexes(indexes.map((s) => ({ name: s.name, key: s.key, ...(s.unique ? { unique: true } : {}) })));
}
