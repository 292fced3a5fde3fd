import { clockOfSpec, type ClockSpec } from '../core/clock.js';
import type { Settings } from '../core/config.js';
import { botRunner, type OpenBotRunner } from './bot-runner.js';

/**
 * One user's bots in a process of their own (`algo serve` on live Kite, or on a sandbox read over
 * HTTP): kiteconnect keeps one ticker per process, so each user's stream, and the bots built on
 * it, live in a child that src/app/bot-children.ts forks and src/app/bot-child.ts runs.
 */
export interface UserBotsStart {
  userId: string;
  /** The server's settings (its store, data folder, paper settings). */
  settings: Settings;
  clock: ClockSpec;
  sandbox: boolean;
  apiRoot: string;
  tickerUrl: string;
  /** KiteRoots.source: where the minutes and the warm-up candles are kept. */
  source: string;
}

/** What the server tells its bot process. */
export type ToChild = { type: 'start'; start: UserBotsStart } | { type: 'stop' };
/** What a bot process tells the server: running, an error of a pass, or why it could not start. */
export type FromChild = { type: 'ready' } | { type: 'error'; message: string } | { type: 'failed'; message: string };

/** The user's session, their Kite market with its ticker, the store, and the runner over them. */
export async function openUserBots(start: UserBotsStart, onError: (err: unknown) => void): Promise<OpenBotRunner> {
  const [{ userKiteMarket }, { openStore }] = await Promise.all([import('./market.js'), import('../core/store/open.js')]);
  const clock = clockOfSpec(start.clock);
  const speed = start.clock.kind === 'scaled' ? start.clock.speed : 1;
  const market = await userKiteMarket({ settings: start.settings, clock, sandbox: start.sandbox, apiRoot: start.apiRoot, source: start.source }, start.userId, start.tickerUrl);
  const closers: Array<() => Promise<void>> = [async () => market.close?.()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const store = await openStore(start.settings.store, { longRunning: true });
    closers.push(() => store.close());
    const runner = await botRunner({ store, settings: start.settings, clock, market, sandbox: start.sandbox, source: start.source, users: async () => [start.userId], speed, onError });
    return { runner, close };
  } catch (e) {
    await close();
    throw e;
  }
}
