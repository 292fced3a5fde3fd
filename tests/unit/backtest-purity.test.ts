import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The runner reads no clock, no randomness and nothing global (the face passes its clock and run id in). */
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/core/backtest');
const RUNNER = ['account.ts', 'digest.ts', 'exits.ts', 'result.ts', 'run.ts', 'runner.ts'];

const FORBIDDEN: Array<[RegExp, string]> = [
  [/\bDate\.now\b/, 'the clock (Date.now)'],
  [/new Date\(\s*\)/, 'the clock (new Date())'],
  [/\bperformance\.now\b/, 'the clock (performance.now)'],
  [/\bMath\.random\b/, 'randomness'],
  [/\brandom(Bytes|UUID|Int)\b/, 'randomness (crypto)'],
  [/\bprocess\./, 'the process (env, argv)'],
  [/\bglobalThis\b/, 'globals'],
  [/from 'node:(fs|os|child_process|net|http|worker_threads)'/, 'the machine'],
  [/from '\.\.\/\.\.\/(cli|tui|server|app|sandbox)\//, 'a face'],
];

describe('the backtest runner is pure', () => {
  const text = RUNNER.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')] as const);
  it.each(FORBIDDEN)('no runner file reads %s', (re, what) => {
    const bad = text.filter(([, t]) => re.test(t)).map(([f]) => f);
    expect(bad, `${what} in ${bad.join(', ')}`).toEqual([]);
  });
  it('no module keeps state at its top level (let / var)', () => {
    expect(text.filter(([, t]) => /^(let|var)\s/m.test(t)).map(([f]) => f)).toEqual([]);
  });
});
