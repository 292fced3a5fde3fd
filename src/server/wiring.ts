import { appCredentials, kiteRoots, type EnvContext } from '../app/kite-env.js';
import { openPaperAccounts } from '../app/paper-accounts.js';
import { UsageError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { openStore } from '../core/store/open.js';
import type { ApiDeps } from './deps.js';
import { kiteGateways, type KiteSite } from './kite-gateways.js';
import { SessionIndex } from './session-index.js';

/** Release in reverse order whatever was opened, even when one of them fails. */
async function closeAll(closers: Array<() => Promise<void>>): Promise<void> {
  const errors: unknown[] = [];
  for (const close of closers.reverse()) await close().catch((e: unknown) => errors.push(e));
  if (errors.length > 0) throw errors[0];
}

/**
 * The server's dependencies from the settings: Kite's roots (an in-process sandbox when the
 * settings say sandbox), the paper store and engine, the sessions of the data folder.
 */
export async function createApiDeps(ctx: EnvContext): Promise<ApiDeps> {
  const { settings } = ctx;
  const closers: Array<() => Promise<void>> = [];
  try {
    const roots = await kiteRoots(ctx);
    closers.push(() => roots.close());
    const site: KiteSite = {
      apiRoot: roots.apiRoot,
      loginUrl: roots.loginUrl,
      sandbox: roots.sandbox,
      app(profile) {
        const creds = appCredentials({ ...ctx, settings: { ...settings, profile } }, roots.sandbox);
        if (!roots.sandbox && !ctx.configFile.profiles[profile]) {
          throw new UsageError(`no profile named "${profile}"`, 'create it with `algo profile add NAME`, or pass ?profile=NAME');
        }
        if (!creds?.apiSecret) {
          throw new UsageError(`profile ${profile} has no API secret here`, 'store it with `algo profile add` or set KITE_API_SECRET for `algo serve`');
        }
        const userId = ctx.configFile.profiles[profile]?.userId;
        return { apiKey: creds.apiKey, apiSecret: creds.apiSecret, ...(userId && !roots.sandbox ? { userId } : {}) };
      },
    };
    const store = await openStore(settings.store);
    closers.push(() => store.close());
    const paper = await openPaperAccounts({
      store,
      settings,
      clock: ctx.clock,
      sandbox: roots.sandbox,
      apiRoot: roots.apiRoot,
      onError: (m) => process.stderr.write(`algo serve: paper engine: ${redact(m)}\n`),
    });
    closers.push(() => paper.close());
    const { broker, login } = kiteGateways(site, settings.dataDir, ctx.clock);
    const sessions = new SessionIndex(settings.dataDir, roots.sandbox);
    closers.push(() => sessions.close());
    return {
      sessions,
      login,
      broker,
      paper,
      mode: roots.sandbox ? 'sandbox' : 'live',
      defaultProfile: settings.profile,
      storeLabel: redact(settings.store),
      close: () => closeAll(closers),
    };
  } catch (e) {
    await closeAll(closers).catch(() => undefined);
    throw e;
  }
}
