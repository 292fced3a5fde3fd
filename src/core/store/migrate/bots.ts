import type { BotOrderRow, BotsData } from '../../bot/types.js';
import type { PaperStore } from '../types.js';
import { byId, listDifference } from './copy-plan.js';

/** A user's bots between two stores: read them whole, count them, compare them. */

export interface BotCounts {
  bots: number;
  events: number;
  outbox: number;
}

const PAGE = 1000;

/**
 * Everything of the user's bots through the BotStore interface (no lease: a copy never claims
 * one); null when the user has no bot, no event and no outbox row.
 */
export async function exportBots(store: PaperStore, userId: string): Promise<BotsData | null> {
  const bots = await store.bots.list(userId);
  const events = [];
  for (let after = 0; ; ) {
    const page = await store.bots.events(userId, { after, limit: PAGE });
    events.push(...page);
    if (page.length < PAGE) break;
    after = page.at(-1)!.seq;
  }
  const orders: BotOrderRow[] = [];
  for (const b of bots) orders.push(...(await store.bots.orders(userId, b.id)));
  if (bots.length === 0 && events.length === 0 && orders.length === 0) return null;
  return { bots, events, orders };
}

export function botCountsOf(d: BotsData | null): BotCounts {
  return d === null ? { bots: 0, events: 0, outbox: 0 } : { bots: d.bots.length, events: d.events.length, outbox: d.orders.length };
}

/**
 * How bots `b` differ from `a`, most telling first: counts, then records (every field, rev
 * included), events (by seq), outbox rows (by bot and key). Empty when identical.
 */
export function compareBots(a: BotsData | null, b: BotsData | null): string[] {
  const out: string[] = [];
  const ca = botCountsOf(a);
  const cb = botCountsOf(b);
  for (const k of ['bots', 'events', 'outbox'] as const) {
    if (ca[k] !== cb[k]) out.push(`${k === 'outbox' ? 'outbox rows' : k}: ${ca[k]} in the source, ${cb[k]} in the destination`);
  }
  const none: BotsData = { bots: [], events: [], orders: [] };
  const x = a ?? none;
  const y = b ?? none;
  const lists = [
    listDifference('bot', byId(x.bots, (r) => r.id), byId(y.bots, (r) => r.id)),
    listDifference('bot event', byId(x.events, (e) => String(e.seq)), byId(y.events, (e) => String(e.seq))),
    listDifference('outbox row', byId(x.orders, (r) => `${r.bot_id}:${r.key}`), byId(y.orders, (r) => `${r.bot_id}:${r.key}`)),
  ];
  for (const d of lists) if (d !== null) out.push(d);
  return out;
}
