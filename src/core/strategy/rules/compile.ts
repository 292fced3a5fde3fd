import { toPaise } from '../../money.js';
import { builtinById } from '../builtins/index.js';
import { sourceOf, unitOf, warmupBars, nameOf, type IndicatorSpec } from '../indicators.js';
import { HOLD, target, type BarContext, type Distance, type ExitPlan, type Strategy } from '../types.js';
import { parseOperand, type Operand } from './operands.js';
import { pathText, ruleFileSchema, type Op, type RuleFile, type RuleNode } from './schema.js';

/** A condition ready to evaluate: operands resolved, numbers beside prices already in paise. */
type Compiled = { op: Op; left: Operand; right: Operand } | { all: Compiled[] } | { any: Compiled[] };

export type CompileResult = { ok: true; strategy: Strategy; rules: RuleFile } | { ok: false; errors: string[] };

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const ATR_PERIOD = 14;

/** A rule file's text compiled into the strategy interface, or one line per problem (field path first). */
export function compileRules(text: string): CompileResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`not valid JSON: ${(err as Error).message}`] };
  }
  const parsed = ruleFileSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((i) => {
      const at = pathText(i.path);
      if (i.code === 'unrecognized_keys') return i.keys.map((k) => `${at ? `${at}.` : ''}${k}: unknown field`);
      if (i.code === 'invalid_type' && valueAt(raw, i.path) === undefined) return [`${at}: is required`];
      return [`${at || 'file'}: ${i.message}`];
    });
    return { ok: false, errors: [...new Set(errors)] };
  }
  const rules = parsed.data;
  const errors: string[] = [];
  if (builtinById(rules.id)) errors.push(`id: "${rules.id}" is a built-in strategy; choose another id`);
  const specs = new Map<string, IndicatorSpec>();

  const resolve = (n: RuleNode, path: string): Compiled => {
    if ('all' in n && n.all) return { all: n.all.map((c, i) => resolve(c, `${path}.all[${i}]`)) };
    if ('any' in n && n.any) return { any: n.any.map((c, i) => resolve(c, `${path}.any[${i}]`)) };
    const c = n as Extract<RuleNode, { op: Op }>;
    let left = (parseOperand(c.left) as { operand: Operand }).operand;
    let right = (parseOperand(c.right) as { operand: Operand }).operand;
    const unit = (o: Operand): 'price' | 'number' | 'constant' => (o.kind === 'number' ? 'constant' : o.kind === 'price' ? 'price' : unitOf(o.spec));
    const [lu, ru] = [unit(left), unit(right)];
    if (lu === 'constant' && ru === 'constant') errors.push(`${path}: compare a price or an indicator with a number, not two numbers`);
    else if (lu !== 'constant' && ru !== 'constant' && lu !== ru) errors.push(`${path}: cannot compare ${JSON.stringify(c.left)} (a ${lu}) with ${JSON.stringify(c.right)} (a ${ru})`);
    const inPaise = (o: Operand, other: 'price' | 'number' | 'constant', side: string): Operand => {
      if (o.kind !== 'number' || other !== 'price') return o;
      const p = toPaise(o.value);
      if (p === null) errors.push(`${path}.${side}: ${o.value} is rupees beside a price: at most two decimals`);
      return { kind: 'number', value: p ?? 0 };
    };
    left = inPaise(left, ru, 'left');
    right = inPaise(right, lu, 'right');
    for (const o of [left, right]) if (o.kind === 'indicator') specs.set(nameOf(o.spec), o.spec);
    return { op: c.op, left, right };
  };

  const entry = resolve(rules.entry as RuleNode, 'entry');
  const exit = rules.exit ? resolve(rules.exit as RuleNode, 'exit') : undefined;
  const plan: ExitPlan = {};
  for (const key of ['stopLoss', 'target', 'trailing'] as const) {
    const d = rules[key] === undefined ? undefined : distanceOf(rules[key]!, key, errors);
    if (d) plan[key] = d;
    if (d && 'atr' in d) specs.set(nameOf({ kind: 'atr', period: ATR_PERIOD }), { kind: 'atr', period: ATR_PERIOD });
  }
  const w = rules.window;
  if (minutes(w.entryFrom) < 9 * 60 + 15 || minutes(w.entryUntil) > 15 * 60 + 30) errors.push('window: entries must lie between 09:15 and 15:30 IST');
  if (minutes(w.entryFrom) >= minutes(w.entryUntil)) errors.push(`window.entryUntil: ${w.entryUntil} must be after entryFrom ${w.entryFrom}`);
  if (w.squareOff !== 'none' && minutes(w.squareOff) < minutes(w.entryUntil)) errors.push(`window.squareOff: ${w.squareOff} must not be before entryUntil ${w.entryUntil}`);
  if (w.squareOff !== 'none' && minutes(w.squareOff) > 15 * 60 + 20) errors.push(`window.squareOff: ${w.squareOff} is after Zerodha's 15:20 MIS square-off; use 15:20 or earlier, or "none"`);
  if (errors.length) return { ok: false, errors };
  if (w.squareOff !== 'none') plan.exitAt = w.squareOff;
  return { ok: true, strategy: strategyOf(rules, entry, exit, Object.freeze(plan), specs), rules };
}

/** The value at a path in what the file holds (undefined when absent). */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function distanceOf(text: string, key: string, errors: string[]): Distance | undefined {
  const n = Number.parseFloat(text);
  if (text.endsWith('%')) {
    if (n > 0 && n <= 50) return { percent: n };
    errors.push(`${key}: ${text} must be above 0% and at most 50%`);
  } else if (text.endsWith('atr')) {
    if (n > 0 && n <= 20) return { atr: n, period: ATR_PERIOD };
    errors.push(`${key}: ${text} must be above 0 and at most 20 ATR`);
  } else {
    const p = toPaise(text);
    if (p !== null && p > 0) return { points: p };
    errors.push(`${key}: ${text} must be rupees above 0, at most two decimals`);
  }
  return undefined;
}

function strategyOf(rules: RuleFile, entry: Compiled, exit: Compiled | undefined, plan: ExitPlan, specs: Map<string, IndicatorSpec>): Strategy {
  const side = rules.entry.side === 'short' ? -1 : 1;
  const from = minutes(rules.window.entryFrom);
  const until = minutes(rules.window.entryUntil);
  const squareOff = rules.window.squareOff === 'none' ? Infinity : minutes(rules.window.squareOff);
  const warm = Math.max(2, ...[...specs.values()].map((s) => warmupBars(s, rules.timeframe)));

  const read = (ctx: BarContext, o: Operand, ago: number): number | null => {
    if (o.kind === 'number') return o.value;
    if (o.kind === 'price') return sourceOf(ago === 0 ? ctx.bar : ctx.bars.at(-1 - ago), o.source);
    return ctx.value(nameOf(o.spec), ago);
  };
  const holds = (ctx: BarContext, c: Compiled): boolean => {
    if ('all' in c) return c.all.every((x) => holds(ctx, x));
    if ('any' in c) return c.any.some((x) => holds(ctx, x));
    const l0 = read(ctx, c.left, 0);
    const r0 = read(ctx, c.right, 0);
    if (l0 === null || r0 === null) return false;
    if (c.op === 'gt') return l0 > r0;
    if (c.op === 'gte') return l0 >= r0;
    if (c.op === 'lt') return l0 < r0;
    if (c.op === 'lte') return l0 <= r0;
    const l1 = read(ctx, c.left, 1);
    const r1 = read(ctx, c.right, 1);
    if (l1 === null || r1 === null) return false;
    return c.op === 'crossAbove' ? l1 <= r1 && l0 > r0 : l1 >= r1 && l0 < r0;
  };

  return {
    id: rules.id,
    version: rules.version,
    title: rules.title,
    description: rules.description,
    params: {},
    timeframe: rules.timeframe,
    warmup: () => warm,
    init(ctx) {
      for (const [name, spec] of specs) ctx.indicator(name, spec);
    },
    onBar(ctx) {
      if (ctx.minuteOfDay >= squareOff) return ctx.position === 0 ? HOLD : target('flat', undefined, `square-off at ${rules.window.squareOff}`);
      if (ctx.position === 0) {
        if (ctx.minuteOfDay < from || ctx.minuteOfDay > until || !holds(ctx, entry)) return HOLD;
        return target(side * ctx.quantity, Object.keys(plan).length ? plan : undefined, 'entry rules');
      }
      return exit && holds(ctx, exit) ? target('flat', undefined, 'exit rules') : HOLD;
    },
  };
}
