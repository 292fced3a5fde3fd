import type { AppContext } from '../../app/context.js';
import { profileNamed } from '../../core/config.js';
import { AuthError, UsageError } from '../../core/errors.js';
import type { MarketData } from '../../core/market/types.js';
import type { BackendFactory } from './backend.js';

/** The dashboard's context: the selected profile's, and any other profile's for the profile switcher. */
export interface DashboardContext extends AppContext {
  forProfile(profile: string): AppContext;
}

export interface LoadBackendOptions {
  /** Open a login URL in the browser (default: the system's browser, failures ignored). */
  openUrl?: (url: string) => Promise<void>;
  /** How long a browser sign-in from the dashboard waits (default 5 minutes). */
  signInTimeoutMs?: number;
}

async function openInBrowser(url: string): Promise<void> {
  try {
    const { default: open } = await import('open');
    const child = await open(url);
    child.on('error', () => undefined);
  } catch {
    // The URL is on the screen: the person can open it.
  }
}

/** A market for a profile that is signed out: nothing to read, so the paper account shows without prices. */
function signedOutMarket(profile: string): MarketData {
  const refuse = (): Promise<never> => Promise.reject(new AuthError(`profile ${profile} is signed out: no prices until it signs in again`));
  return { instruments: refuse, quotes: refuse, candles: refuse };
}

/**
 * Everything behind the screen, wired through src/app: each profile's Kite client (or the
 * sandbox's), and its paper account on the shared store, over the market the paper commands use.
 * The engine's ticks come from the dashboard's own stream (kiteconnect allows one ticker per process).
 * A profile that is signed out still shows its paper account (from the store, read-only), and can
 * sign in again from the dashboard.
 */
export async function loadBackend(
  ctx: DashboardContext,
  warn: (m: string) => void,
  opts: LoadBackendOptions = {},
): Promise<{ factory: BackendFactory; close(): Promise<void> }> {
  const [{ backendFactory }, { paperPort }, { openKite, appCredentials, kiteRoots }, { listProfiles, sessionOfProfile }, { openStore }, { paperDesk }, { sandboxMarket, paperMarket }] = await Promise.all([
    import('./open-backend.js'),
    import('./paper-port.js'),
    import('../../app/kite-env.js'),
    import('../../core/auth/profiles.js'),
    import('../../core/store/open.js'),
    import('../../app/paper.js'),
    import('../../app/market.js'),
  ]);
  const settings = ctx.settings;
  const dataDir = settings.dataDir;
  const quiet = (): void => undefined;
  // Read afresh each time (a sign-in may have changed config.json), on the dashboard's one clock.
  const contextFor = (profile: string): AppContext => {
    const c = ctx.forProfile(profile);
    return { settings: c.settings, configFile: c.configFile, clock: ctx.clock };
  };
  const store = await openStore(settings.store, { longRunning: true });
  const base = backendFactory({
    clock: ctx.clock,
    openKite: (profile) => openKite(contextFor(profile)),
    async openPaper(profile, kite) {
      const s = contextFor(profile).settings;
      const sandbox = kite.session.sandbox;
      // In process for a sandbox on the connect plan; else over the profile's Kite client (the plan applies).
      const market = await paperMarket(kite, s, ctx.clock);
      const desk = await paperDesk({ store, market, clock: ctx.clock, settings: s, sandbox, onError: warn });
      return paperPort({ account: desk.account(kite.session.user_id), desk, clock: ctx.clock, onError: warn });
    },
    listProfiles: () =>
      listProfiles(dataDir, ctx.clock.now(), warn).map((p) => ({ name: p.name, userId: p.userId, session: p.state, expiresAt: p.expiresAt, sandbox: p.sandbox })),
  });
  const factory: BackendFactory = {
    ...base,
    async openPaperOnly(profile) {
      const c = contextFor(profile);
      const p = profileNamed(c.configFile, profile);
      if (!p?.userId) return null;
      const sandbox = p.sandbox === true;
      const market = sandbox ? await sandboxMarket(c.settings, ctx.clock) : signedOutMarket(profile);
      const desk = await paperDesk({ store, market, clock: ctx.clock, settings: c.settings, sandbox, onError: warn });
      const paper = paperPort({ account: desk.account(p.userId), desk, clock: ctx.clock, onError: warn });
      const old = sessionOfProfile(dataDir, p, quiet);
      return {
        profile: { profile, userId: p.userId, userName: old?.user_name ?? '', mode: sandbox ? 'sandbox' : 'live', ...(paper.alwaysOpen ? { alwaysOpen: true } : {}) },
        paper,
        close: () => paper.close(),
      };
    },
    async backtest(profile, req, runOpts) {
      const { runProfileBacktest } = await import('../../app/backtest.js');
      return runProfileBacktest(contextFor(profile), req, runOpts);
    },
    async signIn(profile, { signal, onUrl }) {
      const c = contextFor(profile);
      const p = profileNamed(c.configFile, profile);
      if (!p) throw new UsageError(`no profile named "${profile}"`, 'see `algo profile list`');
      const [{ renewSandboxSession, signInWayOf, loginCommand }, { login }] = await Promise.all([import('../../core/auth/require.js'), import('../../core/auth/login.js')]);
      if (p.sandbox === true) {
        // The sandbox app and signing key are local: the same user's session is re-issued here.
        const old = sessionOfProfile(dataDir, p, quiet);
        const renewed = old ? await renewSandboxSession(dataDir, old, ctx.clock.now(), quiet) : undefined;
        if (!renewed) throw new AuthError(`profile ${profile} cannot sign in again from the dashboard`, `run \`${loginCommand(profile, signInWayOf(p, old))}\` in another terminal`);
        return;
      }
      const creds = appCredentials(c, false);
      if (!creds?.apiSecret) {
        throw new AuthError(`the API secret of profile ${profile} is not stored, so the dashboard cannot sign it in`, `run \`algo login --profile ${profile}\` in another terminal`);
      }
      const roots = await kiteRoots(c, false);
      try {
        await login({
          dataDir,
          profileName: profile,
          profile: p,
          apiKey: creds.apiKey,
          apiSecret: creds.apiSecret,
          apiRoot: roots.apiRoot,
          loginBase: roots.loginUrl,
          sandbox: false,
          port: c.settings.redirectPort,
          timeoutMs: opts.signInTimeoutMs ?? 300_000,
          force: false,
          clock: ctx.clock,
          signal,
          onUrl: async (url) => {
            onUrl(url);
            await (opts.openUrl ?? openInBrowser)(url);
          },
          onRejected: quiet,
          warn: quiet,
        });
      } finally {
        await roots.close();
      }
    },
  };
  return { factory, close: () => store.close() };
}
