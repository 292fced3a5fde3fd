import path from 'node:path';
import { KITE_DEFAULTS, type Settings } from '../core/config.js';
import type { AppContext } from './context.js';
import { AuthError, UsageError } from '../core/errors.js';
import type { Session } from '../core/auth/sessions.js';
import type { KiteClient } from '../core/kite/client.js';
import { SANDBOX_APP } from '../sandbox/types.js';

/** Where Kite is for this command: the real one, an external sandbox, or one started in-process. */
export interface KiteRoots {
  apiRoot: string;
  loginUrl: string;
  tickerUrl: string;
  sandbox: boolean;
  /**
   * The market's name, as backtest feeds and bots' minute logs name it: 'kite' for live Kite,
   * 'sandbox' for a sandbox started in this process (its market is the deterministic one, whatever
   * its port), 'sandbox:<api root>' for an external sandbox.
   */
  source: string;
  /** Stops the in-process sandbox, if one was started (safe to call twice). */
  close(): Promise<void>;
}

/** Roots plus the app credentials to use with them. */
export interface KiteEnv extends KiteRoots {
  apiKey: string;
  /** Known for the sandbox app, or when stored / in KITE_API_SECRET for a live profile. */
  apiSecret?: string;
}

/** What these helpers read (the CLI Context has all of it). */
export type EnvContext = AppContext;

/** Where the Kite rate limits shared by every process of the data folder are kept. */
export function rateLimitDir(s: Pick<Settings, 'dataDir'>): string {
  return path.join(s.dataDir, 'cache');
}

function usesDefaultRoots(s: Settings): boolean {
  return s.kiteApiRoot === KITE_DEFAULTS.kiteApiRoot && s.kiteLoginUrl === KITE_DEFAULTS.kiteLoginUrl && s.kiteTickerUrl === KITE_DEFAULTS.kiteTickerUrl;
}

/**
 * The Kite roots for this command. In sandbox mode with the default roots an in-process sandbox is
 * started (port 0, the data folder's signing key, the process clock); with KITE_API_ROOT pointing at
 * an external sandbox, its login and ticker roots default to the same host.
 */
export async function kiteRoots(ctx: EnvContext, sandbox: boolean = ctx.settings.sandbox): Promise<KiteRoots> {
  const s = ctx.settings;
  if (!sandbox) {
    return { apiRoot: s.kiteApiRoot, loginUrl: s.kiteLoginUrl, tickerUrl: s.kiteTickerUrl, sandbox: false, source: 'kite', close: async () => undefined };
  }
  if (usesDefaultRoots(s)) {
    const { startSandbox } = await import('../sandbox/server.js');
    const handle = await startSandbox({ port: 0, dataDir: s.dataDir, clock: ctx.clock, alwaysOpen: s.alwaysOpen, plan: s.sandboxPlan });
    let closed: Promise<void> | undefined;
    return {
      apiRoot: handle.apiRoot,
      loginUrl: handle.loginUrl,
      tickerUrl: handle.tickerUrl,
      sandbox: true,
      source: 'sandbox',
      close: () => (closed ??= handle.close()),
    };
  }
  const root = new URL(s.kiteApiRoot);
  const base = `${root.protocol}//${root.host}`;
  return {
    apiRoot: s.kiteApiRoot,
    loginUrl: s.kiteLoginUrl === KITE_DEFAULTS.kiteLoginUrl ? `${base}/connect/login` : s.kiteLoginUrl,
    tickerUrl: s.kiteTickerUrl === KITE_DEFAULTS.kiteTickerUrl ? `${root.protocol === 'https:' ? 'wss' : 'ws'}://${root.host}/` : s.kiteTickerUrl,
    sandbox: true,
    source: `sandbox:${s.kiteApiRoot}`,
    close: async () => undefined,
  };
}

/**
 * The app credentials of the selected profile: the sandbox app in sandbox mode; otherwise the
 * profile's API key (else KITE_API_KEY) and KITE_API_SECRET, else the stored secret.
 */
export function appCredentials(ctx: EnvContext, sandbox: boolean = ctx.settings.sandbox, env: NodeJS.ProcessEnv = process.env): { apiKey: string; apiSecret?: string } | undefined {
  if (sandbox) return { apiKey: SANDBOX_APP.apiKey, apiSecret: SANDBOX_APP.apiSecret };
  const profile = ctx.configFile.profiles[ctx.settings.profile];
  const apiKey = profile?.apiKey ?? env.KITE_API_KEY;
  if (!apiKey) return undefined;
  const apiSecret = env.KITE_API_SECRET || profile?.apiSecret;
  return apiSecret ? { apiKey, apiSecret } : { apiKey };
}

/** Roots and credentials for the selected profile; close() when done. */
export async function kiteEnv(ctx: EnvContext, sandbox: boolean = ctx.settings.sandbox): Promise<KiteEnv> {
  const creds = appCredentials(ctx, sandbox);
  if (!creds) {
    const name = ctx.settings.profile;
    throw new UsageError(`profile ${name} has no Kite API key`, `run \`algo profile add ${name}\`, set KITE_API_KEY, or use --sandbox`);
  }
  return { ...(await kiteRoots(ctx, sandbox)), ...creds };
}

/** A signed-in Kite client for the selected profile (requireSession first); close() when done. */
export interface OpenKite {
  session: Session;
  client: KiteClient;
  env: KiteEnv;
  close(): Promise<void>;
}

export async function openKite(ctx: EnvContext): Promise<OpenKite> {
  const [{ requireSession }, { expiresAt }, { KiteClient }] = await Promise.all([
    import('../core/auth/require.js'),
    import('../core/auth/sessions.js'),
    import('../core/kite/client.js'),
  ]);
  const session = await requireSession(ctx);
  const name = ctx.settings.profile;
  if (session.sandbox !== ctx.settings.sandbox) {
    throw new AuthError(
      session.sandbox ? `profile ${name} is signed in to the sandbox, not live Kite` : `profile ${name} is signed in to live Kite, not the sandbox`,
      session.sandbox ? 'drop ALGO_SANDBOX=0, or pick a live profile with --profile' : 'drop --sandbox (or ALGO_SANDBOX), or pick a sandbox profile with --profile',
    );
  }
  const env = await kiteEnv(ctx, session.sandbox);
  try {
    const client = await KiteClient.open({
      apiKey: session.api_key,
      accessToken: session.access_token,
      apiRoot: env.apiRoot,
      clock: ctx.clock,
      profile: name,
      expiresAt: expiresAt(session),
      // Kite's limits are per app: every process on this data folder shares one count. A sandbox
      // started in this process counts this process's requests only, so it needs no sharing.
      ...(session.sandbox && usesDefaultRoots(ctx.settings) ? {} : { rateLimitDir: rateLimitDir(ctx.settings) }),
    });
    return { session, client, env, close: () => env.close() };
  } catch (e) {
    await env.close();
    throw e;
  }
}
