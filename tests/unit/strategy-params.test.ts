import { describe, expect, it } from 'vitest';
import { smaCross } from '../../src/core/strategy/builtins/ma-cross.js';
import { BUILTINS } from '../../src/core/strategy/builtins/index.js';
import { allowed, defaultsOf, paramPairs, parseParams, type ParamSchema } from '../../src/core/strategy/params.js';
import { resolveParams } from '../../src/core/strategy/resolve.js';

const schema = {
  fast: { type: 'integer', default: 9, min: 2, max: 200, description: 'fast' },
  band: { type: 'number', default: 1, min: 0.1, max: 10, description: 'band' },
  short: { type: 'boolean', default: false, description: 'short' },
  tf: { type: 'enum', values: ['1m', '5m'], default: '5m', description: 'tf' },
} as const satisfies ParamSchema;

describe('parseParams: one schema for flags, API bodies and forms', () => {
  it('gives the defaults when nothing is given', () => {
    expect(parseParams(schema)).toEqual({ ok: true, params: { fast: 9, band: 1, short: false, tf: '5m' } });
  });

  it('reads CLI strings and JSON values alike, typed', () => {
    const fromFlags = parseParams(schema, { fast: '12', band: '2.5', short: 'true', tf: '1m' });
    const fromBody = parseParams(schema, { fast: 12, band: 2.5, short: true, tf: '1m' });
    expect(fromFlags).toEqual({ ok: true, params: { fast: 12, band: 2.5, short: true, tf: '1m' } });
    expect(fromBody).toEqual(fromFlags);
  });

  it.each([
    [{ fast: '1' }, 'parameter fast: "1" is not an integer from 2 to 200'],
    [{ fast: 201 }, 'parameter fast: 201 is not an integer from 2 to 200'],
    [{ fast: '9.5' }, 'parameter fast: "9.5" is not an integer from 2 to 200'],
    [{ fast: '9x' }, 'parameter fast: "9x" is not an integer from 2 to 200'],
    [{ band: '0.05' }, 'parameter band: "0.05" is not a number from 0.1 to 10'],
    [{ short: 'yes' }, 'parameter short: "yes" is not true or false'],
    [{ tf: '2m' }, 'parameter tf: "2m" is not one of 1m, 5m'],
    [{ fsat: '3' }, 'unknown parameter fsat; known: fast, band, short, tf'],
  ])('%j is refused: %s', (given, line) => {
    expect(parseParams(schema, given)).toEqual({ ok: false, errors: [line] });
  });

  it('names every bad parameter at once', () => {
    const r = parseParams(schema, { fast: '0', tf: 'x' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toHaveLength(2);
  });

  it('says what each type accepts', () => {
    expect(allowed(schema.fast)).toBe('an integer from 2 to 200');
    expect(allowed(schema.tf)).toBe('one of 1m, 5m');
  });

  it('--param words: NAME=VALUE, or one line naming the bad word', () => {
    expect(paramPairs(['fast=9', 'slow = 21'])).toEqual({ ok: true, values: { fast: '9', slow: '21' } });
    expect(paramPairs(['fast'])).toEqual({ ok: false, errors: ['--param "fast": write NAME=VALUE, e.g. --param fast=9'] });
    expect(paramPairs(['=9']).ok).toBe(false);
  });
});

describe('resolveParams: the values, then the strategy rule across them', () => {
  it('refuses fast at or above slow, naming both', () => {
    expect(resolveParams(smaCross, { fast: '30', slow: '30' })).toEqual({ ok: false, errors: ['parameter fast (30) must be below slow (30)'] });
    expect(resolveParams(smaCross, { fast: '5', slow: '20' })).toMatchObject({ ok: true, params: { fast: 5, slow: 20 } });
  });

  it.each(BUILTINS.map((s) => [s.id, s] as const))('%s: the defaults are valid and every default lies in its range', (_id, s) => {
    expect(resolveParams(s).ok).toBe(true);
    for (const spec of Object.values(s.params)) {
      if (spec.type === 'number' || spec.type === 'integer') expect(spec.default).toBeGreaterThanOrEqual(spec.min), expect(spec.default).toBeLessThanOrEqual(spec.max);
      if (spec.type === 'enum') expect(spec.values).toContain(spec.default);
    }
    expect(s.warmup(defaultsOf(s.params))).toBeGreaterThan(0);
  });
});
