import type { BackendFactory } from './data/backend.js';
import { loadBackend, type DashboardContext } from './data/load-backend.js';
import { BotsFeed } from './bots/feed.js';
import type { OpenBotRunner } from '../app/bot-runner.js';
import { speedFromEnv } from '../core/clock.js';
import { AuthError, describeError } from '../core/errors.js';

export type { DashboardContext };

/**
 * The profile's bots run inside the dashboard while it is open (issue 14): BotsFeed starts this for
 * the profile it shows and stops it on a switch and on exit. A bot another process (`algo bot
 * run`, `algo serve`) holds stays with it: the lease decides. Errors go to `warn` (shown after the
 * dashboard closes); a profile that is not signed in runs nothing (the tab says why).
 */
export function dashboardBotRunner(ctx: DashboardContext, warn: (message: string) => void, env: NodeJS.ProcessEnv = process.env): { start(profile: string): void; stop(): Promise<void> } {
  let current: Promise<OpenBotRunner | null> = Promise.resolve(null);
  const note = (e: unknown): void => warn(`bots: ${describeError(e)}`);
  return {
    start(profile) {
      current = current.then(async (old) => {
        if (old) await stopRunner(old);
        const { openProfileBotRunner } = await import('../app/bot-runner.js');
        const opened = await openProfileBotRunner(ctx.forProfile(profile), { speed: speedFromEnv(env), onError: note });
        await opened.runner.start().catch(async (e: unknown) => {
          await stopRunner(opened);
          throw e;
        });
        return opened;
      }).catch((e: unknown) => {
        if (!(e instanceof AuthError)) note(e);
        return null;
      });
    },
    async stop() {
      const last = current.then(async (opened) => {
        if (opened) await stopRunner(opened);
        return null;
      });
      current = last;
      await last;
    },
  };
}

async function stopRunner(opened: OpenBotRunner): Promise<void> {
  await opened.runner.stop().finally(() => opened.close());
}

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
  // The profile's bots (tab 5) and a runner for them, opened again on a switch.
  const runner = dashboardBotRunner(ctx, (m) => warnings.push(m));
  const bots = new BotsFeed({ bots: async (profile) => (await import('../app/bots.js')).openProfileBots(ctx.forProfile(profile)), profile: ctx.settings.profile, clock: ctx.clock, runner });
  const { runDashboard } = await ui;
  try {
    return await runDashboard({ factory, clock: ctx.clock, dataDir: ctx.settings.dataDir, profile: ctx.settings.profile, bots });
  } finally {
    await backend.then((b) => b.close()).catch(() => undefined);
    for (const w of [...new Set(warnings)].slice(0, 5)) stderr.write(`algo: ${w}\n`);
  }
}
