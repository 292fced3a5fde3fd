import { UsageError } from '../core/errors.js';
import type { BotEvent } from '../core/bot/types.js';
import type { PaperChange, PaperStore } from '../core/store/types.js';
import type { BacktestJobs } from './backtest-jobs.js';

/**
 * One user's event feed, shared by GET /api/stream and the dashboard: paper order updates and
 * fills (from the store's change log, by account version), bot events (by the user's bot event
 * seq), and backtest progress (live only: the server's in-process jobs, not resumable).
 *
 * A cursor names the last event delivered: `p<version>.b<seq>`, or `p<version>:<k>.b<seq>` when
 * only events 0..k of the change at that version were delivered. Reading after a cursor gives
 * every later event once, in order: paper events of a poll first (by version), then bot events.
 */
export interface Cursor {
  paper: number;
  /** Index of the last delivered event of change `paper`; null when that change was delivered whole. */
  part: number | null;
  bot: number;
}

export type UserEvent =
  | { id: string; type: 'order'; data: PaperChange['orders'][number] }
  | { id: string; type: 'fill'; data: PaperChange['trades'][number] }
  | { id: string; type: 'bot'; data: BotEvent }
  | { id: string; type: 'backtest'; data: Record<string, unknown> };

const CURSOR = /^p(\d{1,15})(?::(\d{1,6}))?\.b(\d{1,15})$/;

export function formatCursor(c: Cursor): string {
  return `p${c.paper}${c.part === null ? '' : `:${c.part}`}.b${c.bot}`;
}

export function parseCursor(text: string): Cursor {
  const m = CURSOR.exec(text.trim());
  if (!m) throw new UsageError(`event id ${JSON.stringify(text.slice(0, 40))} is not one of this stream's ids`, 'send the id of the last event received (like p12.b3), or none to start from now');
  return { paper: Number(m[1]), part: m[2] === undefined ? null : Number(m[2]), bot: Number(m[3]) };
}

/** Events of one change, in order: its orders, then its fills. */
function changeEvents(c: PaperChange): Array<{ type: 'order' | 'fill'; data: any }> {
  return [...c.orders.map((data) => ({ type: 'order' as const, data })), ...c.trades.map((data) => ({ type: 'fill' as const, data }))];
}

export interface UserEventsOptions {
  store: PaperStore;
  backtests?: BacktestJobs;
}

export class UserEvents {
  readonly #store: PaperStore;
  readonly #backtests: BacktestJobs | undefined;
  readonly #readers = new Map<string, number>();
  readonly #wakers = new Map<string, Set<() => void>>();

  constructor(opts: UserEventsOptions) {
    this.#store = opts.store;
    this.#backtests = opts.backtests;
  }

  /** Take one of the user's `max` reader slots: the release, or null when all are taken. */
  open(userId: string, max: number): (() => void) | null {
    const n = this.#readers.get(userId) ?? 0;
    if (n >= max) return null;
    this.#readers.set(userId, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#readers.get(userId) ?? 1) - 1;
      if (left > 0) this.#readers.set(userId, left);
      else this.#readers.delete(userId);
    };
  }

  /** Run `wake` on every nudge for the user (a reader polls at once); returns the unsubscribe. */
  onNudge(userId: string, wake: () => void): () => void {
    const set = this.#wakers.get(userId) ?? new Set();
    set.add(wake);
    this.#wakers.set(userId, set);
    return () => {
      set.delete(wake);
      if (set.size === 0 && this.#wakers.get(userId) === set) this.#wakers.delete(userId);
    };
  }

  /** Something of the user's was just committed in this process: wake its readers (others still poll). */
  nudge(userId: string): void {
    for (const wake of this.#wakers.get(userId) ?? []) wake();
  }

  /** Whether paper orders and fills are in the feed (the store keeps a change log). */
  get paper(): boolean {
    return typeof this.#store.changes === 'function';
  }

  /** The cursor of "now": the account's version and the user's last bot event. */
  async now(userId: string): Promise<Cursor> {
    const meta = await this.#store.meta(userId);
    let bot = 0;
    for (;;) {
      const page = await this.#store.bots.events(userId, { after: bot, limit: 1000 });
      if (page.length === 0) break;
      bot = page[page.length - 1]!.seq;
    }
    return { paper: meta?.version ?? 0, part: null, bot };
  }

  /** Every event after `cursor` (a bounded batch: read again until none), and the cursor after them. */
  async since(userId: string, cursor: Cursor): Promise<{ events: UserEvent[]; cursor: Cursor }> {
    const out: UserEvent[] = [];
    let { paper, part, bot } = cursor;
    if (this.#store.changes) {
      const after = part === null ? paper : paper - 1;
      for (const c of await this.#store.changes(userId, { after, limit: 200 })) {
        const evs = changeEvents(c);
        const skip = c.version === paper && part !== null ? part + 1 : 0;
        evs.forEach((e, k) => {
          if (k < skip) return;
          const last = k === evs.length - 1;
          out.push({ ...e, id: formatCursor({ paper: c.version, part: last ? null : k, bot }) });
        });
        paper = c.version;
        part = null;
      }
    }
    for (const e of await this.#store.bots.events(userId, { after: bot, limit: 500 })) {
      bot = e.seq;
      out.push({ id: formatCursor({ paper, part, bot }), type: 'bot', data: e });
    }
    return { events: out, cursor: { paper, part, bot } };
  }

  /**
   * Backtest progress not yet seen (live only): `seen` maps a run id to what was last told, and
   * a run that left the running list is told once as ended. Events carry no cursor of their own.
   */
  backtestProgress(userId: string, seen: Map<string, string>, cursor: Cursor): UserEvent[] {
    if (!this.#backtests) return [];
    const out: UserEvent[] = [];
    const id = formatCursor(cursor);
    const jobs = this.#backtests.jobs(userId);
    for (const j of jobs) {
      const data = { run_id: j.run_id, status: j.status, strategy: j.strategy, progress: j.progress, ...(j.error ? { error: j.error.message } : {}) };
      const text = JSON.stringify(data);
      if (seen.get(j.run_id) === text) continue;
      seen.set(j.run_id, text);
      out.push({ id, type: 'backtest', data });
    }
    for (const runId of seen.keys()) {
      if (jobs.some((j) => j.run_id === runId)) continue;
      seen.delete(runId);
      out.push({ id, type: 'backtest', data: { run_id: runId, status: 'ended' } });
    }
    return out;
  }
}
