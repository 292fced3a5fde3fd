import { checkDate } from '../core/backtest/feed-days.js';
import { ConflictError, isBotId, type BotPatch, type BotStore } from '../core/bot/store.js';
import type { BotEvent, BotRecord, Lease, NewBotEvent } from '../core/bot/types.js';
import type { Clock } from '../core/clock.js';
import { UsageError } from '../core/errors.js';
import { istDate } from '../core/ist.js';
import type { PaperTrade } from '../core/paper/types.js';
import type { PaperStore } from '../core/store/types.js';
import { BOT_LIMITS, botNameOf, configOf, type BotInput, type BotLimits } from './bot-config.js';
import type { AppContext } from './context.js';

export { BOT_LIMITS, BotInputError, botLimitsFrom, LimitError, type BotInput, type BotLimits } from './bot-config.js';

/**
 * The desk every face goes through to create and manage a user's bots (issue 14): the CLI now,
 * the REST API later, with the same checks and the same one-line refusals. The desk only records
 * what the user wants (desired state, blocked entries, an event per request); the runner that
 * holds a bot's lease acts on it. With no runner holding the lease, pause also sets the status,
 * and so does stop when the bot has nothing open (else it waits for a runner to exit first).
 */

export interface BotDeskOptions {
  bots: BotStore;
  /** The paper accounts, for a bot's trades (orders tagged with its id). */
  paper: Pick<PaperStore, 'orders' | 'trades'>;
  clock: Clock;
  limits?: Partial<BotLimits>;
}

export type BotAction = 'start' | 'stop' | 'pause' | 'resume';

const RETRIES = 3;

export class BotDesk {
  private readonly bots: BotStore;
  private readonly paper: BotDeskOptions['paper'];
  private readonly clock: Clock;
  readonly limits: BotLimits;

  constructor(opts: BotDeskOptions) {
    this.bots = opts.bots;
    this.paper = opts.paper;
    this.clock = opts.clock;
    this.limits = { ...BOT_LIMITS, ...opts.limits };
  }

  async create(userId: string, input: BotInput & { name: string }): Promise<BotRecord> {
    const name = botNameOf(input.name);
    const config = configOf(input, this.limits);
    // the store counts the user's bots inside the insert's write: racing creates never pass the limit
    const bot = await this.bots.create(userId, { name, config, now: this.clock.now(), max: this.limits.botsPerUser });
    await this.event(userId, bot, 'created', `created (version ${bot.version})`, { version: bot.version });
    return bot;
  }

  list(userId: string): Promise<BotRecord[]> {
    return this.bots.list(userId);
  }

  /** By name (any case) or id; an unknown one (or another user's) is one line. */
  async show(userId: string, nameOrId: string): Promise<BotRecord> {
    const bot = await this.bots.get(userId, nameOrId);
    if (!bot) throw unknownBot(userId, nameOrId);
    return bot;
  }

  /** A new config version from the given inputs over the current config (and a new name with `name`); only when stopped. */
  async edit(userId: string, nameOrId: string, input: BotInput & { name?: string }): Promise<BotRecord> {
    if (Object.values(input).every((v) => v === undefined)) throw new UsageError('nothing to change', 'give the flags to change, e.g. algo bot edit NAME --qty 20 (algo bot edit --help lists them)');
    return this.change(userId, nameOrId, async (bot) => {
      await this.mustBeStopped(userId, bot, 'edit');
      const patch: BotPatch = { config: configOf(input, this.limits, bot.config) };
      if (input.name !== undefined && input.name !== bot.name) patch.name = botNameOf(input.name);
      return { patch, kind: 'edited', message: `edited (version ${bot.version + 1})`, data: { version: bot.version + 1 } };
    });
  }

  /** Remove a stopped bot (its events stay, so its log can still be read by id). */
  async remove(userId: string, nameOrId: string): Promise<BotRecord> {
    const bot = await this.show(userId, nameOrId);
    await this.mustBeStopped(userId, bot, 'remove');
    await this.event(userId, bot, 'removed', `removed ${bot.name}`);
    await this.bots.remove(userId, bot.id);
    return bot;
  }

  start(userId: string, nameOrId: string): Promise<BotRecord> {
    return this.act(userId, nameOrId, 'start');
  }

  stop(userId: string, nameOrId: string): Promise<BotRecord> {
    return this.act(userId, nameOrId, 'stop');
  }

  pause(userId: string, nameOrId: string): Promise<BotRecord> {
    return this.act(userId, nameOrId, 'pause');
  }

  resume(userId: string, nameOrId: string): Promise<BotRecord> {
    return this.act(userId, nameOrId, 'resume');
  }

  /**
   * start: desired running, entries allowed again (after a flatten or the kill switch). stop: desired
   * stopped. pause: no new entries or exits decided, positions kept. resume: running again. Asking
   * for the state a bot is already in changes nothing and logs nothing.
   */
  async act(userId: string, nameOrId: string, action: BotAction): Promise<BotRecord> {
    return this.change(userId, nameOrId, async (bot) => {
      const desired = action === 'stop' ? 'stopped' : action === 'pause' ? 'paused' : 'running';
      if (action === 'pause' && bot.desired === 'stopped') throw new UsageError(`bot ${bot.name} is stopped; there is nothing to pause`, `start it: algo bot start ${bot.name}`);
      if (action === 'resume' && bot.desired !== 'paused') throw new UsageError(`bot ${bot.name} is not paused (it is ${bot.desired})`, bot.desired === 'stopped' ? `start it: algo bot start ${bot.name}` : 'resume is for a paused bot');
      const unblock = action === 'start' && bot.entries_blocked;
      if (bot.desired === desired && !unblock) return null;
      const patch: BotPatch = { desired };
      if (unblock) patch.entries_blocked = false;
      if (action === 'pause' && !(await this.runnerHolds(userId, bot))) Object.assign(patch, { status: 'paused', status_reason: 'paused by the user' });
      if (action === 'stop') Object.assign(patch, await this.stopStatus(userId, bot, 'stopped by the user'));
      // started again before a runner took the stop: the waiting note no longer applies
      if (action === 'start' && bot.status_reason === WAITING) patch.status_reason = null;
      return { patch, kind: action, message: `${action} requested${unblock ? '; entries allowed again' : ''}` };
    });
  }

  /** Exit the bot's positions and block its entries: the runner does the exits; the desired state stays. */
  async flatten(userId: string, nameOrId: string): Promise<BotRecord> {
    return this.change(userId, nameOrId, async () => ({ patch: { entries_blocked: true }, kind: 'flatten', message: 'flatten requested: exit the positions, no new entries' }));
  }

  /** The panic switch: every bot of the user flattened, stopped, entries blocked. */
  async kill(userId: string): Promise<BotRecord[]> {
    const out: BotRecord[] = [];
    for (const b of await this.bots.list(userId)) {
      out.push(
        await this.change(userId, b.id, async (bot) => {
          const patch: BotPatch = { desired: 'stopped', entries_blocked: true, ...(await this.stopStatus(userId, bot, 'kill switch')) };
          return { patch, kind: 'flatten', message: 'kill switch: exit the positions, stop, no new entries', data: { by: 'kill' }, also: { kind: 'stop', message: 'stop requested (kill switch)', data: { by: 'kill' } } };
        }),
      );
    }
    return out;
  }

  /** The bot's events, oldest first, after seq `after`; a removed bot's by its id. */
  async logs(userId: string, nameOrId: string, q: { after?: number; limit?: number } = {}): Promise<BotEvent[]> {
    const bot = (await this.bots.get(userId, nameOrId)) ?? (isBotId(nameOrId) && (await this.bots.events(userId, { botId: nameOrId, limit: 1 })).length > 0 ? { id: nameOrId } : null);
    if (!bot) throw unknownBot(userId, nameOrId);
    if (q.after !== undefined && !(Number.isSafeInteger(q.after) && q.after >= 0)) throw new UsageError(`--after ${JSON.stringify(String(q.after))} is not an event number`, 'give the SEQ of an event from algo bot logs, e.g. --after 12');
    if (q.limit !== undefined && !(Number.isSafeInteger(q.limit) && q.limit >= 1 && q.limit <= 1000)) throw new UsageError(`--limit ${JSON.stringify(String(q.limit))} is not a count`, 'give a whole number from 1 to 1000, e.g. --limit 50');
    return this.bots.events(userId, { botId: bot.id, ...(q.after !== undefined ? { after: q.after } : {}), ...(q.limit !== undefined ? { limit: q.limit } : {}) });
  }

  /** The account's fills of the bot's orders (tagged with its id), in fill order; on one IST date with `date`. */
  async trades(userId: string, nameOrId: string, q: { date?: string } = {}): Promise<PaperTrade[]> {
    if (q.date !== undefined) checkDate('--date', q.date);
    const bot = await this.show(userId, nameOrId);
    return (await this.tagged(userId, bot.id)).filter((t) => q.date === undefined || istDate(t.filled_at) === q.date);
  }

  /**
   * Whether the bot may hold something only its runner can exit: a net quantity in any of its
   * tagged fills (per symbol and product), or an outbox order still pending.
   */
  async holdsPositions(userId: string, bot: BotRecord): Promise<boolean> {
    const net = new Map<string, number>();
    for (const t of await this.tagged(userId, bot.id)) {
      const key = `${t.exchange}:${t.tradingsymbol}:${t.product}`;
      net.set(key, (net.get(key) ?? 0) + (t.transaction_type === 'BUY' ? t.quantity : -t.quantity));
    }
    if ([...net.values()].some((q) => q !== 0)) return true;
    return (await this.bots.orders(userId, bot.id, { status: 'pending' })).length > 0;
  }

  /** Each bot's fills (by bot id) on one IST day, from one read of the account: the dashboard's table of many bots. */
  async tradesByBot(userId: string, botIds: readonly string[], date: string): Promise<Record<string, PaperTrade[]>> {
    checkDate('--date', date);
    return this.byBot(userId, botIds, date);
  }

  /** The fills of the account's orders tagged with each bot (on `date` only, when given). */
  private async byBot(userId: string, botIds: readonly string[], date?: string): Promise<Record<string, PaperTrade[]>> {
    const wanted = new Set(botIds);
    const botOf = new Map<string, string>();
    for (const o of await this.paper.orders(userId)) if (o.tag !== null && wanted.has(o.tag)) botOf.set(o.order_id, o.tag);
    const out: Record<string, PaperTrade[]> = Object.fromEntries(botIds.map((id) => [id, []]));
    for (const t of await this.paper.trades(userId)) {
      const bot = botOf.get(t.order_id);
      if (bot !== undefined && (date === undefined || istDate(t.filled_at) === date)) out[bot]!.push(t);
    }
    return out;
  }

  private async tagged(userId: string, botId: string): Promise<PaperTrade[]> {
    return (await this.byBot(userId, [botId]))[botId]!;
  }

  /**
   * The status a stop writes itself (fail-safe): none while a runner holds the bot (it flattens,
   * then says stopped); stopped when nothing is open, or the bot is halted or needs review (no
   * runner acts on those; the stop is the user's word on them); else the status stays and the
   * reason says a runner must come to exit the positions (host.ts picks such a bot up).
   */
  private async stopStatus(userId: string, bot: BotRecord, reason: string): Promise<Pick<BotPatch, 'status' | 'status_reason'>> {
    if (await this.runnerHolds(userId, bot)) return {};
    if (!isActive(bot) || !(await this.holdsPositions(userId, bot))) return { status: 'stopped', status_reason: reason };
    return { status_reason: WAITING };
  }

  /** The runner that holds the bot now (an unexpired lease), or null. */
  async runner(userId: string, bot: BotRecord): Promise<Lease | null> {
    const lease = await this.bots.lease(userId, bot.id);
    return lease !== null && lease.expires_at > this.clock.now() ? lease : null;
  }

  private async runnerHolds(userId: string, bot: BotRecord): Promise<boolean> {
    return (await this.runner(userId, bot)) !== null;
  }

  private async mustBeStopped(userId: string, bot: BotRecord, what: 'edit' | 'remove'): Promise<void> {
    if (bot.desired !== 'stopped') throw new UsageError(`bot ${bot.name} is ${bot.desired}; stop it before you ${what} it`, `algo bot stop ${bot.name}`);
    if (await this.runnerHolds(userId, bot)) throw new UsageError(`bot ${bot.name} is still stopping (a runner holds it)`, `wait until algo bot show ${bot.name} says stopped, then ${what} it`);
    if (isActive(bot) && (await this.holdsPositions(userId, bot))) throw new UsageError(`bot ${bot.name} is still stopping (${bot.status} with positions open, ${WAITING})`, `then ${what} it once algo bot show ${bot.name} says stopped`);
  }

  /** Read, decide, compare-and-set (again on a conflict), then log the request. */
  private async change(userId: string, nameOrId: string, decide: (bot: BotRecord) => Promise<Change | null>): Promise<BotRecord> {
    for (let attempt = 1; ; attempt++) {
      const bot = await this.show(userId, nameOrId);
      const c = await decide(bot);
      if (!c) return bot;
      try {
        const next = await this.bots.update(userId, bot.id, bot.rev, c.patch, this.clock.now());
        await this.event(userId, next, c.kind, c.message, c.data);
        if (c.also) await this.event(userId, next, c.also.kind, c.also.message, c.also.data);
        return next;
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= RETRIES) throw err;
      }
    }
  }

  private async event(userId: string, bot: BotRecord, kind: string, message: string, data?: Record<string, unknown>): Promise<void> {
    const e: NewBotEvent = { bot_id: bot.id, at: this.clock.now(), kind, message, data: { by: 'user', ...data } };
    await this.bots.appendEvents(userId, [e]);
  }
}

/** Running, paused or flattening: a runner's to finish (stopped, halted and needs_review are no runner's). */
const isActive = (bot: Pick<BotRecord, 'status'>): boolean => bot.status === 'running' || bot.status === 'paused' || bot.status === 'flattening';

/** The reason a stopping bot shows while its positions wait for a runner to exit them. */
export const WAITING = 'waiting for a runner: start `algo bot run` or `algo serve`';

const unknownBot = (userId: string, nameOrId: string): UsageError => new UsageError(`no bot named ${JSON.stringify(nameOrId)} for ${userId}`, 'algo bot list shows your bots');

interface Change {
  patch: BotPatch;
  kind: string;
  message: string;
  data?: Record<string, unknown>;
  also?: { kind: string; message: string; data?: Record<string, unknown> };
}

/** The selected profile's user and a desk on its store; close() when done. */
export interface ProfileBots {
  userId: string;
  desk: BotDesk;
  close(): Promise<void>;
}

export async function openProfileBots(ctx: AppContext, env: NodeJS.ProcessEnv = process.env): Promise<ProfileBots> {
  const [{ requireSession }, { openStore }, { botLimitsFrom }] = await Promise.all([import('../core/auth/require.js'), import('../core/store/open.js'), import('./bot-config.js')]);
  const limits = botLimitsFrom(env);
  const session = await requireSession(ctx);
  const store = await openStore(ctx.settings.store);
  return { userId: session.user_id, desk: new BotDesk({ bots: store.bots, paper: store, clock: ctx.clock, limits }), close: () => store.close() };
}
