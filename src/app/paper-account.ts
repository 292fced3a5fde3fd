import type { Paise } from '../core/money.js';
import type { CatchUpProgress } from '../core/paper/catchup.js';
import type { ContractNote } from '../core/paper/contract-note.js';
import type { InstrumentRef, OrderListOptions, PaperService } from '../core/paper/service.js';
import type { PaperStats } from '../core/paper/stats.js';
import type { OrderChanges, OrderRequest, PaperMeta, PaperOrder, PaperTrade } from '../core/paper/types.js';
import type { Funds, LivePosition, Portfolio } from '../core/paper/views.js';

/**
 * One user's paper account: the only way the CLI, the dashboard and the API reach the paper
 * engine. Every method applies the same rules for every face: input that can never be an order
 * throws OrderInputError (nothing stored), an order that breaks an account rule comes back
 * REJECTED (stored), an unknown order throws PaperNotFoundError.
 */
export class PaperAccount {
  constructor(
    private readonly service: PaperService,
    readonly userId: string,
    /** Runs before every call, told the instruments the call needs (a live account catches up from Kite's candles first). */
    private readonly before: (needs?: InstrumentRef[]) => Promise<void> = async () => undefined,
  ) {}

  private async call<T>(fn: () => Promise<T>, needs?: InstrumentRef[]): Promise<T> {
    await this.before(needs);
    return fn();
  }

  /**
   * Bring the account up to now (resting orders, square-offs, expiries) from the time it missed;
   * `onProgress` hears of each day done. This starts a command: its quotes come in one batch with
   * those of `for` (the instrument of the order it will place), reused for the rest of it.
   */
  async catchUp(opts: { onProgress?: (p: CatchUpProgress) => void; for?: InstrumentRef[] } = {}): Promise<void> {
    await this.service.catchUp(this.userId, { ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), for: opts.for ?? [], hold: true });
  }

  place(request: OrderRequest): Promise<PaperOrder> {
    return this.call(() => this.service.place(this.userId, request), [request]);
  }

  modify(orderId: string, changes: OrderChanges): Promise<PaperOrder> {
    return this.call(() => this.service.modify(this.userId, orderId, changes));
  }

  cancel(orderId: string): Promise<PaperOrder> {
    return this.call(() => this.service.cancel(this.userId, orderId));
  }

  /** Exit one open position ("INFY", "NSE:INFY") or all of them at market; the exit orders as stored. */
  squareOff(target: { symbol?: string | undefined; all?: boolean | undefined }): Promise<PaperOrder[]> {
    const t: { symbol?: string; all?: boolean } = {};
    if (target.symbol) t.symbol = target.symbol;
    if (target.all) t.all = true;
    return this.call(() => this.service.squareOff(this.userId, t));
  }

  /** Start again with `capital` paise (default: the configured capital), at most ₹100 crore. */
  reset(capital?: Paise): Promise<PaperMeta> {
    return this.call(() => this.service.reset(this.userId, capital));
  }

  /** Oldest first, as Kite's order book, unless `newestFirst`; `open` keeps the open ones (OPEN, TRIGGER PENDING, AMO REQ RECEIVED), `date` one IST day's. */
  orders(opts: OrderListOptions = {}): Promise<PaperOrder[]> {
    return this.call(() => this.service.orders(this.userId, opts));
  }

  order(orderId: string): Promise<PaperOrder> {
    return this.call(() => this.service.order(this.userId, orderId));
  }

  positions(): Promise<LivePosition[]> {
    return this.call(() => this.service.positions(this.userId));
  }

  holdings(): Promise<LivePosition[]> {
    return this.call(() => this.service.holdings(this.userId));
  }

  /** Every fill, or one order's. */
  trades(orderId?: string): Promise<PaperTrade[]> {
    return this.call(() => this.service.trades(this.userId, orderId));
  }

  /** The contract note of an IST day (default today): its trades, each charge item per scrip and in total, DP and square-off apart. */
  contractNote(date?: string): Promise<ContractNote> {
    return this.call(() => this.service.contractNote(this.userId, date));
  }

  funds(): Promise<Funds> {
    return this.call(() => this.service.funds(this.userId));
  }

  stats(): Promise<PaperStats> {
    return this.call(() => this.service.stats(this.userId));
  }

  portfolio(): Promise<Portfolio> {
    return this.call(() => this.service.portfolio(this.userId));
  }

  /** Changes whenever any process changes the account (-1 before it exists). */
  version(): Promise<number> {
    return this.service.version(this.userId);
  }

  /**
   * Watch for changes made by anyone (this process, a script, the API, a bot): `onChange` runs
   * with the new version each time it moves. Returns the function that stops watching.
   */
  watch(onChange: (version: number) => void, opts: { everyMs?: number; onError?: (e: unknown) => void } = {}): () => void {
    let last: number | null = null;
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try {
        const v = await this.version();
        if (last !== null && v !== last) onChange(v);
        last = v;
      } catch (e) {
        opts.onError?.(e);
      } finally {
        busy = false;
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), opts.everyMs ?? 500);
    timer.unref?.();
    return () => clearInterval(timer);
  }
}
