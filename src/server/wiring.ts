import { appCredentials, kiteRoots, type EnvContext } from '../app/kite-env.js';
import { openBacktestJobs } from '../app/backtest-jobs.js';
import { BotDesk, botLimitsFrom } from '../app/bots.js';
import { openPaperAccounts } from '../app/paper-accounts.js';
import { UserEvents } from '../app/user-events.js';
import { StreamTickets } from './stream-tickets.js';
import { loginProfile, otherUserThan, profilesOfUser, type LoginProfile } from '../core/auth/login-profile.js';
import { readConfig } from '../core/auth/profiles.js';
import type { ConfigFile } from '../core/config.js';
import { describeError, UsageError } from '../core/errors.js';
import { ApiError } from './api-error.js';
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
 * Why the API may not sign `userId` in for the profile, or undefined: the rule of `algo login`
 * (a profile bound to a user takes that user only, and the API cannot --force it), and, for a
 * login bound to no profile's user, never a user that a profile is bound to (that sign-in would
 * replace the session the user's own profile made).
 */
function signInRefusal(file: ConfigFile, target: LoginProfile, userId: string): ApiError | undefined {
  const owner = otherUserThan(target, userId);
  if (owner !== undefined) {
    return new ApiError(
      403,
      'PermissionException',
      `profile ${target.name} belongs to ${owner}, but the sign-in was as ${userId}; nothing was saved, and ${userId}'s session is as it was; ` +
        `sign in as ${owner}, or sign ${userId} in with a profile of its own (/api/auth/login?profile=NAME)`,
    );
  }
  if (target.expectedUserId === undefined) {
    const owners = profilesOfUser(file, userId);
    if (owners.length > 0) {
      return new ApiError(
        403,
        'PermissionException',
        `${userId} belongs to profile ${owners.join(', ')}, not to profile ${target.name}; nothing was saved, and ${userId}'s session is as it was; ` +
          `sign in at /api/auth/login?profile=${owners[0]}`,
      );
    }
  }
  return undefined;
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
        // config.json as it is now: a profile made or bound by `algo login` since the server started counts.
        const file = readConfig(settings.dataDir);
        const target = loginProfile(file, profile, roots.sandbox, {
          // The API makes no profile. Only the server's own default one may be missing (a fresh
          // sandbox data folder, where every demo user signs in through it, bound to none).
          allowNew: roots.sandbox && profile === settings.profile,
          unknownHint: 'profiles are made with `algo profile add NAME` or `algo login --profile NAME`; leave ?profile out for the server\'s default profile',
          otherKindHint: (isSandbox) =>
            isSandbox
              ? 'this server signs in to live Kite: pick a live profile with ?profile=NAME, or start `algo serve --sandbox` for the sandbox'
              : 'this server signs in to the sandbox: pick a sandbox profile with ?profile=NAME, or start `algo serve` without --sandbox for live Kite',
        });
        const creds = appCredentials({ ...ctx, configFile: file, settings: { ...settings, profile } }, roots.sandbox);
        if (!creds?.apiSecret) {
          throw new UsageError(`profile ${profile} has no API secret here`, 'store it with `algo profile add` or set KITE_API_SECRET for `algo serve`');
        }
        return { apiKey: creds.apiKey, apiSecret: creds.apiSecret, refusal: (userId) => signInRefusal(file, target, userId) };
      },
    };
    const store = await openStore(settings.store, { longRunning: true });
    closers.push(() => store.close());
    const paper = await openPaperAccounts({
      store,
      settings,
      clock: ctx.clock,
      sandbox: roots.sandbox,
      apiRoot: roots.apiRoot,
      source: roots.source,
      onError: (m) => process.stderr.write(`algo serve: paper engine: ${redact(m)}\n`),
    });
    closers.push(() => paper.close());
    const backtests = openBacktestJobs({
      store,
      settings,
      clock: ctx.clock,
      sandbox: roots.sandbox,
      apiRoot: roots.apiRoot,
      source: roots.source,
      onError: (m) => process.stderr.write(`algo serve: backtest: ${redact(m)}\n`),
    });
    closers.push(() => backtests.close());
    // The per-user limits of algo bot (ALGO_MAX_BOTS, ALGO_MAX_BOT_SYMBOLS), read as the CLI reads them.
    const bots = new BotDesk({ bots: store.bots, paper: store, clock: ctx.clock, limits: botLimitsFrom(process.env) });
    const { startServerBots } = await import('../app/bot-runner.js');
    const say = (m: string) => void process.stderr.write(`algo serve: bots: ${redact(m)}\n`);
    const runner = await startServerBots({ store, settings, clock: ctx.clock, roots, onError: (e) => say(describeError(e)), onNote: say });
    closers.push(() => runner.stop());
    const { broker, login } = kiteGateways(site, settings.dataDir, ctx.clock);
    const sessions = new SessionIndex(settings.dataDir, roots.sandbox);
    closers.push(() => sessions.close());
    return {
      sessions,
      login,
      broker,
      paper,
      backtests,
      bots,
      events: new UserEvents({ store, backtests }),
      tickets: new StreamTickets(ctx.clock),
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
