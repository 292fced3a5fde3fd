import type { Paise } from '../money.js';
import { isOpen } from './draft.js';
import { restingLevel, type PreviousTick } from './fills.js';
import { Ladder } from './ladder.js';
import type { PaperOrder } from './types.js';

/** One resting order as the book sees it. */
export interface BookEntry {
  orderId: string;
  userId: string;
  token: number;
  /** Limit price (OPEN) or trigger price (TRIGGER PENDING). */
  level: Paise;
  ladder: LadderName;
}

type LadderName = 'buyLimits' | 'sellLimits' | 'buyStops' | 'sellStops';

class InstrumentBook {
  readonly buyLimits = new Ladder<BookEntry>();
  readonly sellLimits = new Ladder<BookEntry>();
  readonly buyStops = new Ladder<BookEntry>();
  readonly sellStops = new Ladder<BookEntry>();
}

function ladderOf(o: PaperOrder): LadderName {
  const buy = o.transaction_type === 'BUY';
  if (o.status === 'TRIGGER PENDING') return buy ? 'buyStops' : 'sellStops';
  return buy ? 'buyLimits' : 'sellLimits';
}

/**
 * The resting orders of every user, indexed by instrument and price, so a price move touches only
 * the orders it can fill: buy limits at or above the low, sell limits at or below the high, buy
 * stops at or below the high, sell stops at or above the low. It also remembers each instrument's
 * last price, to see a tick as a move from the previous one.
 */
export class OrderBook {
  private readonly books = new Map<number, InstrumentBook>();
  private readonly entries = new Map<string, BookEntry>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly last = new Map<number, PreviousTick>();
  /** Entries handed out as candidates since creation (to show a tick does not scan every order). */
  examined = 0;

  get size(): number {
    return this.entries.size;
  }

  has(orderId: string): boolean {
    return this.entries.has(orderId);
  }

  /** Index the order if it rests (OPEN, TRIGGER PENDING; not an AMO waiting to be sent), else drop it; call after every change. */
  upsert(o: PaperOrder): void {
    this.remove(o.order_id);
    if (!isOpen(o) || o.status === 'AMO REQ RECEIVED') return;
    const entry: BookEntry = { orderId: o.order_id, userId: o.user_id, token: o.instrument_token, level: restingLevel(o), ladder: ladderOf(o) };
    let book = this.books.get(entry.token);
    if (!book) this.books.set(entry.token, (book = new InstrumentBook()));
    book[entry.ladder].add(entry.level, entry.orderId, entry);
    this.entries.set(entry.orderId, entry);
    let mine = this.byUser.get(entry.userId);
    if (!mine) this.byUser.set(entry.userId, (mine = new Set()));
    mine.add(entry.orderId);
  }

  remove(orderId: string): void {
    const e = this.entries.get(orderId);
    if (!e) return;
    this.entries.delete(orderId);
    this.books.get(e.token)?.[e.ladder].remove(e.level, orderId);
    const mine = this.byUser.get(e.userId);
    mine?.delete(orderId);
    if (mine?.size === 0) this.byUser.delete(e.userId);
  }

  removeUser(userId: string): void {
    for (const id of [...(this.byUser.get(userId) ?? [])]) this.remove(id);
  }

  /** The resting orders a move over [low, high] may fill or trigger. */
  candidates(token: number, low: Paise, high: Paise): BookEntry[] {
    const book = this.books.get(token);
    if (!book) return [];
    const out: BookEntry[] = [];
    book.buyLimits.atOrAbove(low, out);
    book.sellLimits.atOrBelow(high, out);
    book.buyStops.atOrBelow(high, out);
    book.sellStops.atOrAbove(low, out);
    this.examined += out.length;
    return out;
  }

  tokens(): number[] {
    return [...this.books.entries()].filter(([, b]) => b.buyLimits.size + b.sellLimits.size + b.buyStops.size + b.sellStops.size > 0).map(([t]) => t);
  }

  lastPrice(token: number): PreviousTick | undefined {
    return this.last.get(token);
  }

  /** Remember an instrument's latest tick: its price, time and the day's volume it reported. */
  setLastPrice(token: number, price: Paise, t: number, volume?: number): void {
    this.last.set(token, volume === undefined ? { price, t } : { price, t, volume });
  }
}
