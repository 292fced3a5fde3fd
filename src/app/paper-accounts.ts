import type { PaperStore } from '../core/store/types.js';
import type { PaperAccount } from './paper-account.js';
import { paperDesk, type PaperDesk } from './paper.js';
import type { UserMarketOptions } from './market.js';

/** Every signed-in user's paper account, for a server that serves many users (`algo serve`). */
export interface PaperAccounts {
  /** The user's account; throws AuthError when a live user has no live session. */
  account(userId: string): Promise<PaperAccount>;
  close(): Promise<void>;
}

/** `sandbox`: the market is the sandbox's; else each live user trades on Kite's quotes through their own session. */
export interface PaperAccountsOptions extends UserMarketOptions {
  store: PaperStore;
  onError?: (message: string) => void;
}

/**
 * Sandbox: one running engine over the sandbox's market computed in process (fills resting orders
 * on ticks, squares off MIS at 15:20). Live: quotes need each user's own Kite session, so each user
 * gets an engine of their own over their KiteClient, made on first use; those do not stream (one
 * ticker per process), and every call first catches the account up from Kite's minute candles.
 * A sandbox whose app plan lacks some market data (sandboxPlan other than connect) is served as
 * live Kite is, over each user's sandbox session, so the plan's refusals apply.
 */
export async function openPaperAccounts(opts: PaperAccountsOptions): Promise<PaperAccounts> {
  const base = { store: opts.store, settings: opts.settings, clock: opts.clock, ...(opts.onError ? { onError: opts.onError } : {}) };
  const { sandboxOverHttp } = await import('./market.js');
  if (opts.sandbox && !sandboxOverHttp(opts.settings)) {
    const { sandboxMarket } = await import('./market.js');
    const market = await sandboxMarket(opts.settings, opts.clock);
    const desk = await paperDesk({ ...base, market, sandbox: true });
    await desk.start();
    return {
      account: async (userId) => desk.account(userId),
      close: async () => {
        await desk.stop();
        await market.close?.();
      },
    };
  }
  const desks = new Map<string, Promise<PaperDesk>>();
  const open = async (userId: string): Promise<PaperDesk> => {
    const { userKiteMarket } = await import('./market.js');
    const market = await userKiteMarket(opts, userId);
    return paperDesk({ ...base, market, sandbox: opts.sandbox, catchUpEachCall: true });
  };
  return {
    async account(userId) {
      let p = desks.get(userId);
      if (!p) {
        p = open(userId);
        desks.set(userId, p);
        p.catch(() => desks.delete(userId));
      }
      return (await p).account(userId);
    },
    close: async () => desks.clear(),
  };
}
