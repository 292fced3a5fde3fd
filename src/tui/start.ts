import type { BackendFactory } from './data/backend.js';
import { loadBackend, type DashboardContext } from './data/load-backend.js';
import { BotsFeed } from './bots/feed.js';

export type { DashboardContext };

/**
 * The dashboard for the CLI to start: the screen is drawn first, while the Kite client, the
 * sandbox and the store load behind it. Warnings collected meanwhile go to stderr after it closes.
 */
export async function startDashboard(ctx: DashboardContext, stderr: { write(text: string): unknown } = process.stderr): Promise<number> {
  const warnings: string[] = [];
  const ui = import('./run.js');
  const backend = loadBackend(ctx, (m) => warnings.push(m));
  backend.catch(() => undefined);
  const factory: BackendFactory = {
    profiles: async () => (await backend).factory.profiles(),
    open: async (profile) => (await backend).factory.open(profile),
    openPaperOnly: async (profile) => (await backend).factory.openPaperOnly?.(profile) ?? null,
    backtest: async (profile, req, opts) => {
      const f = (await backend).factory;
      if (!f.backtest) throw new Error('backtests from the dashboard are not available');
      return f.backtest(profile, req, opts);
    },
    signIn: async (profile, opts) => {
      const f = (await backend).factory;
      if (!f.signIn) throw new Error('signing in from the dashboard is not available');
      await f.signIn(profile, opts);
    },
  };
  // The profile's bots (tab 5), opened again on a switch; a runner inside the dashboard (src/app/bot-runner.ts) plugs in as BotsFeed's `runner`.
  const bots = new BotsFeed({ bots: async (profile) => (await import('../app/bots.js')).openProfileBots(ctx.forProfile(profile)), profile: ctx.settings.profile, clock: ctx.clock });
  const { runDashboard } = await ui;
  try {
    return await runDashboard({ factory, clock: ctx.clock, dataDir: ctx.settings.dataDir, profile: ctx.settings.profile, bots });
  } finally {
    await backend.then((b) => b.close()).catch(() => undefined);
    for (const w of [...new Set(warnings)].slice(0, 5)) stderr.write(`algo: ${w}\n`);
  }
}
