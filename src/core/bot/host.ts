import type { FillSettings } from '../backtest/types.js';
import { describeError } from '../errors.js';
import { datesFrom, formatIst, istDate } from '../ist.js';
import type { Instrument } from '../market/types.js';
import type { PaperStore } from '../store/types.js';
import type { BarLog } from './bar-log.js';
import { parseOrderKey } from './keys.js';
import { minuteOf, type MinuteGroup } from './live-bars.js';
import { stepGroups } from './groups.js';
import { BotSession, botOrders, type Minute, type PlaceFn } from './session.js';
import type { PaceClock } from './pace.js';
import { ConflictError, type BotPatch } from './store.js';
import type { BotRecord, Lease, NewBotEvent } from './types.js';
import { warmFromOf } from './warmup.js';

export interface BotHostOptions {
  store: PaperStore;
  /** Who runs the bots (hostname:pid:random), as the leases name it. */
  holder: string;
  /** How long a lease lasts without renewal (default 15 s). */
  leaseMs?: number;
  /** The users whose bots this host runs. */
  users(): Promise<string[]>;
  /** A bot's symbols' instruments, in the given order. */
  instruments(userId: string, symbols: readonly string[]): Promise<Instrument[]>;
  place(userId: string): PlaceFn;
  /**
   * The user's minutes of the symbols over the IST dates [from, until): a newly held bot is warmed
   * with its warm-up days (warmup.ts marketHistory). When it throws the bot runs cold, and its log says so.
   */
  history(userId: string, symbols: readonly string[], from: string, until: string): Promise<Minute[]>;
  fills(userId: string): FillSettings;
  barLog: BarLog;
  now(): number;
  /** Real time, for each bot's orders-per-second pacing (a live host; absent: no pacing, no stale-bar guard). */
  pace?: PaceClock;
  onEvent?(e: HostEvent): void;
  onError?(err: unknown): void;
}

/** What the host did with a bot (also written to the bot's log when it is the bot's news). */
export interface HostEvent {
  userId: string;
  botId: string;
  kind: string;
  message: string;
}

export interface HostStats {
  held: number;
  /** The start of the last minute stepped, or null. */
  lastMinute: number | null;
  /** Orders mirrored into the accounts since the host started. */
  fills: number;
}

interface Held {
  userId: string;
  bot: BotRecord;
  lease: Lease;
  session: BotSession;
  tokens: Set<number>;
  date: string;
  /** The first minute of the bot's current segment: earlier minutes are not its. */
  from: number;
  /** The IST date of `from`: the date, or an earlier one for a CNC position carried overnight. */
  start: string;
  last: number;
  paused: boolean;
  flattened: boolean;
}

const LEASE_MS = 15_000;
const RETRIES = 3;

/**
 * Runs every bot this process holds the lease of (bots.md 7): each tick it takes the lease of the
 * bots that must run (or still flatten), renews the ones it holds, rebuilds a newly held bot from
 * today's stored minutes and its orders, and acts on the user's requests; each closed minute goes
 * to the BarLog and then through every held bot that trades it. No face and no timers: the caller
 * ticks it (about once a second) and feeds it minutes.
 */
export class BotHost {
  private readonly held = new Map<string, Held>();
  private readonly leaseMs: number;
  private queue: Promise<unknown> = Promise.resolve();
  private lastMinute: number | null = null;
  private fills = 0;

  constructor(private readonly opts: BotHostOptions) {
    this.leaseMs = opts.leaseMs ?? LEASE_MS;
  }

  /** Take, renew and act: one pass over the users' bots. */
  tick(): Promise<void> {
    return this.serial(async () => {
      for (const userId of await this.opts.users()) {
        for (const bot of await this.opts.store.bots.list(userId)) await this.guard(() => this.visit(userId, bot));
      }
    });
  }

  /** Closed minutes (MinuteBars.close): logged, then stepped through each held bot that trades them. */
  onMinutes(groups: readonly MinuteGroup[]): Promise<void> {
    return this.serial(async () => {
      for (const g of groups) {
        await this.opts.barLog.append(g.t, g.candles);
        // bots step the minute in groups (whole users), so the store commits their outbox rows,
        // placements, marks and events together, not one transaction per bot
        const due = [...this.held.values()].filter((h) => g.t >= h.from && g.t > h.last);
        for (const group of stepGroups(due, (h) => h.userId)) await Promise.all(group.map((h) => this.guard(() => this.stepHeld(h, g))));
        this.lastMinute = Math.max(this.lastMinute ?? -Infinity, g.t);
      }
    });
  }

  /** One minute through a held bot (its own instruments' candles), when it traded any. */
  private async stepHeld(h: Held, g: MinuteGroup, again = false): Promise<void> {
    const candles = g.candles.filter((c) => h.tokens.has(c.token));
    if (candles.length === 0) return;
    h.last = g.t;
    const r = await h.session.step(g.t, candles, again);
    this.fills += r.placed.length;
    for (const e of r.events) this.emit(h.userId, e.bot_id, e.kind, e.message);
    if (r.stopped) await this.drop(h, r.stopped.kind !== 'lease');
  }

  /** The instrument tokens the held bots need (the stream's subscription). */
  tokens(): number[] {
    const all = new Set<number>();
    for (const h of this.held.values()) for (const t of h.tokens) all.add(t);
    return [...all].sort((a, b) => a - b);
  }

  /** The ids of the bots this host holds. */
  heldBots(): string[] {
    return [...this.held.keys()];
  }

  stats(): HostStats {
    return { held: this.held.size, lastMinute: this.lastMinute, fills: this.fills };
  }

  /** Give up every lease (the bots go on in another runner, or when this one starts again). */
  close(): Promise<void> {
    return this.serial(async () => {
      for (const h of [...this.held.values()]) await this.guard(() => this.drop(h, true));
    });
  }

  private async visit(userId: string, bot: BotRecord): Promise<void> {
    const h = this.held.get(bot.id);
    const now = this.opts.now();
    if (h) {
      // renewed once a third of the lease has gone, not on every pass: one write per bot per
      // lease/3, not per tick (a takeover meanwhile is refused by the fencing token)
      if (h.lease.expires_at - now <= (this.leaseMs * 2) / 3) {
        if (!(await this.opts.store.bots.renewLease(userId, bot.id, this.opts.holder, h.lease.token, now, this.leaseMs))) {
          this.held.delete(bot.id);
          await this.log(h, 'lease_lost', `lease ${h.lease.token} lost; another runner has the bot`);
          return;
        }
        h.lease = { ...h.lease, expires_at: now + this.leaseMs };
      }
      if (istDate(now) !== h.date) {
        // a new day: a fresh session on the next tick, unless a CNC position goes on overnight in this one
        if (h.bot.config.product !== 'CNC' || isFlat(h)) return this.drop(h, true);
        h.date = istDate(now);
        await this.logCarry(h);
      }
      h.bot = bot;
      return this.apply(h);
    }
    if (!wanted(bot)) return;
    const lease = await this.opts.store.bots.acquireLease(userId, bot.id, this.opts.holder, now, this.leaseMs);
    if (lease) await this.begin(userId, bot, lease);
  }

  /** A newly held bot: a session rebuilt from its segment's minutes and orders, then the user's wishes. */
  private async begin(userId: string, bot: BotRecord, lease: Lease): Promise<void> {
    const { store, now } = this.opts;
    const t = now();
    const date = istDate(t);
    const instruments = await this.opts.instruments(userId, bot.config.symbols);
    const tokens = new Set(instruments.map((i) => i.instrument_token));
    const segment = bot.status === 'stopped' ? null : await this.segmentOf(userId, bot, date);
    const from = segment?.from ?? minuteOf(t);
    const start = istDate(from);
    const session = new BotSession({ bot, instruments, fills: this.opts.fills(userId), bots: store.bots, token: lease.token, place: this.opts.place(userId), now, date, start, ...(this.opts.pace ? { pace: this.opts.pace } : {}) });
    const h: Held = { userId, bot, lease, session, tokens, date, from, start, last: -Infinity, paused: false, flattened: false };
    this.held.set(bot.id, h);
    await this.warm(h);
    if (segment === null) {
      await this.log(h, 'session', `trading from ${formatIst(from)}`, { from });
    } else {
      if (segment.carry) await this.logCarry(h);
      // the last minute logged may have died inside its step (logged first, then stepped): it is stepped again, live
      const minutes = await this.minutesOf(h);
      const last = minutes.pop();
      const until = last?.t ?? Infinity;
      const mine = botOrders(await store.orders(userId), bot.id).filter((o) => o.bot_key && parseOrderKey(o.bot_key).minute >= from && parseOrderKey(o.bot_key).minute < until);
      // the commands given in the segment, again after the minute each followed
      const commands = [...segment.commands];
      const upTo = (t: number) => {
        while (commands.length > 0 && commands[0]!.after <= t) runCommand(h, commands.shift()!.command);
      };
      upTo((minutes[0]?.t ?? until) - 1);
      const r = await session.recover(minutes, mine, from, until, upTo);
      if (!r.ok) return this.drop(h, true, `needs review: ${r.reason}`);
      this.emit(userId, bot.id, 'recovered', `recovered from ${minutes.length} minutes (${r.toPlace.length} orders placed, ${r.toMark.length} found placed)`);
      if (last) await this.stepHeld(h, last, true);
      upTo(Infinity);
      if (!this.held.has(bot.id)) return;
    }
    await this.apply(h);
  }

  /**
   * The warm-up days' minutes into a fresh session, before recover or any step (bots.md: no decision
   * until every indicator is stable). Without history the bot runs cold: one 'warmup' event with
   * the reason (data.cold, which `algo bot parity` follows).
   */
  private async warm(h: Held): Promise<void> {
    const from = warmFromOf(h.bot.config, h.start);
    let minutes: Minute[];
    try {
      minutes = await this.opts.history(h.userId, h.bot.config.symbols, from, h.start);
    } catch (err) {
      const reason = describeError(err);
      await this.log(h, 'warmup', `running cold: no history for its warm-up days from ${from} (${reason}); it decides once its indicators have warmed up on today's bars`, { cold: true, from, date: h.start, reason });
      return;
    }
    h.session.warm(minutes);
    this.emit(h.userId, h.bot.id, 'warmup', `warmed up on ${minutes.length} minutes from ${from}`);
  }

  /**
   * The bot's segment today: its latest 'session' event (data.from, and data.date when it was
   * carried into another day), with the commands given since, when that segment is today's; or,
   * for a CNC bot whose latest segment began on an earlier day and whose orders since then leave it
   * holding a position in the account, that segment, carried into today (carry). Else null.
   */
  private async segmentOf(userId: string, bot: BotRecord, date: string): Promise<(Segment & { carry: boolean }) | null> {
    let seg: (Segment & { dates: Set<string> }) | null = null;
    for (let after = 0; ; ) {
      const page = await this.opts.store.bots.events(userId, { botId: bot.id, after });
      for (const e of page) {
        const f = e.data?.from;
        if (e.kind === 'session' && typeof f === 'number' && e.at >= bot.epoch) {
          const day = typeof e.data?.date === 'string' ? e.data.date : istDate(f);
          if (seg && seg.from === f) seg.dates.add(day);
          else seg = { from: f, commands: [], dates: new Set([day]) };
        } else if (e.kind === 'command' && seg) seg.commands.push({ command: e.data!.command as Command, after: typeof e.data!.after === 'number' ? e.data!.after : -Infinity });
      }
      if (page.length === 0) break;
      after = page.at(-1)!.seq;
    }
    if (!seg) return null;
    if (seg.dates.has(date)) return { from: seg.from, commands: seg.commands, carry: false };
    if (bot.config.product !== 'CNC' || istDate(seg.from) >= date) return null;
    const held = new Map<string, number>();
    for (const o of botOrders(await this.opts.store.orders(userId), bot.id)) {
      if (!o.bot_key || parseOrderKey(o.bot_key).minute < seg.from) continue;
      const k = `${o.exchange}:${o.tradingsymbol}`;
      held.set(k, (held.get(k) ?? 0) + (o.transaction_type === 'BUY' ? 1 : -1) * o.filled_quantity);
    }
    return [...held.values()].some((q) => q !== 0) ? { from: seg.from, commands: seg.commands, carry: true } : null;
  }

  /** A CNC position held into a new day: the segment goes on, and its log says so (segmentOf finds it there after a restart). */
  private async logCarry(h: Held): Promise<void> {
    await this.log(h, 'session', `holding its CNC position into ${h.date}: its session from ${formatIst(h.from)} goes on`, { from: h.from, date: h.date, carried: true });
  }

  /** The logged minutes of the held bot's segment, from its first minute through today. */
  private async minutesOf(h: Held): Promise<MinuteGroup[]> {
    const out: MinuteGroup[] = [];
    for (const d of datesFrom(h.start, h.date)) out.push(...(await this.opts.barLog.minutes([...h.tokens], d, h.from)));
    return out;
  }

  /** The user's wishes on a held bot: pause, resume, flatten, stop (flatten, then stopped once flat). */
  private async apply(h: Held): Promise<void> {
    const { bot, session } = h;
    if (session.stopped) return this.drop(h, session.stopped.kind !== 'lease');
    if (bot.status === 'needs_review' || bot.status === 'halted') return this.drop(h, true);
    const flatten = bot.entries_blocked || bot.desired === 'stopped';
    if (flatten && !h.flattened) await this.command(h, 'flatten');
    else if (!flatten && h.flattened) await this.command(h, 'unflatten');
    if (bot.desired === 'stopped') {
      if (isFlat(h)) {
        await this.setStatus(h, { status: 'stopped', status_reason: 'stopped by the user' });
        return this.drop(h, true);
      }
      return this.setStatus(h, { status: 'flattening', status_reason: 'exiting its positions before it stops' });
    }
    if (bot.desired === 'paused' && !h.paused) await this.command(h, 'pause');
    else if (bot.desired === 'running' && h.paused) await this.command(h, 'resume');
    await this.setStatus(h, { status: bot.desired, status_reason: null });
  }

  /** A command to the bot's Runner, logged with the last minute stepped so that a replay gives it at the same point. */
  private async command(h: Held, c: Command): Promise<void> {
    runCommand(h, c);
    await this.log(h, 'command', c, { command: c, after: Number.isFinite(h.last) ? h.last : null });
  }

  /** Write the bot's status when it changed (re-reading on a conflict). */
  private async setStatus(h: Held, patch: Required<Pick<BotPatch, 'status' | 'status_reason'>>): Promise<void> {
    const bots = this.opts.store.bots;
    for (let attempt = 1; ; attempt++) {
      const cur = await bots.get(h.userId, h.bot.id);
      if (!cur || (cur.status === patch.status && cur.status_reason === patch.status_reason)) return;
      try {
        h.bot = await bots.update(h.userId, cur.id, cur.rev, patch, this.opts.now());
        await this.log(h, 'status', `${patch.status}${patch.status_reason ? `: ${patch.status_reason}` : ''}`, { status: patch.status });
        return;
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= RETRIES) throw err;
      }
    }
  }

  /** Forget the bot, releasing its lease when asked (not when another runner already has it). */
  private async drop(h: Held, release: boolean, why?: string): Promise<void> {
    this.held.delete(h.bot.id);
    if (release) await this.opts.store.bots.releaseLease(h.userId, h.bot.id, this.opts.holder, h.lease.token);
    this.emit(h.userId, h.bot.id, 'released', why ?? `lease ${h.lease.token} ${release ? 'released' : 'lost'}`);
  }

  private async log(h: Held, kind: string, message: string, data?: Record<string, unknown>): Promise<void> {
    const e: NewBotEvent = { bot_id: h.bot.id, at: this.opts.now(), kind, message, ...(data ? { data } : {}) };
    await this.opts.store.bots.appendEvents(h.userId, [e]);
    this.emit(h.userId, h.bot.id, kind, message);
  }

  private emit(userId: string, botId: string, kind: string, message: string): void {
    this.opts.onEvent?.({ userId, botId, kind, message });
  }

  /** One bot's failure is reported and the others go on. */
  private async guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (this.opts.onError) this.opts.onError(err);
      else throw new Error(describeError(err), { cause: err });
    }
  }

  /** tick, onMinutes and close one at a time. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

type Command = 'flatten' | 'unflatten' | 'pause' | 'resume';

interface Segment {
  from: number;
  commands: Array<{ command: Command; after: number }>;
}

/** pause/resume block and allow entries (exits go on) unless a flatten already blocks them. */
function runCommand(h: Held, c: Command): void {
  const runner = h.session.runner;
  if (c === 'flatten') {
    runner.flatten(h.bot.desired === 'stopped' ? 'stop' : 'flatten requested');
    h.flattened = true;
  } else if (c === 'unflatten') {
    runner.allowEntries();
    h.flattened = h.paused = false;
  } else if (c === 'pause') {
    if (!h.flattened) runner.blockEntries('paused by the user');
    h.paused = true;
  } else {
    if (!h.flattened) runner.allowEntries();
    h.paused = false;
  }
}

/** A bot some runner must hold: running or paused, or stopping with its last runner gone mid-way. */
export function wanted(bot: BotRecord): boolean {
  if (bot.status === 'needs_review' || bot.status === 'halted') return false;
  return bot.desired !== 'stopped' || bot.status !== 'stopped';
}

const isFlat = (h: Held): boolean => [...h.session.runner.account.positions.values()].every((p) => p.quantity === 0);
