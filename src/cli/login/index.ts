import type { Command } from 'commander';
import type { Context } from '../context.js';
import type { Profile } from '../../core/config.js';
import { UsageError } from '../../core/errors.js';
import { formatIst } from '../../core/ist.js';
import { SANDBOX_APP, SANDBOX_PASSWORD } from '../../sandbox/types.js';

export interface LoginFlags {
  browser: boolean;
  manual?: boolean;
  timeout: string;
  force?: boolean;
  user?: string;
}

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('sign in to Kite in the browser (or to the sandbox) and save the session')
    .option('--no-browser', 'print the login URL without opening a browser')
    .option('--manual', 'paste the redirected URL instead of waiting for the redirect')
    .option('--timeout <seconds>', 'how long to wait for the sign-in', '300')
    .option('--port <n>', 'redirect listener port on 127.0.0.1 (or ALGO_REDIRECT_PORT; default 5959)')
    .option('--force', 'accept a different Kite user than the one the profile had')
    .option('--user <id>', 'sandbox only: sign in as this demo user (SB0001-SB0003) without a browser')
    .addHelpText('after', '\nExamples:\n  $ algo login                               # Kite in the browser\n  $ algo login --profile work --no-browser   # print the URL, open it yourself\n  $ algo login --sandbox --user SB0002       # the offline sandbox\n')
    .action(async (flags: LoginFlags, cmd: Command) => {
      const { contextOf } = await import('../context.js');
      await runLogin(contextOf(cmd), flags);
    });
}

function parseTimeout(text: string): number {
  const s = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || s <= 0 || s > 86_400) {
    throw new UsageError(`--timeout must be a number of seconds (1-86400), got "${text}"`);
  }
  return Math.round(s * 1000);
}

/** Key and secret for a live profile: stored, from KITE_API_KEY / KITE_API_SECRET, or asked on a terminal. */
async function liveCredentials(name: string, profile: Profile | undefined): Promise<{ apiKey: string; apiSecret: string }> {
  const { isInteractive, noTerminal, readLine, readSecret } = await import('../prompt.js');
  let apiKey = profile?.apiKey ?? process.env.KITE_API_KEY;
  if (!apiKey) {
    if (!isInteractive()) throw noTerminal(`the API key of new profile ${name}`, 'set KITE_API_KEY and KITE_API_SECRET, or run `algo profile add` in a terminal');
    apiKey = await readLine('Kite API key: ');
  }
  let apiSecret = process.env.KITE_API_SECRET || profile?.apiSecret;
  if (!apiSecret) {
    if (!isInteractive()) throw noTerminal(`the API secret of profile ${name}`, 'set KITE_API_SECRET');
    apiSecret = await readSecret('Kite API secret (not shown): ');
  }
  if (!apiKey || !apiSecret) throw new UsageError('the API key and secret must not be empty');
  return { apiKey, apiSecret };
}

export async function runLogin(ctx: Context, flags: LoginFlags): Promise<void> {
  const [{ login }, { loginProfile }, { assertUserId, sessionIdentity, expiresAt }, { kiteRoots }, out, { LoginWait }, { DEFAULTS }] = await Promise.all([
    import('../../core/auth/login.js'),
    import('../../core/auth/login-profile.js'),
    import('../../core/auth/sessions.js'),
    import('../../app/kite-env.js'),
    import('../output.js'),
    import('./wait.js'),
    import('../../core/config.js'),
  ]);
  const settings = ctx.settings;
  // A demo-user sign-in names its profile, else uses "default" (not whatever profile is the default).
  const name = flags.user !== undefined && ctx.flags.profile === undefined && !process.env.ALGO_PROFILE ? 'default' : settings.profile;
  const timeoutMs = parseTimeout(flags.timeout);
  const sandbox = settings.sandbox;
  // The API's login uses the same rule (src/core/auth/login-profile.ts); a new profile is made here on success.
  const { profile: existing } = loginProfile(ctx.configFile, name, sandbox, {
    allowNew: true,
    otherKindHint: (isSandbox) =>
      isSandbox ? 'drop ALGO_SANDBOX=0, or choose another --profile' : 'drop --sandbox (or ALGO_SANDBOX), or choose another --profile for the sandbox',
  });
  if (flags.user !== undefined) {
    if (!sandbox) throw new UsageError('--user works only with the sandbox', 'add --sandbox, or sign in in the browser');
    if (flags.manual) throw new UsageError('--user and --manual do not go together', 'drop --manual: --user signs in without a browser');
    assertUserId(flags.user);
  }
  const creds = sandbox ? { apiKey: SANDBOX_APP.apiKey, apiSecret: SANDBOX_APP.apiSecret } : await liveCredentials(name, existing);

  const roots = await kiteRoots(ctx, sandbox);
  const abort = new AbortController();
  const cancel = (): void => abort.abort();
  process.on('SIGINT', cancel);
  const wait = new LoginWait({ timeoutMs, manual: flags.manual === true, onCancel: cancel });
  const byUser = flags.user !== undefined;
  try {
    const { session: s, profileCreated } = await login({
      dataDir: settings.dataDir,
      profileName: name,
      profile: existing,
      apiKey: creds.apiKey,
      apiSecret: creds.apiSecret,
      apiRoot: roots.apiRoot,
      loginBase: roots.loginUrl,
      sandbox,
      port: settings.redirectPort,
      // a named port (--port, ALGO_REDIRECT_PORT, config.json) is kept; the default may give way on the sandbox
      portChosen: ctx.flags.port !== undefined || settings.redirectPort !== DEFAULTS.redirectPort,
      timeoutMs,
      force: flags.force === true,
      clock: ctx.clock,
      signal: abort.signal,
      manualOnly: flags.manual === true,
      ...(wait.canPaste && !byUser ? { pasted: () => wait.pasted() } : {}),
      ...(byUser ? { sandboxUser: { userId: flags.user!, password: SANDBOX_PASSWORD } } : {}),
      onRejected: (reason) => wait.say(`algo: ignored ${reason}`),
      onUrl: async (url) => {
        // A demo user signs in on the sandbox's page by itself: there is no URL for a person to open.
        if (byUser) return;
        out.note(`Sign in to ${sandbox ? 'the Kite sandbox' : 'Kite'} for profile ${name}:\n  ${url}`);
        if (flags.browser && !flags.manual) await openBrowser(url);
        wait.waiting();
      },
    });
    wait.close();
    if (ctx.json) return out.printJson(sessionIdentity(s, name));
    if (profileCreated) out.note(`created profile ${name}`);
    out.printLine(
      `Signed in as ${s.user_id}${s.user_name ? ` (${s.user_name})` : ''} for profile ${name}${s.sandbox ? ' (sandbox)' : ''}; session valid until ${formatIst(expiresAt(s))} IST`,
    );
  } finally {
    wait.close();
    process.off('SIGINT', cancel);
    await roots.close();
  }
}

/** Open the login URL in the default browser (the URL is always printed as well). */
async function openBrowser(url: string): Promise<void> {
  const { note } = await import('../output.js');
  try {
    const { default: open } = await import('open');
    const child = await open(url);
    child.on('error', () => note('could not open a browser; open the URL above yourself'));
  } catch {
    note('could not open a browser; open the URL above yourself');
  }
}
