import path from 'node:path';
import type { Command } from 'commander';
import type { Context } from './context.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check the data folder, sessions, paper store, Kite roots and Node (exit 1 on any failure)')
    .addHelpText('after', '\nExamples:\n  $ algo doctor\n  $ algo doctor --json\n  $ algo doctor --sandbox      # the sandbox: Kite is not contacted\n')
    .action(async (_flags: unknown, cmd: Command) => {
      const { contextOf } = await import('./context.js');
      await runDoctorCommand(contextOf(cmd));
    });
}

export async function runDoctorCommand(ctx: Context, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const [{ runDoctor, doctorExitCode }, { formatDoctor }, { AlgoError, describeError }, { defaultDataDir }, { redact }, out] = await Promise.all([
    import('../core/doctor/index.js'),
    import('../core/doctor/format.js'),
    import('../core/errors.js'),
    import('../core/paths.js'),
    import('../core/redact.js'),
    import('./output.js'),
  ]);
  let settings = null;
  let settingsError: { message: string; hint?: string } | undefined;
  try {
    settings = ctx.settings;
  } catch (err) {
    settingsError = err instanceof AlgoError ? { message: err.message, hint: err.hint } : { message: describeError(err) };
  }
  const dataDir = settings?.dataDir ?? path.resolve(ctx.flags.dataDir ?? env.ALGO_DATA_DIR ?? defaultDataDir());
  const report = await runDoctor({ dataDir, settings, settingsError, clock: ctx.clock });
  if (ctx.json) {
    ctx.io.stdout.write(`${redact(JSON.stringify(report, null, 2))}\n`);
  } else {
    const st = out.styles(out.colorEnabled(ctx.io.stdout, ctx.io.env));
    ctx.io.stdout.write(redact(formatDoctor(report.checks, (status, text) => (status === 'ok' ? st.green(text) : status === 'warn' ? st.yellow(text) : st.red(text)))));
  }
  if (doctorExitCode(report.checks) !== 0) process.exitCode = 1;
}
