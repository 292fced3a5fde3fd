import type { Command } from 'commander';
import type { Context } from './context.js';
import type { BackendFactory } from '../tui/data/backend.js';
import type { OpenedKite } from '../tui/data/open-backend.js';
import type { Settings } from '../core/config.js';
import type { MarketData } from '../core/market/types.js';

/**
 * `algo` with no subcommand (and `npm start`): the Ink dashboard of the profile's real account and
 * paper account. Everything heavy is loaded inside the action, and the screen is drawn before the
 * Kite client, the sandbox and the store have finished loading.
 */
export function registerDashboard(program: Command): void {
  program.action(async (_flags: unknown, cmd: Command) => {
    const { contextOf } = await import('./context.js');
    const code = await openDashboard(contextOf(cmd));
    process.exitCode = code;
    // kiteconnect's ticker leaves a read timer running after disconnect (up to 5 s): do not wait for it.
    setTimeout(() => process.exit(code), 300).unref();
  });
}

/** Everything behind the screen, loaded while the first frame is drawn. */
async function loadBackend(ctx: Context, warnings: string[]): Promise<{ factory: BackendFactory; close(): Promise<void> }> {
  const [{ backendFactory }, { paperPort }, { Context: Ctx }, { openKite }, { listProfiles }, { openStore }, { PaperService }] = await Promise.all([
    import('../tui/data/open-backend.js'),
    import('../tui/data/paper-port.js'),
    import('./context.js'),
    import('../app/kite-env.js'),
    import('../core/auth/profiles.js'),
    import('../core/store/open.js'),
    import('../core/paper/service.js'),
  ]);
  const settings = ctx.settings;
  const contextFor = (profile: string): Context => (profile === settings.profile ? ctx : new Ctx({ ...ctx.flags, profile }));
  const store = await openStore(settings.store);
  const factory = backendFactory({
    clock: ctx.clock,
    openKite: (profile) => openKite(contextFor(profile)),
    async openPaper(profile, kite) {
      const s = contextFor(profile).settings;
      const sandbox = kite.session.sandbox;
      const service = new PaperService({
        store,
        market: await paperMarket(kite, s, ctx),
        clock: ctx.clock,
        config: {
          capital: Math.round(s.capital * 100),
          slippageBps: s.slippageBps,
          misMarginPct: s.misMarginPct,
          staleQuoteSeconds: s.staleQuoteSeconds,
          alwaysOpen: sandbox && s.alwaysOpen,
        },
        onError: (e) => warnings.push(String((e as Error)?.message ?? e)),
      });
      return paperPort({ service, store, userId: kite.session.user_id, clock: ctx.clock, onError: (m) => warnings.push(m) });
    },
    listProfiles: () =>
      listProfiles(settings.dataDir, ctx.clock.now(), (m) => warnings.push(m)).map((p) => ({ name: p.name, userId: p.userId, session: p.state, expiresAt: p.expiresAt })),
  });
  return { factory, close: () => store.close() };
}

/**
 * The paper engine's market, as `algo paper` reads it: a sandbox session reads the sandbox's
 * deterministic market in process; a live one reads Kite's quotes and candles. Its ticks come
 * from the dashboard's own stream (PaperService.onQuote): kiteconnect allows one ticker per process.
 */
async function paperMarket(kite: OpenedKite, s: Settings, ctx: Context): Promise<MarketData> {
  if (kite.session.sandbox) {
    const [{ createMarket }, { SandboxMarketData }] = await Promise.all([import('../sandbox/market.js'), import('../sandbox/market-data.js')]);
    return new SandboxMarketData(createMarket({ alwaysOpen: s.alwaysOpen }), ctx.clock);
  }
  const [{ KiteMarketData }, path] = await Promise.all([import('../core/market/kite.js'), import('node:path')]);
  const m = new KiteMarketData(kite.client, ctx.clock, { cacheDir: path.join(s.dataDir, 'cache') });
  return { instruments: () => m.instruments(), quotes: (keys) => m.quotes(keys), candles: (token, from, to) => m.candles(token, from, to) };
}

/**
 * A first run on a fresh machine (sandbox mode, no profile at all) signs in to the offline sandbox as
 * demo user SB0001, so `npm install && npm start` opens a working desk with nothing to configure.
 */
async function firstRunSignIn(ctx: Context): Promise<void> {
  if (!ctx.settings.sandbox || Object.keys(ctx.configFile.profiles).length > 0) return;
  const { runLogin } = await import('./login/index.js');
  process.stderr.write('algo: first run: signing in to the offline Kite sandbox as demo user SB0001\n');
  await runLogin(ctx, { browser: false, timeout: '60', user: 'SB0001' });
  ctx.reload();
}

export async function openDashboard(ctx: Context): Promise<number> {
  // React's development build is slower and keeps performance entries for every render.
  process.env.NODE_ENV ??= 'production';
  if (!process.stdin.isTTY || !process.stdout.isTTY) (await import('../tui/run.js')).assertTerminal();
  await firstRunSignIn(ctx);
  const settings = ctx.settings;
  const warnings: string[] = [];
  const ui = import('../tui/run.js'); // the screen first: the backend loads while it draws
  const backend = loadBackend(ctx, warnings);
  backend.catch(() => undefined);
  const factory: BackendFactory = {
    profiles: async () => (await backend).factory.profiles(),
    open: async (profile) => (await backend).factory.open(profile),
  };
  const { runDashboard } = await ui;
  try {
    return await runDashboard({ factory, clock: ctx.clock, dataDir: settings.dataDir, profile: settings.profile });
  } finally {
    await backend.then((b) => b.close()).catch(() => undefined);
    for (const w of [...new Set(warnings)].slice(0, 5)) process.stderr.write(`algo: ${w}\n`);
  }
}
