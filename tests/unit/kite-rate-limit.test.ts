import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gateFor, rateLimitFile, SharedRateGate } from '../../src/core/kite/rate-limit.js';
import { tempDataDir } from '../helpers/cli.js';

/** Wall time and sleep under the test's control: a sleep moves the time on. */
function fakeTime(start = 1_000_000) {
  const t = { now: start, slept: [] as number[] };
  return {
    t,
    now: () => t.now,
    sleep: async (ms: number) => {
      t.slept.push(ms);
      t.now += ms;
    },
  };
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const dir = () => {
  const d = tempDataDir('algo-ratelimit-');
  dirs.push(d);
  return path.join(d, 'cache');
};

describe('the rate limit shared through a file', () => {
  it('two gates on one file (two processes of one app) share one window', async () => {
    const file = rateLimitFile(dir(), 'my_api_key');
    const f = fakeTime();
    const a = new SharedRateGate(file, 'quote', 1, f.now, f.sleep, 1000);
    const b = new SharedRateGate(file, 'quote', 1, f.now, f.sleep, 1000);
    await a.take();
    const at = f.t.now;
    await b.take(); // waits for a's window to pass
    expect(f.t.now - at).toBeGreaterThanOrEqual(1000);
    await a.take();
    expect(f.t.now - at).toBeGreaterThanOrEqual(2000);
    // Categories count apart: three historical requests start at once.
    const h = new SharedRateGate(file, 'historical', 3, f.now, f.sleep, 1000);
    const before = f.t.now;
    await Promise.all([h.take(), h.take(), h.take()]);
    expect(f.t.now).toBe(before);
  });

  it('counts a request from its answer: a slow request does not let the next one in early', async () => {
    const file = rateLimitFile(dir(), 'k');
    const f = fakeTime();
    const a = new SharedRateGate(file, 'quote', 1, f.now, f.sleep, 1000);
    const b = new SharedRateGate(file, 'quote', 1, f.now, f.sleep, 1000);
    await a.take();
    const started = f.t.now;
    f.t.now += 400; // the answer comes 400 ms later (Kite counted it somewhere in between)
    a.finished();
    await b.take();
    expect(f.t.now - started).toBeGreaterThanOrEqual(1400);
  });

  it('keeps the api key out of the file name and the file', async () => {
    const d = dir();
    const file = rateLimitFile(d, 'my_api_key');
    expect(path.basename(file)).toMatch(/^ratelimit-[0-9a-f]{16}\.json$/);
    await new SharedRateGate(file, 'other').take();
    expect(fs.readFileSync(file, 'utf8')).not.toContain('my_api_key');
    expect(fs.readdirSync(d)).toEqual([path.basename(file)]); // no lock or temp file left behind
  });

  it('takes over a lock left by a process that died holding it, and reads a torn file as empty', async () => {
    const file = rateLimitFile(dir(), 'k');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.lock`, '');
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(`${file}.lock`, old, old);
    fs.writeFileSync(file, '{"quote": [');
    await new SharedRateGate(file, 'quote').take();
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).quote).toHaveLength(1);
  });

  it('falls back to this process only when the folder cannot be written', async () => {
    const base = dir();
    fs.mkdirSync(path.dirname(base), { recursive: true });
    const notADir = path.join(path.dirname(base), 'file');
    fs.writeFileSync(notADir, 'x');
    await expect(gateFor('k', 'other', path.join(notADir, 'cache')).take()).resolves.toBeUndefined();
  });
});
