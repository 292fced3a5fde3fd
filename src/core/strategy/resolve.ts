import { parseParams, type AnyParams } from './params.js';
import type { Strategy } from './types.js';

/** A strategy's parameters from what a face was given: each value checked, then the strategy's own rule across them. */
export function resolveParams(strategy: Strategy, given: Readonly<Record<string, unknown>> = {}): { ok: true; params: AnyParams } | { ok: false; errors: string[] } {
  const r = parseParams(strategy.params, given);
  if (!r.ok) return r;
  const problem = strategy.check?.(r.params) ?? null;
  return problem ? { ok: false, errors: [problem] } : { ok: true, params: r.params };
}
