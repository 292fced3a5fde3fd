import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { resolveInstruments } from '../core/backtest/feed-days.js';
import { BarLog } from '../core/bot/bar-log.js';
import { BotHost, type HostEvent } from '../core/bot/host.js';
import { MinuteBars } from '../core/bot/live-bars.js';
import { fillsOf } from '../core/bot/spec.js';
import { marketHistory } from '../core/bot/warmup.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Settings } from '../core/config.js';
import type { MarketData } from '../core/market/types.js';
import type { PaperService } from '../core/paper/service.js';
import type { PaperStore } from '../core/store/types.js';
import type { AppContext } from './context.js';
import type { KiteRoots } from './kite-env.js';

/** Who runs the bots, as their leases name it: hostname:pid:random. */
export function holderId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export interface BotRunnerOptions {
  store: PaperStore;
  /** A streaming market (its quotes build the minutes). */
  market: MarketData;
  /**
   * The market's name, as the backtest feeds name it ('sandbox' in process, 'sandbox:<api root>',
   * 'kite'): the BarLog keeps the minutes under live:<source>, and the warm-up days are Kite's
   * historical minutes (or the sandbox's) cached in the store under <source>, as `algo bot parity` reads them.
   */
  source: string;
  service: PaperService;
  clock: Clock;
  /** The users whose bots run here: the profile's, or every user with bots. */
  users(): Promise<string[]>;
  /** Market minutes per real minute (ALGO_CLOCK_SPEED; default 1): the timer runs that much faster. */
  speed?: number;
  leaseMs?: number;
  holder?: string;
  onEvent?(e: HostEvent): void;
  onError?(err: unknown): void;
}

/** A minute is released this long (market time) after it ends, for ticks still on their way. */
const CLOSE_DELAY_MS = 2_000;
const LEASE_MS = 15_000;
const MIN_LEASE_REAL_MS = 1_000;

/**
 * The bots of some users running live: a BotHost fed by MinuteBars over the market's stream, a
 * timer that ticks the host and releases closed minutes by the clock, and a subscription that follows host.tokens().
 */
export class BotRunner {
  readonly host: BotHost;
  readonly holder: string;
  private readonly bars = new MinuteBars();
  private readonly everyMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private subscribed = '';
  private unstream: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly opts: BotRunnerOptions) {
    const speed = opts.speed ?? 1;
    // a lease is market time, but must outlast a real second's hiccup on a fast clock
    const leaseMs = opts.leaseMs ?? Math.max(LEASE_MS, MIN_LEASE_REAL_MS * speed);
    this.holder = opts.holder ?? holderId();
    const history = marketHistory(opts.market, { cache: opts.store.backtests, source: opts.source, clock: opts.clock });
    // three passes per lease, four per market minute, at most one a real second
    this.everyMs = Math.max(20, Math.min(1000, leaseMs / 3 / speed, 60_000 / 4 / speed));
    this.host = new BotHost({
      store: opts.store,
      holder: this.holder,
      leaseMs,
      users: opts.users,
      instruments: (_userId, symbols) => resolveInstruments(opts.market, symbols),
      place: (userId) => (req, price, fence) => opts.service.placeFenced(userId, req, price, fence),
      fills: () => fillsOf(opts.service.config),
      history: (_userId, symbols, from, until) => history(symbols, from, until),
      barLog: new BarLog(opts.store.backtests, opts.source),
      now: () => opts.clock.now(),
      pace: { now: () => systemClock.now(), wait: (ms) => new Promise((r) => setTimeout(r, ms)) },
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
  }

  /** The first pass now, then the timer. */
  async start(): Promise<void> {
    await this.pass();
    this.schedule();
  }

  /** Stop the timer and the stream, then release every lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.unstream?.();
    this.unstream = null;
    await this.host.close();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .catch((e) => this.opts.onError?.(e))
        .finally(() => this.schedule());
    }, this.everyMs);
  }

  /** Closed minutes to the host, then a tick, then the subscription brought up to date. */
  private async pass(): Promise<void> {
    const groups = this.bars.close(this.opts.clock.now() - CLOSE_DELAY_MS);
    if (groups.length > 0) await this.host.onMinutes(groups);
    await this.host.tick();
    this.follow(this.host.tokens());
  }

  private follow(tokens: number[]): void {
    const key = tokens.join(',');
    if (key === this.subscribed || this.stopped) return;
    this.subscribed = key;
    this.unstream?.();
    this.unstream = null;
    if (tokens.length === 0 || !this.opts.market.stream) return;
    this.unstream = this.opts.market.stream(tokens, (q) => this.bars.pushQuote(q));
  }
}

/** One profile's bots, or a store's every user's: the runner and what to close after it. */
export interface OpenBotRunner {
  runner: BotRunner;
  close(): Promise<void>;
}

export interface OpenBotRunnerOptions {
  store: PaperStore;
  settings: Settings;
  clock: Clock;
  /** The market is the sandbox's, computed in process. */
  market: MarketData;
  sandbox: boolean;
  /** The market's name (BotRunnerOptions.source); default 'sandbox' on the sandbox, else 'kite'. */
  source?: string;
  users(): Promise<string[]>;
  speed?: number;
  onEvent?(e: HostEvent): void;
  onError?(err: unknown): void;
}

/** A BotRunner over a paper service of its own on the store (the account's engine settings). */
export async function botRunner(opts: OpenBotRunnerOptions): Promise<BotRunner> {
  const [{ PaperService }, { paperConfigOf }] = await Promise.all([import('../core/paper/service.js'), import('../core/paper/config.js')]);
  const service = new PaperService({ store: opts.store, market: opts.market, clock: opts.clock, config: paperConfigOf(opts.settings, opts.sandbox) });
  return new BotRunner({
    store: opts.store,
    market: opts.market,
    source: opts.source ?? (opts.sandbox ? 'sandbox' : 'kite'),
    service,
    clock: opts.clock,
    users: opts.users,
    ...(opts.speed !== undefined ? { speed: opts.speed } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    ...(opts.onError ? { onError: opts.onError } : {}),
  });
}

/** The sandbox's market in process, its stream ticking often enough for the clock's speed. */
export async function streamingSandbox(settings: Pick<Settings, 'alwaysOpen'>, clock: Clock, speed = 1): Promise<MarketData> {
  const [{ createMarket }, { SandboxMarketData }] = await Promise.all([import('../sandbox/market.js'), import('../sandbox/market-data.js')]);
  return new SandboxMarketData(createMarket({ alwaysOpen: settings.alwaysOpen }), clock, Math.max(50, Math.round(1000 / speed)));
}

/**
 * The selected profile's bots (`algo bot run`): its session, the store, a streaming market (the
 * sandbox's in process, or Kite's ticker for a live session), and the runner; close() after stop().
 */
export async function openProfileBotRunner(ctx: AppContext, opts: { speed?: number; onEvent?(e: HostEvent): void; onError?(err: unknown): void } = {}): Promise<OpenBotRunner & { userId: string }> {
  const [{ requireSession }, { openStore }, { sandboxOverHttp, paperMarket }] = await Promise.all([import('../core/auth/require.js'), import('../core/store/open.js'), import('./market.js')]);
  const session = await requireSession(ctx);
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    let market: MarketData;
    let source = 'sandbox';
    if (session.sandbox && !sandboxOverHttp(ctx.settings)) market = await streamingSandbox(ctx.settings, ctx.clock, opts.speed);
    else {
      const { openKite } = await import('./kite-env.js');
      const kite = await openKite(ctx);
      closers.push(() => kite.close());
      market = await paperMarket(kite, ctx.settings, ctx.clock, { apiKey: kite.session.api_key, accessToken: kite.session.access_token, root: kite.env.tickerUrl });
      source = kite.env.source;
    }
    const store = await openStore(ctx.settings.store, { longRunning: true });
    closers.push(() => store.close());
    const userId = session.user_id;
    const runner = await botRunner({ store, settings: ctx.settings, clock: ctx.clock, market, sandbox: session.sandbox, source, users: async () => [userId], ...opts });
    return { runner, userId, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Every user's bots in `algo serve`, started; stop() on shutdown. On the sandbox computed in
 * process, one runner here over its market; on live Kite (or a sandbox read over HTTP), a bot
 * process per user over their own session and ticker (src/app/bot-children.ts).
 */
export async function startServerBots(opts: {
  store: PaperStore;
  settings: Settings;
  clock: Clock;
  roots: Pick<KiteRoots, 'sandbox' | 'apiRoot' | 'tickerUrl' | 'source'>;
  env?: NodeJS.ProcessEnv;
  onError(err: unknown): void;
  onNote(message: string): void;
}): Promise<{ stop(): Promise<void> }> {
  const { sandboxOverHttp } = await import('./market.js');
  const env = opts.env ?? process.env;
  const { sandbox } = opts.roots;
  if (!sandbox || sandboxOverHttp(opts.settings)) {
    const { BotChildren } = await import('./bot-children.js');
    const children = new BotChildren({ store: opts.store, settings: opts.settings, clock: opts.clock, env, ...opts.roots, onNote: opts.onNote });
    await children.start();
    return children;
  }
  const { speedFromEnv } = await import('../core/clock.js');
  const speed = speedFromEnv(env);
  const market = await streamingSandbox(opts.settings, opts.clock, speed);
  const runner = await botRunner({ store: opts.store, settings: opts.settings, clock: opts.clock, market, sandbox: true, users: () => opts.store.bots.users(), speed, onError: opts.onError });
  await runner.start();
  return { stop: () => runner.stop() };
}
