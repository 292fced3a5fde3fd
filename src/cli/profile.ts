import type { Command } from 'commander';
import type { Context } from './context.js';
import { UsageError } from '../core/errors.js';
import { formatIst } from '../core/ist.js';
import { SANDBOX_APP } from '../sandbox/types.js';

export function registerProfile(program: Command): void {
  const profile = program
    .command('profile')
    .description('Kite profiles (an app key and the user it signs in as)')
    .addHelpText('after', '\nExamples:\n  $ algo profile list\n  $ algo profile add work --api-key YOUR_API_KEY   # asks for the secret\n  $ algo profile use work\n');
  const run = (fn: (ctx: Context, ...args: never[]) => Promise<void>) =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args[args.length - 1] as Command;
      const { contextOf } = await import('./context.js');
      await fn(contextOf(cmd), ...(args.slice(0, -1) as never[]));
    };
  profile
    .command('list')
    .description('every profile, its user and session')
    .addHelpText('after', '\nExamples:\n  $ algo profile list\n  $ algo profile list --json\n')
    .action(run(listCmd));
  profile
    .command('add <name>')
    .description('add a profile (the API secret is asked without echo, or read from KITE_API_SECRET)')
    .option('--api-key <key>', 'the Kite app API key (or KITE_API_KEY)')
    .addHelpText('after', '\nExamples:\n  $ algo profile add work --api-key YOUR_API_KEY        # asks for the secret\n  $ KITE_API_SECRET=YOUR_SECRET algo profile add work --api-key YOUR_API_KEY\n  $ algo profile add demo --sandbox                     # a sandbox profile\n')
    .action(run(addCmd));
  profile
    .command('use <name>')
    .description('make a profile the default')
    .addHelpText('after', '\nExamples:\n  $ algo profile use work\n  $ algo profile use default\n')
    .action(run(useCmd));
  profile
    .command('remove <name>')
    .description('remove a profile and its session (its paper account is kept)')
    .option('--yes', 'do not ask for confirmation')
    .addHelpText('after', '\nExamples:\n  $ algo profile remove work\n  $ algo profile remove work --yes\n')
    .action(run(removeCmd));
}

async function listCmd(ctx: Context): Promise<void> {
  const [{ listProfiles }, out] = await Promise.all([import('../core/auth/profiles.js'), import('./output.js')]);
  const rows = listProfiles(ctx.settings.dataDir, ctx.clock.now());
  if (ctx.json) {
    return out.printJson(
      rows.map((r) => ({
        name: r.name,
        default: r.isDefault,
        api_key: r.apiKey,
        user_id: r.userId,
        sandbox: r.sandbox,
        session: r.state,
        expires_at: r.expiresAt === null ? null : new Date(r.expiresAt).toISOString(),
      })),
    );
  }
  if (rows.length === 0) return out.note('no profiles yet; create one with `algo login` or `algo profile add NAME`', ctx.io.stderr);
  const st = out.styles(out.colorEnabled(ctx.io.stdout, ctx.io.env));
  ctx.io.stdout.write(
    out.renderTable(rows, [
      { header: '', value: (r) => (r.isDefault ? '*' : '') },
      { header: 'PROFILE', value: (r) => r.name },
      { header: 'USER', value: (r) => r.userId ?? '-' },
      { header: 'MODE', value: (r) => (r.sandbox ? 'sandbox' : 'live') },
      { header: 'SESSION', value: (r) => (r.state === 'active' ? st.green('active') : r.state === 'expired' ? st.red('expired') : 'none') },
      { header: 'EXPIRES (IST)', value: (r) => (r.expiresAt === null ? '-' : formatIst(r.expiresAt)) },
    ]),
  );
}

async function addCmd(ctx: Context, name: string, flags: { apiKey?: string }): Promise<void> {
  const [{ addProfile, assertProfileName }, prompt, out] = await Promise.all([
    import('../core/auth/profiles.js'),
    import('./prompt.js'),
    import('./output.js'),
  ]);
  assertProfileName(name);
  if (ctx.flags.sandbox) {
    await addProfile(ctx.settings.dataDir, name, { apiKey: SANDBOX_APP.apiKey, sandbox: true });
    return out.printLine(`Added sandbox profile ${name}; sign in with \`algo login --profile ${name}\``, ctx.io.stdout);
  }
  let apiKey = flags.apiKey ?? process.env.KITE_API_KEY;
  if (!apiKey) {
    if (!prompt.isInteractive()) throw prompt.noTerminal('the API key', 'pass --api-key KEY or set KITE_API_KEY');
    apiKey = await prompt.readLine('Kite API key: ');
  }
  let apiSecret = process.env.KITE_API_SECRET;
  if (!apiSecret) {
    if (!prompt.isInteractive()) throw prompt.noTerminal('the API secret', 'set KITE_API_SECRET (a secret is never taken as an argument)');
    apiSecret = await prompt.readSecret('Kite API secret (not shown): ');
  }
  if (!apiKey.trim() || !apiSecret.trim()) throw new UsageError('the API key and secret must not be empty');
  await addProfile(ctx.settings.dataDir, name, { apiKey: apiKey.trim(), apiSecret: apiSecret.trim() });
  out.printLine(`Added profile ${name}; sign in with \`algo login --profile ${name}\``, ctx.io.stdout);
}

async function useCmd(ctx: Context, name: string): Promise<void> {
  const [{ useProfile }, out] = await Promise.all([import('../core/auth/profiles.js'), import('./output.js')]);
  await useProfile(ctx.settings.dataDir, name);
  out.printLine(`Default profile is now ${name}`, ctx.io.stdout);
}

async function removeCmd(ctx: Context, name: string, flags: { yes?: boolean }): Promise<void> {
  const [{ removeProfile, getProfile }, prompt, out] = await Promise.all([
    import('../core/auth/profiles.js'),
    import('./prompt.js'),
    import('./output.js'),
  ]);
  getProfile(ctx.configFile, name);
  await prompt.confirm(ctx.io, { yes: flags.yes === true, question: `Remove profile ${name} and its session? Its paper account is kept.`, refuse: `add --yes to remove profile ${name}` });
  const { removedSession } = await removeProfile(ctx.settings.dataDir, name);
  out.printLine(`Removed profile ${name}${removedSession ? ' and its session' : ''}; its paper account is kept`, ctx.io.stdout);
}
