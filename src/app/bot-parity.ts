import { checkDate, sessionOf } from '../core/backtest/feed-days.js';
import { runBacktest } from '../core/backtest/run.js';
import type { BarFeed, BacktestResult, FillSettings } from '../core/backtest/types.js';
import { BarLog } from '../core/bot/bar-log.js';
import { parseOrderKey } from '../core/bot/keys.js';
import type { MinuteGroup } from '../core/bot/live-bars.js';
import { botSpec } from '../core/bot/spec.js';
import type { Minute } from '../core/bot/session.js';
import type { BotEvent, BotRecord } from '../core/bot/types.js';
import { cachedHistory, type History } from '../core/bot/warmup.js';
import { describeError, UsageError } from '../core/errors.js';
import { datesFrom, formatIst, istDate, istMidnight } from '../core/ist.js';
import type { Instrument } from '../core/market/types.js';
import { toRupees } from '../core/money.js';
import type { PaperTrade } from '../core/paper/types.js';
import type { PaperStore } from '../core/store/types.js';

/**
 * `algo bot parity` (issue 14): the minutes a bot consumed on a day, replayed as a backtest of the
 * bot's spec, against the bot's fills in its owner's account. Fills pair in order (the backtest's
 * by fill time, the bot's by order key); each pair must agree on time, side, quantity, price,
 * charges and exit reason.
 *
 * Rules where the engines legitimately differ in form:
 * - time: the account fills a mirrored order when the session places it (at its minute's close, or
 *   later live), so the bot's time is the minute its order key names; the backtest's fill must lie in
 *   that minute, its open through its close (a book fill is at the bar's open, an intrabar stop,
 *   or the close).
 * - charges: per trade, the charge total without DP. The account charges each fill the change in its
 *   scrip's day charges (the day ledger: STT rounded to the rupee per side of the day, DP once per
 *   scrip and day), so the bot's fills carry the book's charges to the paisa only while they are
 *   the scrip's only trades that day. When the person or another bot traded the scrip in the
 *   account that day, its charges are shares of a shared day and are not compared (a note says so).
 */

export interface ParityDiff {
  /** IST "YYYY-MM-DD HH:MM:SS": the backtest's fill time, else the bot's minute. */
  time: string;
  symbol: string;
  /** "time" | "side" | "quantity" | "price" | "charges" | "reason" | "symbol" | "fill" (one side has a fill the other has not). */
  field: string;
  backtest: string | number | null;
  bot: string | number | null;
}

export interface ParityReport {
  bot_id: string;
  name: string;
  date: string;
  /** The segments the bot ran ([from, to) in ms), from its 'session' and 'stop' events. */
  segments: Array<{ from: number; to: number }>;
  /** Minutes replayed (one per time, all symbols). */
  minutes: number;
  backtest_fills: number;
  bot_fills: number;
  differences: ParityDiff[];
  /** What was not compared, and why (e.g. charges of a scrip the account's day shares with other trades). */
  notes: string[];
}

export interface ParityOptions {
  /** The bot's symbols' instruments, in the config's order. */
  instruments: Instrument[];
  /** The market's source name (BarLog keeps its minutes under live:<source>). */
  source: string;
  band?: BarFeed['band'];
  /**
   * The warm-up days' minutes, as the host warmed the bot (BotHostOptions.history); default the
   * store's candle cache under `source`, where the host's history left them.
   */
  history?: History;
}

/** One fill, as both sides are compared. */
interface Side {
  minute: number;
  at: number;
  symbol: string;
  side: string;
  quantity: number;
  price: number;
  charges: number;
  reason: string;
}

type Store = Pick<PaperStore, 'bots' | 'backtests' | 'orders' | 'trades'>;

export async function botParity(store: Store, userId: string, bot: BotRecord, date: string, fills: FillSettings, opts: ParityOptions): Promise<ParityReport> {
  checkDate('--date', date);
  const events = await allEvents(store, userId, bot.id);
  const segments = segmentsOf(events, date);
  const log = new BarLog(store.backtests, opts.source);
  const tokens = opts.instruments.map((i) => i.instrument_token);
  const minutes: MinuteGroup[] = [];
  // a CNC position carried overnight: its segment's earlier days first, and the backtest starts there
  const dayStart = istMidnight(Date.parse(`${date}T12:00:00+05:30`));
  const first = segments[0]!.from;
  const start = Number.isFinite(first) && first < dayStart ? istDate(first) : date;
  for (const s of segments) {
    if (s.from < dayStart && Number.isFinite(s.from)) for (const d of datesFrom(istDate(s.from), date).slice(0, -1)) minutes.push(...(await log.minutes(tokens, d, s.from)));
    minutes.push(...(await log.minutes(tokens, date, s.from, s.to)));
  }
  const { fills: botFills, shared } = await botSide(store, userId, bot.id, date, events);
  if (minutes.length === 0 && botFills.length === 0) throw new UsageError(`bot ${bot.name} has no live minutes logged on ${date}`, 'give a date the bot ran: algo bot logs NAME shows its sessions');
  const spec = botSpec(bot.config, date, fills, start);
  const history = opts.history ?? cachedHistory(opts.instruments, { cache: store.backtests, source: opts.source });
  const { warm, notes } = await warmOf(events, start, () => history(bot.config.symbols, spec.warmFrom!, start));
  const feed: BarFeed = { instruments: opts.instruments, async *batches() { yield [...warm, ...minutes].flatMap((m) => m.candles); }, ...(opts.band ? { band: opts.band } : {}) };
  const result = await runBacktest(spec, feed);
  const bt = backtestSide(result).filter((f) => istDate(f.at) === date);
  return { bot_id: bot.id, name: bot.name, date, segments, minutes: minutes.length, backtest_fills: bt.length, bot_fills: botFills.length, differences: diff(bt, botFills, shared), notes: [...configNote(bot, date), ...notes, ...[...shared].map(sharedNote)] };
}

/**
 * The warm-up minutes the backtest starts with: none when the host ran the bot cold that day (its
 * 'warmup' event, data.cold), else the history's (none, with a note, when they are not to be had).
 */
async function warmOf(events: readonly BotEvent[], date: string, history: () => Promise<Minute[]>): Promise<{ warm: Minute[]; notes: string[] }> {
  const cold = events.find((e) => e.kind === 'warmup' && e.data?.cold === true && e.data?.date === date);
  if (cold) return { warm: [], notes: [`the bot ran cold on ${date} (no history for its warm-up days: ${String(cold.data!.reason)}), so the backtest runs cold too`] };
  try {
    return { warm: await history(), notes: [] };
  } catch (err) {
    return { warm: [], notes: [`the backtest ran cold: its warm-up days are not to be had (${describeError(err)}), while the bot was warmed, so they may differ`] };
  }
}

/** The store keeps only the current config: one edited after the day is not the config that ran then. */
export function configNote(bot: BotRecord, date: string): string[] {
  if (bot.epoch < sessionOf(date).end) return [];
  return [`the bot's config is version ${bot.version}, since ${formatIst(bot.epoch)}, after ${date}: the backtest ran that version, which may not be the one the bot traded then`];
}

async function allEvents(store: Store, userId: string, botId: string): Promise<BotEvent[]> {
  const out: BotEvent[] = [];
  for (;;) {
    const page = await store.bots.events(userId, { botId, after: out.at(-1)?.seq ?? 0, limit: 1000 });
    out.push(...page);
    if (page.length < 1000) return out;
  }
}

/** The date a 'session' event is of: data.date when the host carried a CNC segment into it, else its first minute's. */
const dayOf = (e: BotEvent): string => (typeof e.data?.date === 'string' ? e.data.date : istDate(e.data!.from as number));

/**
 * The date's segments: each 'session' event (data.from, ms: the first minute the runner stepped)
 * until the next 'stop' or 'session' event (a minute counts when it closed by then), else the
 * day's end. No session event on the date: the whole day that was logged. A segment the host
 * carried into the date (a CNC position held overnight: data.date, and the from of an earlier
 * day) begins at that earlier from, and the 'session' event that carries it on does not end it.
 */
export function segmentsOf(events: readonly BotEvent[], date: string): Array<{ from: number; to: number }> {
  const starts = events.filter((e) => e.kind === 'session' && typeof e.data?.from === 'number' && dayOf(e) === date);
  if (starts.length === 0) return [{ from: -Infinity, to: Infinity }];
  return starts.map((s) => {
    const from = s.data!.from as number;
    // a 'session' event with the same from carries the segment into the next day: it goes on
    const end = events.find((e) => e.seq > s.seq && (e.kind === 'stop' || (e.kind === 'session' && e.data?.from !== from)));
    const to = !end ? Infinity : end.kind === 'session' ? Math.min(end.data?.from as number, end.at - 60_000 + 1) : end.at - 60_000 + 1;
    return { from, to };
  });
}

const chargesOf = (t: PaperTrade): number => t.charges.total - (t.charges.dp ?? 0);

/** The backtest's fills, each with its reason: an exit the round trip's exit reason, else "signal". */
function backtestSide(r: BacktestResult): Side[] {
  const closed = r.trades.filter((t) => t.exit_reason !== 'end');
  const pos = new Map<string, number>();
  return r.fills.map((f) => {
    const key = `${f.exchange}:${f.tradingsymbol}:${f.product}`;
    const q = pos.get(key) ?? 0;
    const signed = f.transaction_type === 'BUY' ? f.quantity : -f.quantity;
    pos.set(key, q + signed);
    const closes = q !== 0 && Math.sign(signed) !== Math.sign(q) && Math.abs(signed) >= Math.abs(q);
    const reason = closes ? (closed.shift()?.exit_reason ?? 'signal') : 'signal';
    return { minute: f.filled_at, at: f.filled_at, symbol: `${f.exchange}:${f.tradingsymbol}`, side: f.transaction_type, quantity: f.quantity, price: f.price, charges: chargesOf(f), reason };
  });
}

const sharedNote = (symbol: string): string => `charges of ${symbol} not compared: the account's day for it holds trades that are not this bot's, and each trade is charged its share of the whole day`;

/**
 * The account's fills of the bot's orders on the date, in key order, each with the reason of its
 * 'fill' event; and the symbols whose day in the account holds other trades too.
 */
async function botSide(store: Store, userId: string, botId: string, date: string, events: readonly BotEvent[]): Promise<{ fills: Side[]; shared: Set<string> }> {
  const orders = new Map((await store.orders(userId)).filter((o) => o.tag === botId && o.bot_key).map((o) => [o.order_id, o.bot_key!]));
  const reasons = new Map(events.filter((e) => e.kind === 'fill' && typeof e.data?.order_id === 'string').map((e) => [e.data!.order_id as string, String(e.data!.reason)]));
  const day = (await store.trades(userId)).filter((t) => istDate(t.filled_at) === date);
  const mine = day.filter((t) => orders.has(t.order_id));
  const symbols = new Set(mine.map((t) => `${t.exchange}:${t.tradingsymbol}`));
  const shared = new Set(day.filter((t) => !orders.has(t.order_id) && symbols.has(`${t.exchange}:${t.tradingsymbol}`)).map((t) => `${t.exchange}:${t.tradingsymbol}`));
  const keyed = mine.map((t) => ({ t, key: parseOrderKey(orders.get(t.order_id)!) }));
  keyed.sort((a, b) => a.key.minute - b.key.minute || a.key.seq - b.key.seq || a.t.filled_at - b.t.filled_at);
  const fills = keyed.map(({ t, key }) => ({ minute: key.minute, at: t.filled_at, symbol: `${t.exchange}:${t.tradingsymbol}`, side: t.transaction_type, quantity: t.quantity, price: t.price, charges: chargesOf(t), reason: reasons.get(t.order_id) ?? 'unknown' }));
  return { fills, shared };
}

/** Pair the fills in order and name every field that differs (charges not for the `shared` symbols). */
export function diff(bt: readonly Side[], bot: readonly Side[], shared: ReadonlySet<string> = new Set()): ParityDiff[] {
  const out: ParityDiff[] = [];
  for (let i = 0; i < Math.max(bt.length, bot.length); i++) {
    const a = bt[i];
    const b = bot[i];
    if (!a || !b) {
      const x = (a ?? b)!;
      const text = `${x.side} ${x.quantity} at ${toRupees(x.price)}`;
      out.push({ time: formatIst(a ? a.at : b!.minute), symbol: x.symbol, field: 'fill', backtest: a ? text : null, bot: b ? text : null });
      continue;
    }
    const at = formatIst(a.at);
    const push = (field: string, x: string | number, y: string | number) => x !== y && out.push({ time: at, symbol: a.symbol, field, backtest: x, bot: y });
    if (!(a.at >= b.minute && a.at <= b.minute + 60_000)) out.push({ time: at, symbol: a.symbol, field: 'time', backtest: at, bot: `${formatIst(b.minute)} minute` });
    push('symbol', a.symbol, b.symbol);
    push('side', a.side, b.side);
    push('quantity', a.quantity, b.quantity);
    push('price', toRupees(a.price), toRupees(b.price));
    if (!shared.has(a.symbol)) push('charges', toRupees(a.charges), toRupees(b.charges));
    push('reason', a.reason, b.reason);
  }
  return out;
}
