import type { Session } from '../../core/auth/sessions.js';
import { AuthError } from '../../core/errors.js';
import type { MarketData } from '../../core/market/types.js';
import type { PaperService } from '../../core/paper/service.js';
import type { PaperStore } from '../../core/store/types.js';
import type { Context } from '../context.js';

/** An open paper account: the engine, the signed-in user, and what to close afterwards. */
export interface PaperEnv {
  service: PaperService;
  session: Session;
  userId: string;
  store: PaperStore;
  market: MarketData;
  close(): Promise<void>;
}

/**
 * The market behind the paper account. A sandbox session reads the sandbox's deterministic market in
 * process (the same prices a sandbox server gives at that instant, with no server and no client to
 * load); a live session reads Kite's quotes, candles and ticker.
 */
async function marketFor(ctx: Context, session: Session): Promise<{ market: MarketData; close(): Promise<void> }> {
  if (session.sandbox) {
    const [{ createMarket }, { SandboxMarketData }] = await Promise.all([import('../../sandbox/market.js'), import('../../sandbox/market-data.js')]);
    return { market: new SandboxMarketData(createMarket({ alwaysOpen: ctx.settings.alwaysOpen }), ctx.clock), close: async () => undefined };
  }
  const [{ openKite }, { KiteMarketData }] = await Promise.all([import('../../app/kite-env.js'), import('../../core/market/kite.js')]);
  const kite = await openKite(ctx);
  const path = await import('node:path');
  const market = new KiteMarketData(kite.client, ctx.clock, {
    cacheDir: path.join(ctx.settings.dataDir, 'cache'),
    ticker: { apiKey: kite.session.api_key, accessToken: kite.session.access_token, root: kite.env.tickerUrl },
  });
  return { market, close: () => kite.close() };
}

export async function openPaper(ctx: Context): Promise<PaperEnv> {
  const { requireSession } = await import('../../core/auth/require.js');
  const session = await requireSession(ctx);
  if (session.sandbox !== ctx.settings.sandbox && ctx.flags.sandbox !== undefined) {
    throw new AuthError(`profile ${ctx.settings.profile} is signed in to ${session.sandbox ? 'the sandbox' : 'live Kite'}`, 'drop --sandbox, or pick another profile with --profile');
  }
  const [{ openStore }, { PaperService }, { paperConfigOf }] = await Promise.all([
    import('../../core/store/open.js'),
    import('../../core/paper/service.js'),
    import('../../core/paper/config.js'),
  ]);
  const { market, close: closeMarket } = await marketFor(ctx, session);
  const store = await openStore(ctx.settings.store);
  const service = new PaperService({ store, market, clock: ctx.clock, config: paperConfigOf(ctx.settings, session.sandbox) });
  return {
    service,
    session,
    userId: session.user_id,
    store,
    market,
    close: async () => {
      await service.stop();
      await store.close();
      await closeMarket();
    },
  };
}
