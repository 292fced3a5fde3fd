import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Strategies and everything they run on read no clock, no randomness and nothing global. */
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/core/strategy');
const files = (d: string): string[] =>
  fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(d, e.name)) : e.name.endsWith('.ts') ? [path.join(d, e.name)] : []));

const FORBIDDEN: Array<[RegExp, string]> = [
  [/\bDate\.now\b/, 'the clock (Date.now)'],
  [/new Date\(\s*\)/, 'the clock (new Date())'],
  [/\bperformance\.now\b/, 'the clock (performance.now)'],
  [/\bMath\.random\b/, 'randomness'],
  [/\bcrypto\b/, 'randomness (crypto)'],
  [/\bprocess\./, 'the process (env, argv)'],
  [/\bglobalThis\b/, 'globals'],
  [/from 'node:(fs|os|child_process|net|http)'/, 'the machine'],
];

describe('src/core/strategy is pure', () => {
  const all = files(dir);
  it('has its files', () => {
    expect(all.map((f) => path.relative(dir, f))).toEqual(expect.arrayContaining(['types.ts', 'bars.ts', 'indicators.ts', 'driver.ts', 'checks.ts', 'builtins/orb.ts', 'rules/compile.ts']));
  });
  it.each(FORBIDDEN)('no file reads %s', (re, what) => {
    const bad = all.filter((f) => re.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(dir, f));
    expect(bad, `${what} in ${bad.join(', ')}`).toEqual([]);
  });
  it('no module keeps state at its top level (let / var)', () => {
    const bad = all.filter((f) => /^(let|var)\s/m.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(dir, f));
    expect(bad).toEqual([]);
  });
});
