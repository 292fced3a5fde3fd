import { Command, CommanderError } from 'commander';
import { describeError, errorTypeOf, exitCodeOf, ExitCode, UsageError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { VERSION } from '../app/version.js';
import { registerAll } from './commands.js';
import { processIo, type Io } from './io.js';

/**
 * The `algo` program, run in process: `runCli(argv, io)` parses, runs and reports through an Io and
 * returns the exit code (src/cli/main.ts is the bin around it). Start-up stays cheap: nothing here
 * loads more than commander and the command registrations; output.js is loaded only for --json.
 */

/** The Io's slot on the root command; src/cli/context.ts reads it (IO_SLOT) to give every command's Context the program's Io. */
const IO_SLOT = Symbol.for('algo.cli.io');

const ROOT_HELP = `
Run \`algo\` with no command to open the dashboard (it needs a terminal).
\`algo help COMMAND\` shows a command's options and examples. With --json, a
command prints one JSON document on stdout, and a failure prints
{"status":"error","error_type":"...","message":"...","hint":"..."} instead.

Examples:
  $ algo                                  # open the dashboard
  $ algo login --sandbox --user SB0001    # sign in to the offline Kite sandbox
  $ algo paper buy INFY 10 --json         # a paper order, in Kite's JSON shape
`;

/** The only place that prints errors: one line on stderr, redacted, with a stack only under ALGO_DEBUG=1. */
export function reportError(err: unknown, io: Io = processIo()): number {
  if (io.env.ALGO_DEBUG === '1' && err instanceof Error && err.stack) {
    io.stderr.write(`${redact(err.stack)}\n`);
  }
  io.stderr.write(`algo: ${oneLine(redact(describeError(err)))}\n`);
  return exitCodeOf(err);
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

/** Commander's own message, as one line without its "error: " prefix. */
const commanderMessage = (text: string): string => oneLine(redact(text.replace(/^error: /, '')));

/** Whether --json is on the command line (anywhere before a `--`). */
export function jsonRequested(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

/** What `--json` prints on stdout when a command fails. */
export function errorDocument(err: unknown): { status: 'error'; error_type: string; message: string; hint?: string } {
  if (err instanceof CommanderError) return { status: 'error', error_type: 'InputException', message: commanderMessage(err.message) };
  const message = oneLine(redact(err instanceof Error ? err.message : String(err)));
  const hint = err instanceof Error && 'hint' in err && typeof err.hint === 'string' && err.hint ? oneLine(redact(err.hint)) : undefined;
  return { status: 'error', error_type: errorTypeOf(err), message, ...(hint ? { hint } : {}) };
}

/** Optimal string alignment distance (an adjacent swap costs 1), as commander's suggestions use. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** Every command under `cmd` (not `cmd` itself), depth first, with its words after `algo`. */
export function commandTree(cmd: Command, path: string[] = []): Array<{ path: string[]; cmd: Command }> {
  return cmd.commands.flatMap((c) => [{ path: [...path, c.name()], cmd: c }, ...commandTree(c, [...path, c.name()])]);
}

const pathOf = (cmd: Command): string[] => (cmd.parent ? [...pathOf(cmd.parent), cmd.name()] : []);
const rootOf = (cmd: Command): Command => (cmd.parent ? rootOf(cmd.parent) : cmd);

/**
 * The real commands closest to an unknown word, compared by their last word: first among the
 * subcommands of the group it was typed in, then anywhere (`positions` -> paper positions and
 * portfolio positions); a word that starts a command's name counts when nothing is that close.
 */
export function suggestCommands(group: Command, word: string): string[] {
  const root = rootOf(group);
  const base = pathOf(group);
  const all = commandTree(root);
  const closest = (cands: Array<{ path: string[] }>): string[][] => {
    let best = 3; // as commander: at most 2 edits, and more alike than not
    let found: string[][] = [];
    for (const { path } of cands) {
      const name = path[path.length - 1]!;
      const dist = editDistance(word.toLowerCase(), name);
      if ((Math.max(word.length, name.length) - dist) / Math.max(word.length, name.length) <= 0.4 || dist > best) continue;
      if (dist < best) found = [];
      best = dist;
      found.push(path);
    }
    return found;
  };
  const own = group === root ? [] : closest(all.filter((c) => c.path.length === base.length + 1 && base.every((w, i) => c.path[i] === w)));
  let found = own.length ? own : closest(all);
  if (!found.length && word.length >= 3) found = all.filter((c) => c.path[c.path.length - 1]!.startsWith(word.toLowerCase())).map((c) => c.path);
  return found
    .map((p) => ['algo', ...p].join(' '))
    .sort((a, b) => a.localeCompare(b))
    .slice(0, 4);
}

const orList = (xs: readonly string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

/** "unknown command 'positions'; did you mean algo paper positions or algo portfolio positions?" (exit 2). */
export function unknownCommand(group: Command, word: string): UsageError {
  const where = pathOf(group);
  const suggestions = suggestCommands(group, word);
  return new UsageError(
    `unknown command '${[...where, word].join(' ')}'`,
    suggestions.length ? `did you mean ${orList(suggestions)}?` : `see \`${['algo help', ...where].join(' ')}\``,
  );
}

/** `algo help [COMMAND...]`: the help of the program or of any command, e.g. `algo help paper buy`. */
function addHelpCommand(program: Command): void {
  program
    .command('help [command...]')
    .description('show the help of algo or of a command (e.g. algo help paper buy)')
    .addHelpText('after', '\nExamples:\n  $ algo help\n  $ algo help paper\n  $ algo help paper buy\n')
    .action((words: string[]) => {
      let target = program;
      for (const word of words) {
        const next = target.commands.find((c) => c.name() === word || c.aliases().includes(word));
        if (!next) throw unknownCommand(target, word);
        target = next;
      }
      target.outputHelp();
    });
}

function addVersionCommand(program: Command, io: Io): void {
  program
    .command('version')
    .description('print the version of algo (as -V, --version)')
    .addHelpText('after', '\nExamples:\n  $ algo version\n  $ algo version --json\n  $ algo --version\n')
    .action(async (_flags: unknown, cmd: Command) => {
      if ((cmd.optsWithGlobals() as { json?: boolean }).json) (await import('./output.js')).printJson({ version: VERSION }, io.stdout);
      else io.stdout.write(`${VERSION}\n`);
    });
}

const colours = (stream: Io['stdout'], env: NodeJS.ProcessEnv): boolean =>
  env.NO_COLOR ? false : env.FORCE_COLOR && env.FORCE_COLOR !== '0' ? true : stream.isTTY === true && env.TERM !== 'dumb';

export function buildProgram(io: Io = processIo()): Command {
  const program = new Command('algo')
    .description('A terminal trading desk for Zerodha Kite (and its offline sandbox)')
    .version(VERSION, '-V, --version')
    .option('--profile <name>', 'profile to use (or ALGO_PROFILE)')
    .option('--data-dir <path>', 'data folder (or ALGO_DATA_DIR)')
    .option('--store <uri>', 'paper store: sqlite:PATH or mongodb://... (or ALGO_STORE)')
    .option('--sandbox', 'use the offline Kite sandbox (or ALGO_SANDBOX=1)')
    .option('--json', 'print one JSON document on stdout (errors too)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`algo: ${commanderMessage(text)}\n`),
      getOutHelpWidth: () => (io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : 80),
      getErrHelpWidth: () => (io.stderr.isTTY && io.stderr.columns ? io.stderr.columns : 80),
      getOutHasColors: () => colours(io.stdout, io.env),
      getErrHasColors: () => colours(io.stderr, io.env),
    })
    .addHelpText('after', ROOT_HELP);
  Object.defineProperty(program, IO_SLOT, { value: io });
  registerAll(program);
  addHelpCommand(program);
  addVersionCommand(program, io);

  // The root's own action is the dashboard: a word it does not know is an unknown command, with
  // suggestions from the whole tree. A group's unknown word comes to its 'command:*' listener.
  program.allowExcessArguments(true); // after the subcommands: they keep commander's check
  program.hook('preAction', (_root, action) => {
    if (action === program && program.args.length > 0) throw unknownCommand(program, program.args[0]!);
  });
  for (const { cmd } of commandTree(program)) {
    if (cmd.commands.length > 0) cmd.on('command:*', (operands: string[]) => {
      throw unknownCommand(cmd, operands[0]!);
    });
  }
  return program;
}

/**
 * Parse and run one command line (`process.argv` shape: node, script, words...) with its output on
 * `io`; the exit code is returned, never passed to process.exit. With --json, a failure also prints
 * one error document on stdout, unless the command had printed its own document already.
 */
export async function runCli(argv: string[], io: Io = processIo()): Promise<number> {
  return runProgram(buildProgram(io), argv, io);
}

/** runCli with a program already built on `io` (tests add commands of their own to it). */
export async function runProgram(program: Command, argv: string[], io: Io): Promise<number> {
  const json = jsonRequested(argv.slice(2));
  const output = json ? await import('./output.js') : undefined;
  const documentsBefore = output?.jsonDocumentsWritten(io.stdout) ?? 0;
  const outerExitCode = process.exitCode;
  process.exitCode = undefined; // commands that finish with a code of their own (doctor, migrate) set it
  let code: number;
  let failure: unknown;
  try {
    await program.parseAsync(argv);
    code = typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has written the help, the version or its one-line error through the io already.
      const shown = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help';
      code = shown ? ExitCode.ok : ExitCode.usage;
      if (!shown) failure = err;
    } else {
      code = reportError(err, io);
      failure = err;
    }
  } finally {
    process.exitCode = outerExitCode;
  }
  if (failure !== undefined && output && output.jsonDocumentsWritten(io.stdout) === documentsBefore) {
    output.printJson(errorDocument(failure), io.stdout);
  }
  return code;
}
