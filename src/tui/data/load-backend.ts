import type { AppContext } from '../../app/context.js';
import type { BackendFactory } from './backend.js';

/** The dashboard's context: the selected profile's, and any other profile's for the profile switcher. */
export interface DashboardContext extends AppContext {
  forProfile(profile: string): AppContext;
}

/**
 * Everything behind the screen, wired through src/app: each profile's Kite client (or the
 * sandbox's), and its paper account on the shared store, over the market the paper commands use.
 * The engine's ticks come from the dashboard's own stream (kiteconnect allows one ticker per process).
 */
export async function loadBackend(ctx: DashboardContext, warn: (m: string) => void): Promise<{ factory: BackendFactory; close(): Promise<void> }> {
  const [{ backendFactory }, { paperPort }, { openKite }, { listProfiles }, { openStore }, { paperDesk }, { sandboxMarket, kiteMarket }] = await Promise.all([
    import('./open-backend.js'),
    import('./paper-port.js'),
    import('../../app/kite-env.js'),
    import('../../core/auth/profiles.js'),
    import('../../core/store/open.js'),
    import('../../app/paper.js'),
    import('../../app/market.js'),
  ]);
  const settings = ctx.settings;
  const contextFor = (profile: string): AppContext => (profile === settings.profile ? ctx : ctx.forProfile(profile));
  const store = await openStore(settings.store);
  const factory = backendFactory({
    clock: ctx.clock,
    openKite: (profile) => openKite(contextFor(profile)),
    async openPaper(profile, kite) {
      const s = contextFor(profile).settings;
      const sandbox = kite.session.sandbox;
      const market = sandbox ? await sandboxMarket(s, ctx.clock) : await kiteMarket(kite.client, s, ctx.clock);
      const desk = await paperDesk({ store, market, clock: ctx.clock, settings: s, sandbox, onError: warn });
      return paperPort({ account: desk.account(kite.session.user_id), desk, clock: ctx.clock, onError: warn });
    },
    listProfiles: () =>
      listProfiles(settings.dataDir, ctx.clock.now(), warn).map((p) => ({ name: p.name, userId: p.userId, session: p.state, expiresAt: p.expiresAt })),
  });
  return { factory, close: () => store.close() };
}
