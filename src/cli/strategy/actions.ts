import fs from 'node:fs';
import { AlgoError, ExitCode, UsageError } from '../../core/errors.js';
import { BUILTINS, builtinById } from '../../core/strategy/builtins/index.js';
import { compileRules } from '../../core/strategy/rules/compile.js';
import type { Context } from '../context.js';
import { colorEnabled, printJson, styles } from '../output.js';
import * as views from './views.js';

/** Rule files are small; anything larger is not one. */
const MAX_RULE_FILE = 256 * 1024;

export async function runStrategy(ctx: Context, name: 'list' | 'show' | 'validate', args: string[]): Promise<void> {
  const out = ctx.io.stdout;
  const st = styles(colorEnabled(out, ctx.io.env));
  switch (name) {
    case 'list':
      if (ctx.json) printJson({ strategies: BUILTINS.map(views.strategyJson) }, out);
      else out.write(views.listText(BUILTINS, st));
      return;
    case 'show': {
      const s = builtinById(args[0]!);
      if (!s) throw new UsageError(`unknown strategy "${args[0]}"`, `known: ${BUILTINS.map((b) => b.id).join(', ')} (see algo strategy list)`);
      if (ctx.json) printJson(views.strategyJson(s), out);
      else out.write(views.showText(s, st));
      return;
    }
    case 'validate':
      return validate(ctx, args[0]!);
  }
}

function validate(ctx: Context, file: string): void {
  const text = readRuleFile(file);
  const r = compileRules(text);
  if (r.ok) {
    if (ctx.json) printJson({ status: 'ok', file, ...views.strategyJson(r.strategy) }, ctx.io.stdout);
    else ctx.io.stdout.write(views.validText(file, r.strategy));
    return;
  }
  const hint = 'fix the fields named and run algo strategy validate again';
  if (ctx.json) {
    printJson({ status: 'error', error_type: 'InputException', message: `${file}: ${problems(r.errors.length)}`, hint, errors: r.errors }, ctx.io.stdout);
  } else {
    for (const e of r.errors) ctx.io.stderr.write(`algo: ${file}: ${e}\n`);
  }
  process.exitCode = ExitCode.usage;
}

const problems = (n: number): string => (n === 1 ? '1 problem' : `${n} problems`);

function readRuleFile(file: string): string {
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_RULE_FILE) throw new AlgoError(`cannot read ${file}: ${size} bytes is too large for a rule file (at most ${MAX_RULE_FILE})`, { hint: 'give the JSON rule file itself' });
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof AlgoError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new AlgoError(`cannot read ${file}: ${why}`, { hint: 'give the path of a JSON rule file, e.g. examples/rules/ema-rsi-trend.json' });
  }
}
