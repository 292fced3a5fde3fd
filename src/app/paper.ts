import type { Session } from '../core/auth/sessions.js';
import type { Clock } from '../core/clock.js';
import type { Settings } from '../core/config.js';
import { AuthError, describeError } from '../core/errors.js';
import type { MarketData, Quote } from '../core/market/types.js';
import type { PaperConfig } from '../core/paper/config.js';
import type { PaperStore } from '../core/store/types.js';
import type { AppContext } from './context.js';
import { PaperAccount } from './paper-account.js';

/** The paper engine over one market and one store: every user's account, and the running engine. */
export interface PaperDesk {
  readonly config: PaperConfig;
  account(userId: string): PaperAccount;
  /** Catch every account up, then stream (when the market streams), fill resting orders, square off MIS at 15:20. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A quote from a stream the caller owns (the dashboard's), so resting orders fill on it. */
  onQuote(q: Quote): Promise<void>;
  /** What the app's Kite plan kept the engine from knowing (approximate catch-up, no prices), one line per cause. */
  notes(): string[];
}

export interface PaperDeskOptions {
  store: PaperStore;
  market: MarketData;
  clock: Clock;
  settings: Settings;
  /** The market is the sandbox's (its always-open mode applies). */
  sandbox: boolean;
  /** Where a running engine reports what it cannot throw. */
  onError?: (message: string) => void;
  /** Told once per cause what the app's Kite plan kept the engine from knowing (default: onError). */
  onNote?: (message: string) => void;
  /** Runs before every call of an account (live accounts catch up from Kite's candles first). */
  catchUpEachCall?: boolean;
}

/** The one place a PaperService is made: its settings come from the configuration schema. */
export async function paperDesk(opts: PaperDeskOptions): Promise<PaperDesk> {
  const [{ PaperService }, { paperConfigOf }] = await Promise.all([import('../core/paper/service.js'), import('../core/paper/config.js')]);
  const service = new PaperService({
    store: opts.store,
    market: opts.market,
    clock: opts.clock,
    config: paperConfigOf(opts.settings, opts.sandbox),
    ...(opts.onError ? { onError: (e: unknown) => opts.onError!(describeError(e)) } : {}),
    ...(opts.onNote ?? opts.onError ? { onNote: opts.onNote ?? opts.onError } : {}),
  });
  const accounts = new Map<string, PaperAccount>();
  return {
    config: service.config,
    account(userId) {
      let a = accounts.get(userId);
      if (!a) {
        // Each call is a command: its quotes come in one batch with the catch-up's (Kite allows 1 a second).
        a = new PaperAccount(service, userId, opts.catchUpEachCall ? async (needs) => void (await service.catchUp(userId, { for: needs ?? [], hold: true })) : undefined);
        accounts.set(userId, a);
      }
      return a;
    },
    start: () => service.start(),
    stop: () => service.stop(),
    onQuote: (q) => service.onQuote(q),
    notes: () => service.notes(),
  };
}

/** The paper account of the selected profile's user, ready to use; close() when done. */
export interface ProfilePaper {
  session: Session;
  account: PaperAccount;
  desk: PaperDesk;
  close(): Promise<void>;
}

/**
 * Sign-in, market, store and engine for the selected profile (the CLI's `algo paper`). With
 * `stream` a live market streams Kite's ticker (for `algo paper run`).
 */
export async function openProfilePaper(ctx: AppContext, opts: { sandboxFlag?: boolean | undefined; stream?: boolean } = {}): Promise<ProfilePaper> {
  const { requireSession } = await import('../core/auth/require.js');
  const session = await requireSession(ctx);
  if (opts.sandboxFlag !== undefined && session.sandbox !== ctx.settings.sandbox) {
    throw new AuthError(`profile ${ctx.settings.profile} is signed in to ${session.sandbox ? 'the sandbox' : 'live Kite'}`, 'drop --sandbox, or pick another profile with --profile');
  }
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    let market: MarketData;
    const { sandboxMarket, sandboxOverHttp } = await import('./market.js');
    if (session.sandbox && !sandboxOverHttp(ctx.settings)) {
      market = await sandboxMarket(ctx.settings, ctx.clock);
    } else {
      // Live Kite, or a sandbox whose app plan lacks some market data: over HTTP, as Kite answers.
      const [{ openKite }, { paperMarket }] = await Promise.all([import('./kite-env.js'), import('./market.js')]);
      const kite = await openKite(ctx);
      closers.push(() => kite.close());
      const ticker = { apiKey: kite.session.api_key, accessToken: kite.session.access_token, root: kite.env.tickerUrl };
      market = await paperMarket(kite, ctx.settings, ctx.clock, opts.stream ? ticker : undefined);
    }
    const { openStore } = await import('../core/store/open.js');
    const store = await openStore(ctx.settings.store);
    closers.push(() => store.close());
    // A command says once, at its end, what the plan kept it from knowing; a running engine says it at once.
    const err = ctx.io?.stderr ?? process.stderr;
    const say = (m: string) => void err.write(`algo: note: ${m}\n`);
    const desk = await paperDesk({ store, market, clock: ctx.clock, settings: ctx.settings, sandbox: session.sandbox, ...(opts.stream ? { onNote: say } : {}) });
    closers.push(() => desk.stop());
    if (!opts.stream) closers.unshift(async () => desk.notes().forEach(say));
    return { session, account: desk.account(session.user_id), desk, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
