import type { Command } from 'commander';
import type { Context } from './context.js';

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
  if (!ctx.io.stdin.isTTY || !ctx.io.stdout.isTTY) (await import('../tui/run.js')).assertTerminal();
  await firstRunSignIn(ctx);
  const [{ startDashboard }, { Context: Ctx }] = await Promise.all([import('../tui/start.js'), import('./context.js')]);
  return startDashboard({
    settings: ctx.settings,
    configFile: ctx.configFile,
    clock: ctx.clock,
    forProfile: (profile) => new Ctx({ ...ctx.flags, profile }, ctx.io),
  }, ctx.io.stderr);
}
