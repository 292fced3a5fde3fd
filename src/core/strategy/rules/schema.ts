import { z } from 'zod';
import { TIMEFRAMES } from '../bars.js';
import { parseOperand } from './operands.js';

/**
 * The rule file (JSON), checked with zod (the same schema can feed the API's OpenAPI document).
 * Every error names its field path, e.g. `entry.all[1].left: unknown indicator "smaa"; known: ...`.
 */
export const OPS = ['crossAbove', 'crossBelow', 'gt', 'gte', 'lt', 'lte'] as const;
export type Op = (typeof OPS)[number];

export type RuleNode = { op: Op; left: string | number; right: string | number } | { all: RuleNode[] } | { any: RuleNode[] };

const operand = z.union([z.string(), z.number()], { error: 'must be a price, an indicator such as "ema(9)", or a number' }).superRefine((raw, ctx) => {
  const r = parseOperand(raw);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
});

const node: z.ZodType<RuleNode> = z.lazy(() =>
  z
    .strictObject({
      op: z.enum(OPS, { error: `must be one of ${OPS.join(', ')}` }).optional(),
      left: operand.optional(),
      right: operand.optional(),
      all: z.array(node).min(1, { error: 'needs at least one condition' }).optional(),
      any: z.array(node).min(1, { error: 'needs at least one condition' }).optional(),
    })
    .superRefine((n, ctx) => {
      const shapes = [n.op !== undefined || n.left !== undefined || n.right !== undefined, n.all !== undefined, n.any !== undefined].filter(Boolean).length;
      if (shapes !== 1) ctx.addIssue({ code: 'custom', message: 'write one condition {op, left, right}, or a group {all: [...]} or {any: [...]}' });
      else if (n.op !== undefined || n.left !== undefined || n.right !== undefined) {
        for (const k of ['op', 'left', 'right'] as const) if (n[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'is missing' });
      }
    }),
) as z.ZodType<RuleNode>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time HH:MM (IST), e.g. "09:20"' });
const distance = z.string().regex(/^\d+(\.\d+)?(%|atr)?$/, { error: 'write a percentage ("1%"), rupee points ("12.5") or an ATR multiple ("2atr")' });

const group = (withSide: boolean) =>
  z
    .strictObject({
      ...(withSide ? { side: z.enum(['long', 'short'], { error: 'must be "long" or "short"' }) } : {}),
      all: z.array(node).min(1, { error: 'needs at least one condition' }).optional(),
      any: z.array(node).min(1, { error: 'needs at least one condition' }).optional(),
    })
    .superRefine((g, ctx) => {
      if ((g.all === undefined) === (g.any === undefined)) ctx.addIssue({ code: 'custom', message: 'give either "all" or "any" (a list of conditions)' });
    });

export const ruleFileSchema = z.strictObject({
  id: z.string({ error: 'must be text: 2-40 lowercase letters, digits and dashes' }).regex(/^[a-z0-9][a-z0-9-]{1,39}$/, { error: 'must be 2-40 lowercase letters, digits and dashes, e.g. "ema-rsi"' }),
  version: z.number({ error: 'must be a whole number from 1' }).int({ error: 'must be a whole number from 1' }).min(1, { error: 'must be a whole number from 1' }).default(1),
  title: z.string({ error: 'must be text (up to 80 characters)' }).min(1, { error: 'must not be empty' }).max(80, { error: 'must be at most 80 characters' }),
  description: z.string({ error: 'must be text (up to 400 characters)' }).max(400, { error: 'must be at most 400 characters' }).default(''),
  timeframe: z.enum(TIMEFRAMES, { error: `must be one of ${TIMEFRAMES.join(', ')}` }),
  entry: group(true),
  exit: group(false).optional(),
  stopLoss: distance.optional(),
  target: distance.optional(),
  trailing: distance.optional(),
  window: z
    .strictObject({
      entryFrom: hhmm.default('09:20'),
      entryUntil: hhmm.default('15:00'),
      squareOff: z.union([hhmm, z.literal('none')], { error: 'must be a time HH:MM (IST) or "none"' }).default('15:10'),
    })
    .default({ entryFrom: '09:20', entryUntil: '15:00', squareOff: '15:10' }),
});

export type RuleFile = z.output<typeof ruleFileSchema>;

/** "entry.all[1].left" from a zod path. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}
