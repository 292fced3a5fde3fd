import type { ProfileBots } from '../../app/bots.js';
import type { BotEvent, BotRecord } from '../../core/bot/types.js';
import type { Clock } from '../../core/clock.js';
import { describeError } from '../../core/errors.js';
import { istDate } from '../../core/ist.js';
import type { PaperTrade } from '../../core/paper/types.js';
import { Store } from '../state/store.js';
import type { UiEvent } from '../state/ui.js';
import { stateText } from '../../app/bot-json.js';
import { isSignal } from './rows.js';
import type { BotEffect } from './keys.js';

/** What the Bots tab shows: the user's bots, today's trades and the latest events of each. */
export interface BotsData {
  loaded: boolean;
  error: string | null;
  bots: BotRecord[];
  /** Today's fills of each bot (BotDesk.trades), by bot id. */
  trades: Record<string, PaperTrade[]>;
  /** The latest 'fill' or 'blocked' event of each bot. */
  signals: Record<string, BotEvent>;
  /** The last LOG_KEEP events of each bot, oldest first. */
  logs: Record<string, BotEvent[]>;
  /** The highest event seq read. */
  seq: number;
}

export const LOG_KEEP = 200;
const PAGE = 1000;

export const initialBots = (): BotsData => ({ loaded: false, error: null, bots: [], trades: {}, signals: {}, logs: {}, seq: 0 });

/** What the screen needs for the Bots tab (absent: the tab says bots are not available). */
export interface BotsPort {
  readonly store: Store<BotsData, Partial<BotsData>>;
  run(effect: BotEffect): Promise<UiEvent>;
}

export interface BotsFeedOptions {
  /** The user and their desk, or how to open a profile's (src/app/bots.ts openProfileBots) once the feed starts. */
  bots: ProfileBots | ((profile: string) => Promise<ProfileBots>);
  /** The profile to open first, with a function `bots`. */
  profile?: string;
  clock: Clock;
  /** How often new events are looked for (default 1000 ms). */
  pollMs?: number;
  /**
   * Runs the profile's bots while the dashboard is open (src/tui/start.ts dashboardBotRunner):
   * started for the profile once its desk opens, stopped on a switch (then started for the new
   * one) and when the feed stops.
   */
  runner?: { start(profile: string): void; stop(): Promise<void> };
}

/**
 * Keeps the Bots tab's data: every second it lists the bots and reads each one's events after the
 * last seq read (BotDesk.logs), and reloads their trades when anything changed. It carries out
 * the tab's keys through BotDesk, so the tab refuses what the CLI refuses, in the same words.
 */
export class BotsFeed implements BotsPort {
  readonly store = new Store<BotsData, Partial<BotsData>>(initialBots(), (s, a) => ({ ...s, ...a }));
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  /** A forced read asked for while one was under way: done right after it. */
  private again = false;
  private bots: ProfileBots | null;
  private profile: string;

  constructor(private readonly opts: BotsFeedOptions) {
    this.bots = typeof opts.bots === 'function' ? null : opts.bots;
    this.profile = opts.profile ?? '';
  }

  /** Open the desk if need be, read once, then poll; a desk that does not open is the tab's error line. */
  async start(): Promise<void> {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs ?? 1000);
    if (!(await this.open())) return;
    this.opts.runner?.start(this.profile);
    await this.poll();
  }

  /** Show another profile's bots (the dashboard switched profile): the old desk closed, the tab read afresh. */
  async switchTo(profile: string): Promise<void> {
    if (typeof this.opts.bots !== 'function' || profile === this.profile) return;
    this.profile = profile;
    const old = this.bots;
    this.bots = null;
    this.store.dispatch(initialBots());
    await this.opts.runner?.stop();
    await old?.close();
    if (!this.timer || !(await this.open())) return;
    this.opts.runner?.start(profile);
    await this.poll();
  }

  private async open(): Promise<boolean> {
    const source = this.opts.bots;
    if (typeof source !== 'function') return true;
    const profile = this.profile;
    try {
      const opened = await source(profile);
      // stopped or switched meanwhile
      if (!this.timer || profile !== this.profile) {
        await opened.close();
        return false;
      }
      this.bots = opened;
      return true;
    } catch (e) {
      if (profile === this.profile) this.store.dispatch({ loaded: true, error: `bots: ${describeError(e)}` });
      return false;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.opts.runner?.stop();
    if (typeof this.opts.bots === 'function') await this.bots?.close();
  }

  /** Read each bot's events after the last seq read; reload the trades when anything changed (or on `force`). */
  async poll(force = false): Promise<void> {
    const bound = this.bots;
    if (!bound) return;
    if (this.busy) {
      this.again ||= force;
      return;
    }
    this.busy = true;
    try {
      const { desk, userId } = bound;
      const clock = this.opts.clock;
      const s = this.store.getState();
      const bots = await desk.list(userId);
      const fresh: BotEvent[] = [];
      for (const b of bots) fresh.push(...(await this.newEvents(bound, b.id, s.logs[b.id]?.at(-1)?.seq ?? 0)));
      const same = s.loaded && bots.length === s.bots.length && bots.every((b, i) => b.id === s.bots[i]!.id && b.rev === s.bots[i]!.rev);
      if (same && fresh.length === 0 && !force) return;
      const today = istDate(clock.now());
      const trades = await desk.tradesByBot(userId, bots.map((b) => b.id), today);
      if (bound === this.bots) this.store.dispatch({ loaded: true, error: null, bots, trades, ...withEvents(s, fresh) });
    } catch (e) {
      if (bound === this.bots) this.store.dispatch({ loaded: true, error: describeError(e) });
    } finally {
      this.busy = false;
      if (this.again) {
        this.again = false;
        void this.poll(true);
      }
    }
  }

  private async newEvents({ desk, userId }: ProfileBots, botId: string, after: number): Promise<BotEvent[]> {
    const out: BotEvent[] = [];
    for (let seq = after; ; ) {
      const page = await desk.logs(userId, botId, { after: seq, limit: PAGE });
      out.push(...page);
      if (page.length < PAGE) return out;
      seq = page[page.length - 1]!.seq;
    }
  }

  async run(effect: BotEffect): Promise<UiEvent> {
    if (!this.bots) return { type: 'message', text: this.store.getState().error ?? 'bots are still loading', tone: 'error' };
    const { desk, userId } = this.bots;
    try {
      let text: string;
      if (effect.type === 'bot-kill') {
        const stopped = await desk.kill(userId);
        text = `kill switch: ${stopped.length} bot${stopped.length === 1 ? '' : 's'} stopping, entries blocked`;
      } else {
        const b = effect.action === 'flatten' ? await desk.flatten(userId, effect.bot) : await desk.act(userId, effect.bot, effect.action);
        text = `${b.name}: ${effect.action} requested (${stateText(b)}${b.status_reason ? `, ${b.status_reason}` : ''})`;
      }
      await this.poll(true);
      return { type: 'message', text, tone: 'ok' };
    } catch (e) {
      return { type: 'message', text: describeError(e), tone: 'error' };
    }
  }
}

function withEvents(s: BotsData, fresh: readonly BotEvent[]): Pick<BotsData, 'signals' | 'logs' | 'seq'> {
  if (fresh.length === 0) return { signals: s.signals, logs: s.logs, seq: s.seq };
  const signals = { ...s.signals };
  const logs = { ...s.logs };
  for (const e of [...fresh].sort((a, b) => a.seq - b.seq)) {
    if (isSignal(e)) signals[e.bot_id] = e;
    const log = [...(logs[e.bot_id] ?? []), e];
    logs[e.bot_id] = log.length > LOG_KEEP ? log.slice(-LOG_KEEP) : log;
  }
  return { signals, logs, seq: Math.max(s.seq, ...fresh.map((e) => e.seq)) };
}
