import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/rules');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-strategy-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function algo(args: string[]) {
  const io = captureIo({ ...process.env, NO_COLOR: '1' });
  const code = await runCli(['node', 'algo', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('algo strategy list', () => {
  it('shows the six built-ins with timeframe and warm-up', async () => {
    const r = await algo(['strategy', 'list']);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TITLE\s+TIMEFRAME\s+WARM-UP$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual(['sma-cross', 'ema-cross', 'rsi-reversion', 'orb', 'vwap-reversion', 'supertrend']);
    expect(r.out).toMatch(/ema-cross\s+EMA crossover\s+5m\s+145 bars/);
  });

  it('--json: one document with every parameter', async () => {
    const r = await algo(['strategy', 'list', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { strategies: Array<{ id: string; params: Array<{ name: string }> }> };
    expect(doc.strategies).toHaveLength(6);
    expect(doc.strategies[0]!.params.map((p) => p.name)).toEqual(['fast', 'slow', 'timeframe', 'allowShort']);
  });
});

describe('algo strategy show', () => {
  it('lists parameters with defaults, ranges and descriptions', async () => {
    const r = await algo(['strategy', 'show', 'rsi-reversion']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('rsi-reversion v1: RSI mean reversion');
    expect(r.out).toContain('timeframe 5m, warm-up 202 bars (with the defaults)');
    expect(r.out).toMatch(/period\s+14\s+an integer from 2 to 100\s+bars in the RSI/);
    expect(r.out).toMatch(/allowShort\s+false\s+true or false/);
  });

  it('--json gives the schema a form or an API client validates against', async () => {
    const r = await algo(['strategy', 'show', 'orb', '--json']);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ id: 'orb', version: 1, timeframe: '5m', warmup_bars: 75 });
    expect(doc.params[0]).toEqual({ name: 'minutes', type: 'integer', default: 15, min: 1, max: 120, description: 'minutes after 09:15 IST that make the range' });
    expect(doc.params[2]).toMatchObject({ name: 'timeframe', type: 'enum', values: ['1m', '3m', '5m', '15m'] });
  });

  it('an unknown id: one line naming the known ones, exit 2; --json the error document', async () => {
    const r = await algo(['strategy', 'show', 'sma-crosss']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('algo: unknown strategy "sma-crosss"; known: sma-cross, ema-cross, rsi-reversion, orb, vwap-reversion, supertrend (see algo strategy list)\n');
    const j = await algo(['strategy', 'show', 'sma-crosss', '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.out)).toEqual({ status: 'error', error_type: 'InputException', message: 'unknown strategy "sma-crosss"', hint: expect.stringMatching(/^known: sma-cross/) });
  });
});

describe('algo strategy validate', () => {
  const file = (name: string) => path.join(fixtures, name);

  it('a valid file: one line, exit 0', async () => {
    const r = await algo(['strategy', 'validate', file('ema-rsi-trend.json')]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`${file('ema-rsi-trend.json')}: valid: ema-rsi-trend v1 (EMA trend with an RSI filter), 5m bars, warm-up 202 bars\n`);
  });

  it('--json on a valid file gives the compiled strategy', async () => {
    const r = await algo(['strategy', 'validate', file('vwap-orb-short.json'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'ok', id: 'vwap-orb-short', timeframe: '5m', params: [] });
  });

  it('an invalid file: one line per error on stderr, exit 2, nothing on stdout', async () => {
    const r = await algo(['strategy', 'validate', file('broken.json')]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`algo: ${file('broken.json')}: entry.all[1].left: unknown indicator "smaa"; known: sma, ema, rsi, atr, supertrend, supertrend_trend, vwap, orb_high, orb_low; prices: open, high, low, close, hl2, hlc3`);
    expect(lines[2]).toBe(`algo: ${file('broken.json')}: colour: unknown field`);
  });

  it('--json on an invalid file: one error document with every error, exit 2', async () => {
    const r = await algo(['strategy', 'validate', file('broken.json'), '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('');
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ status: 'error', error_type: 'InputException', message: `${file('broken.json')}: 3 problems` });
    expect(doc.errors).toHaveLength(3);
  });

  it('a file that cannot be read: one line, exit 1', async () => {
    const missing = path.join(tmp, 'nope.json');
    const r = await algo(['strategy', 'validate', missing]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`algo: cannot read ${missing}: no such file; give the path of a JSON rule file, e.g. examples/rules/ema-rsi-trend.json\n`);
    const dir = await algo(['strategy', 'validate', tmp, '--json']);
    expect(dir.code).toBe(1);
    expect(JSON.parse(dir.out)).toMatchObject({ status: 'error', error_type: 'GeneralException', message: `cannot read ${tmp}: it is a folder` });
  });

  it('a file that is not JSON: one line, exit 2', async () => {
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, '{"id": "x",');
    const r = await algo(['strategy', 'validate', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^algo: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON: .*\n$`));
  });
});

describe('help', () => {
  it.each([['strategy'], ['strategy', 'list'], ['strategy', 'show'], ['strategy', 'validate']])('algo %s --help has examples', async (...words) => {
    const r = await algo([...words, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\nExamples:\n {2}\$ algo strategy /);
  });

  it('the validate example runs on the shipped example file', async () => {
    const root = path.resolve(fixtures, '../../..');
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const r = await algo(['strategy', 'validate', 'examples/rules/ema-rsi-trend.json']);
      expect(r.code, r.err).toBe(0);
    } finally {
      process.chdir(cwd);
    }
  });
});
