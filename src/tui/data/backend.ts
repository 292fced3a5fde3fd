import type { BacktestRequest, BacktestRunOptions } from '../../app/backtest.js';
import type { BacktestResult } from '../../core/backtest/types.js';
import type { OrderChanges, OrderRequest, PaperOrder } from '../../core/paper/types.js';
import type { PaperSnapshot, PortfolioSnapshot, ProfileEntry, ProfileInfo, QuoteView, TickerStatus } from '../model.js';

/**
 * Everything the dashboard needs from the world for one profile. The real implementation
 * (open-backend.ts) is built from the Kite client, the ticker and the paper service; the
 * controller only talks to this.
 */

export interface PaperPort {
  /** The engine fills outside NSE hours (an always-open sandbox). */
  readonly alwaysOpen?: boolean;
  snapshot(): Promise<PaperSnapshot>;
  /** The store's meta version: changes whenever any process changes the account. */
  version(): Promise<number>;
  /** Place an order; a refused order comes back with status REJECTED and its reason (or throws RejectedError). */
  place(req: OrderRequest): Promise<PaperOrder>;
  modify(orderId: string, changes: OrderChanges): Promise<PaperOrder>;
  cancel(orderId: string): Promise<PaperOrder>;
  /** Close a position at market; says what happened. */
  squareOff(positionKey: string): Promise<string>;
  /** A live quote, so resting orders fill while the dashboard is open. */
  onQuote(q: QuoteView): void;
  /** Start the engine's background work (catch-up, 15:20 square-off); called once the first frame has its data. */
  start?(): void;
}

/** Where the live stream delivers to the dashboard. */
export interface StreamSink {
  quote(q: QuoteView): void;
  state(s: TickerStatus): void;
  /** The ticker refused the credentials (HTTP 403): the session is no longer valid. */
  authFailed(message: string): void;
}

export interface LiveStream {
  setInstruments(tokens: ReadonlyMap<number, string>): void;
  start(): void;
  stop(): void;
}

export interface DeskBackend {
  readonly profile: ProfileInfo;
  portfolio(): Promise<PortfolioSnapshot>;
  readonly paper: PaperPort;
  /** Current quotes of instruments ("NSE:INFY"); unknown instruments are left out. */
  quotes(keys: readonly string[]): Promise<QuoteView[]>;
  stream(sink: StreamSink): LiveStream;
  /** Today's 5-minute closes (paise) and the start of the last candle, for a sparkline; empty when none. */
  history?(token: number): Promise<{ points: number[]; at: number }>;
  close(): Promise<void>;
}

/** A profile's paper account alone, from the store, while it has no live session: shown, never traded. */
export interface PaperOnly {
  readonly profile: ProfileInfo;
  readonly paper: PaperPort;
  close(): Promise<void>;
}

export interface SignInOptions {
  signal: AbortSignal;
  /** The login URL, once a browser sign-in waits for it (a sandbox profile signs in without one). */
  onUrl(url: string): void;
}

export interface BackendFactory {
  /** Open the profile's backend; throws AuthError when it has no live session. */
  open(profile: string): Promise<DeskBackend>;
  profiles(): Promise<ProfileEntry[]>;
  /** The profile's paper account without a session (null when the profile has no user yet). */
  openPaperOnly?(profile: string): Promise<PaperOnly | null>;
  /** Sign the profile in again: a sandbox one as its demo user, a live one in the browser. Resolves once signed in. */
  signIn?(profile: string, opts: SignInOptions): Promise<void>;
  /** Run a backtest for the profile's user in a worker thread and store it (src/app/backtest.ts runProfileBacktest). */
  backtest?(profile: string, req: BacktestRequest, opts: BacktestRunOptions): Promise<BacktestResult>;
}
