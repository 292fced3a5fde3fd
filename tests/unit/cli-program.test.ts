import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommanderError, type Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { buildProgram, commandTree, errorDocument, jsonRequested, runCli, runProgram } from '../../src/cli/program.js';
import { contextOf } from '../../src/cli/context.js';
import { captureIo, type CapturedIo } from '../../src/cli/io.js';
import { printJson } from '../../src/cli/output.js';
import { VERSION } from '../../src/app/version.js';
import { AlgoError, AuthError, errorTypeOf, KiteError, RejectedError, UsageError } from '../../src/core/errors.js';

/** Fresh temp data folders, removed after each test. */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function emptyDataDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-program-'));
  dirs.push(d);
  return d;
}

/** A clean environment: no ALGO_* or KITE_* from outside, no colour. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(ALGO_|KITE_|FORCE_COLOR|NO_COLOR)/.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', ALGO_DATA_DIR: emptyDataDir(), ...extra };
}

interface Run {
  code: number;
  out: string;
  err: string;
  io: CapturedIo;
}

async function algo(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Run> {
  const io = captureIo(env);
  const code = await runCli(['node', 'algo', ...args], io);
  return { code, out: io.out(), err: io.err(), io };
}

const lines = (text: string): string[] => text.split('\n').filter(Boolean);

describe('algo help and algo version', () => {
  it.each([
    [['help'], /^Usage: algo \[options\] \[command\]/],
    [['--help'], /^Usage: algo \[options\] \[command\]/],
    [['-h'], /^Usage: algo \[options\] \[command\]/],
    [['help', 'paper'], /^Usage: algo paper \[options\] \[command\]/],
    [['help', 'paper', 'buy'], /^Usage: algo paper buy \[options\] <symbol> <quantity>/],
    [['help', 'portfolio', 'positions'], /^Usage: algo portfolio positions \[options\]/],
    [['paper', 'help', 'buy'], /^Usage: algo paper buy \[options\] <symbol> <quantity>/],
    [['paper', 'buy', '--help'], /^Usage: algo paper buy \[options\] <symbol> <quantity>/],
    [['help', 'help'], /^Usage: algo help \[options\] \[command\.\.\.\]/],
  ])('algo %j: the help on stdout, exit 0', async (args, usage) => {
    const r = await algo(args);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(usage);
    expect(r.err).toBe('');
  });

  it.each([[['version']], [['-V']], [['--version']]])('algo %j prints the version, exit 0', async (args) => {
    const r = await algo(args);
    expect(r).toMatchObject({ code: 0, out: `${VERSION}\n`, err: '' });
  });

  it('algo version --json is one document', async () => {
    const r = await algo(['version', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ version: VERSION });
  });

  it('the root help says that a bare algo opens the dashboard, and how --json reports errors', async () => {
    const r = await algo(['--help']);
    expect(r.out).toMatch(/Run `algo` with no command to open the dashboard/);
    expect(r.out).toMatch(/\$ algo +# open the dashboard/);
    expect(r.out).toMatch(/"status":"error","error_type"/);
    expect(r.out).toMatch(/^ {2}help \[command\.\.\.\]/m);
    expect(r.out).toMatch(/^ {2}version /m);
  });
});

describe('unknown commands', () => {
  it.each([
    [['positions'], "algo: unknown command 'positions'; did you mean algo paper positions or algo portfolio positions?"],
    [['orders'], "algo: unknown command 'orders'; did you mean algo paper orders or algo portfolio orders?"],
    [['whoam'], "algo: unknown command 'whoam'; did you mean algo whoami?"],
    [['fund'], "algo: unknown command 'fund'; did you mean algo paper funds?"],
    [['paper', 'position'], "algo: unknown command 'paper position'; did you mean algo paper positions?"],
    [['portfolio', 'holding'], "algo: unknown command 'portfolio holding'; did you mean algo portfolio holdings?"],
    [['help', 'paper', 'sel'], "algo: unknown command 'paper sel'; did you mean algo paper sell?"],
    [['help', 'nosuch'], "algo: unknown command 'nosuch'; see `algo help`"],
    [['xyzzy'], "algo: unknown command 'xyzzy'; see `algo help`"],
    [['paper', 'xyzzy'], "algo: unknown command 'paper xyzzy'; see `algo help paper`"],
  ])('algo %j says so in one line with the closest commands, exit 2', async (args, line) => {
    const r = await algo(args);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${line}\n`);
    expect(r.out).toBe('');
  });

  it("commander's own usage errors are one line through the io too", async () => {
    for (const args of [['--bogus'], ['paper', 'buy', 'INFY'], ['paper', 'buy', 'INFY', '10', '--bogus'], ['whoami', 'extra']]) {
      const r = await algo(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(lines(r.err), args.join(' ')).toHaveLength(1);
      expect(r.err, args.join(' ')).toMatch(/^algo: (unknown option|missing required argument|too many arguments)/);
      expect(r.out).toBe('');
    }
  });
});

/** Every command's words after `algo`, the root first. */
function everyCommand(): Array<{ path: string[]; cmd: Command }> {
  const program = buildProgram(captureIo());
  return [{ path: [], cmd: program }, ...commandTree(program)];
}

/**
 * Whether an example is a command line the program accepts: `[VAR=value...] algo WORDS... ARGS/--options`,
 * every option known to the command or its parents (with its value when it takes one) and as many
 * arguments as the command takes. Returns the command it runs, or a reason.
 */
function checkExample(root: Command, example: string): { cmd: Command } | { problem: string } {
  const tokens = example.replace(/\s+#.*$/, '').trim().split(/\s+/);
  while (tokens[0] && /^[A-Z_]+=\S*$/.test(tokens[0])) tokens.shift();
  if (tokens.shift() !== 'algo') return { problem: 'does not start with algo' };
  let cmd = root;
  for (let next; tokens[0] && (next = cmd.commands.find((c) => c.name() === tokens[0])); tokens.shift()) cmd = next;
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.push(c);
  const known = chain.flatMap((c) => c.options);
  const positional: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.startsWith('-')) {
      positional.push(t);
      continue;
    }
    if (t === '--help' || t === '-h') continue;
    const opt = known.find((o) => o.long === t || o.short === t);
    if (!opt) return { problem: `unknown option ${t}` };
    if (opt.required || opt.optional) {
      if (opt.required && (tokens[i + 1] === undefined || tokens[i + 1]!.startsWith('--'))) return { problem: `${t} needs a value` };
      i++;
    }
  }
  const args = cmd.registeredArguments;
  const min = args.filter((a) => a.required).length;
  const variadic = args.some((a) => a.variadic);
  if (positional.length < min || (!variadic && positional.length > args.length)) {
    return { problem: `${positional.length} arguments for ${cmd.name()} (${min}-${variadic ? 'many' : args.length})` };
  }
  return { cmd };
}

describe("every command's help", () => {
  const all = everyCommand();

  it('walks the whole program', () => {
    const names = all.map((c) => c.path.join(' '));
    expect(names).toEqual(expect.arrayContaining(['', 'login', 'whoami', 'profile add', 'portfolio positions', 'quote', 'paper buy', 'paper run', 'help', 'version']));
    expect(all.length).toBeGreaterThan(30);
  });

  it('the example check refuses what the program would refuse', () => {
    const root = buildProgram(captureIo());
    expect(checkExample(root, 'algo paper buy INFY 10 --price 1500')).toHaveProperty('cmd');
    expect(checkExample(root, 'KITE_API_SECRET=s algo profile add work --api-key k --json')).toHaveProperty('cmd');
    expect(checkExample(root, 'algo paper buy INFY 10 --bogus')).toEqual({ problem: 'unknown option --bogus' });
    expect(checkExample(root, 'algo paper buy INFY')).toHaveProperty('problem');
    expect(checkExample(root, 'algo whoami extra')).toHaveProperty('problem');
    expect(checkExample(root, 'algo paper buy INFY 10 --price')).toEqual({ problem: '--price needs a value' });
  });

  it.each(all.map(({ path: p }) => [p.join(' ') || '(root)', p] as const))('algo %s --help shows two or three real examples', async (_name, words) => {
    const r = await algo([...words, '--help']);
    expect(r.code, r.err).toBe(0);
    const section = r.out.split('\nExamples:\n')[1];
    expect(section, r.out).toBeDefined();
    const examples = lines(section!).filter((l) => l.startsWith('  $ ')).map((l) => l.slice(4));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.length).toBeLessThanOrEqual(3);
    const root = buildProgram(captureIo());
    const self = words.reduce<Command>((c, w) => c.commands.find((x) => x.name() === w)!, root);
    const ran = examples.map((e) => {
      const checked = checkExample(root, e);
      expect(checked, e).not.toHaveProperty('problem');
      return (checked as { cmd: Command }).cmd;
    });
    // At least one example runs the command itself (or, for a group, one of its commands).
    expect(ran.some((c) => c === self || c.parent === self), examples.join('\n')).toBe(true);
    expect(lines(r.out).every((l) => l.length <= 80), 'lines of at most 80 characters').toBe(true);
  });
});

describe('--json errors', () => {
  const cases: Array<{ name: string; args: (dir: string) => string[]; code: number; type: string; message: RegExp; hint?: RegExp }> = [
    { name: 'a missing argument (commander)', args: () => ['paper', 'buy', 'INFY'], code: 2, type: 'InputException', message: /^missing required argument 'quantity'$/ },
    { name: 'an unknown option (commander)', args: () => ['whoami', '--bogus'], code: 2, type: 'InputException', message: /^unknown option '--bogus'/ },
    { name: 'a bad flag value (UsageError)', args: (d) => ['activity', '--limit', '0', '--data-dir', d], code: 2, type: 'InputException', message: /^--limit must be a whole number above 0/ },
    { name: 'an unknown command', args: () => ['positions'], code: 2, type: 'InputException', message: /^unknown command 'positions'$/, hint: /^did you mean algo paper positions or algo portfolio positions\?$/ },
    { name: 'no session (AuthError)', args: (d) => ['whoami', '--data-dir', d], code: 3, type: 'TokenException', message: /^not signed in/, hint: /algo login/ },
    { name: 'no session for --all (AuthError)', args: (d) => ['whoami', '--all', '--data-dir', d], code: 3, type: 'TokenException', message: /^no profile is signed in$/, hint: /algo login --profile NAME/ },
  ];

  it.each(cases)('$name: one error document on stdout, the same exit code as without --json', async ({ args, code, type, message, hint }) => {
    const dir = emptyDataDir();
    const plain = await algo(args(dir));
    const json = await algo([...args(dir).slice(0, 1), '--json', ...args(dir).slice(1)]);
    expect(plain.code, plain.err).toBe(code);
    expect(json.code, json.err).toBe(code);
    expect(plain.out).toBe('');
    expect(json.err).toBe(plain.err); // the stderr line stays
    expect(lines(json.err)).toHaveLength(1);
    const doc = JSON.parse(json.out) as Record<string, unknown>;
    expect(Object.keys(doc).slice(0, 3)).toEqual(['status', 'error_type', 'message']);
    expect(doc.status).toBe('error');
    expect(doc.error_type).toBe(type);
    expect(doc.message).toMatch(message);
    if (hint) expect(doc.hint).toMatch(hint);
    else expect(doc).not.toHaveProperty('hint');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('--json after `--` is an argument, not the flag', () => {
    expect(jsonRequested(['paper', 'buy', '--json'])).toBe(true);
    expect(jsonRequested(['--json', 'whoami'])).toBe(true);
    expect(jsonRequested(['quote', '--', '--json'])).toBe(false);
    expect(jsonRequested(['whoami'])).toBe(false);
  });

  /** A program with one test command of its own, run through runProgram. */
  async function withCommand(args: string[], action: (io: CapturedIo) => void | Promise<void>): Promise<Run> {
    const io = captureIo(cleanEnv());
    const program = buildProgram(io);
    program.command('test-only').action(() => action(io));
    const code = await runProgram(program, ['node', 'algo', 'test-only', ...args], io);
    return { code, out: io.out(), err: io.err(), io };
  }

  it('a command that printed its document before failing (a rejected order) gets no second one', async () => {
    const r = await withCommand(['--json'], (io) => {
      printJson({ order_id: '1', status: 'REJECTED' }, io.stdout);
      throw new RejectedError('order 1 rejected: insufficient funds');
    });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.out)).toEqual({ order_id: '1', status: 'REJECTED' });
    expect(r.err).toBe('algo: order 1 rejected: insufficient funds\n');
  });

  it('a failure before any document gets the error document, with the typed exit code', async () => {
    const r = await withCommand(['--json'], () => {
      throw new RejectedError('order 2 rejected: market closed', 'try again at 09:15 IST');
    });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.out)).toEqual({ status: 'error', error_type: 'OrderException', message: 'order 2 rejected: market closed', hint: 'try again at 09:15 IST' });
  });

  it('the document is redacted like the stderr line', async () => {
    const token = 'abcdefghijklmnopqrstuvwxyz012345';
    const r = await withCommand(['--json'], () => {
      throw new AlgoError(`Kite said no to access_token=${token}`);
    });
    expect(r.code).toBe(1);
    expect(r.out + r.err).not.toContain(token);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'error', error_type: 'GeneralException' });
  });

  it("a command's own exit code (doctor, migrate) is returned and does not stay on the process", async () => {
    const before = process.exitCode;
    const r = await withCommand([], () => {
      process.exitCode = 1;
    });
    expect(r.code).toBe(1);
    expect(process.exitCode).toBe(before);
  });
});

describe('errorTypeOf: typed errors as Kite error types', () => {
  it.each([
    [new UsageError('bad flag'), 'InputException'],
    [new AuthError('no session'), 'TokenException'],
    [new RejectedError('order rejected'), 'OrderException'],
    [new KiteError('NetworkException', 'Kite is unreachable'), 'NetworkException'],
    [new KiteError('TokenException', 'Incorrect api_key or access_token'), 'TokenException'],
    [new KiteError('not a type', 'odd'), 'GeneralException'],
    [new AlgoError('no such paper order'), 'GeneralException'],
    [new Error('boom'), 'GeneralException'],
    ['a string', 'GeneralException'],
  ])('%s -> %s', (err, type) => {
    expect(errorTypeOf(err)).toBe(type);
  });

  it("commander's parse errors are InputException documents", () => {
    expect(errorDocument(new CommanderError(1, 'commander.missingArgument', "error: missing required argument 'quantity'"))).toEqual({
      status: 'error',
      error_type: 'InputException',
      message: "missing required argument 'quantity'",
    });
  });
});

describe("the program's Io reaches every command's Context", () => {
  it('contextOf finds the Io on the root; a program built without one uses the process streams', () => {
    const io = captureIo(cleanEnv());
    const program = buildProgram(io);
    for (const { cmd } of commandTree(program)) expect(contextOf(cmd).io).toBe(io);
    const plain = commandTree(buildProgram()).find((c) => c.path.join(' ') === 'paper buy')!.cmd;
    expect(contextOf(plain).io.stdout).toBe(process.stdout);
  });

  it('a command run through runCli reads its settings from the Io environment', async () => {
    const dir = emptyDataDir();
    const r = await algo(['activity'], cleanEnv({ ALGO_DATA_DIR: dir, ALGO_PROFILE: 'nobody' }));
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/^algo: profile nobody has no user yet/);
  });
});
