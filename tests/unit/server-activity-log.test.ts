import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIVITY_DEFAULTS, ActivityLog, activityFile, readActivity, rotatedActivityFile } from '../../src/core/activity-log.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-activity-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const entry = (i: number) => ({ time: new Date(1_000 * i).toISOString(), method: 'GET', route: '/api/paper-trading/funds', status: 200, ms: i });

describe('ActivityLog', () => {
  it('appends one JSON line per request to a 0600 file per user, in order', async () => {
    const dir = tempDir();
    const log = new ActivityLog(dir, 5);
    for (let i = 1; i <= 3; i++) log.record('AB1234', entry(i));
    log.record('CD5678', entry(9));
    await log.close();
    const file = activityFile(dir, 'AB1234');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.ms)).toEqual([1, 2, 3]);
    expect(await readActivity(dir, 'CD5678', 10)).toEqual([entry(9)]);
  });

  it('reads the last N entries and skips a torn line', async () => {
    const dir = tempDir();
    const log = new ActivityLog(dir);
    for (let i = 1; i <= 5; i++) log.record('AB1234', entry(i));
    await log.flush();
    fs.appendFileSync(activityFile(dir, 'AB1234'), '{"time":"torn');
    const last = await readActivity(dir, 'AB1234', 3);
    expect(last.map((e) => e.ms)).toEqual([3, 4, 5]); // the torn line is no entry, and not one of the 3
    expect(await readActivity(dir, 'ZZ9999', 3)).toEqual([]);
  });

  it('keeps at most maxOpen files open and loses no line when it has to close one', async () => {
    const dir = tempDir();
    const log = new ActivityLog(dir, 1, 1);
    for (let i = 1; i <= 4; i++) {
      log.record(i % 2 ? 'AB1234' : 'CD5678', entry(i));
      await log.flush();
    }
    await log.close();
    expect((await readActivity(dir, 'AB1234', 10)).map((e) => e.ms)).toEqual([1, 3]);
    expect((await readActivity(dir, 'CD5678', 10)).map((e) => e.ms)).toEqual([2, 4]);
  });

  it('never builds a path from something that is not a user id', () => {
    expect(() => activityFile('/tmp', '../etc')).toThrow(RangeError);
  });

  it('rotates by size: .jsonl -> .1.jsonl -> .2.jsonl, the oldest deleted; reads run across the files', async () => {
    const dir = tempDir();
    const log = new ActivityLog(dir, 1, 256, { maxBytes: 1000, keep: 2 });
    const lineBytes = JSON.stringify(entry(100)).length + 1;
    for (let i = 1; i <= 100; i++) {
      log.record('AB1234', entry(i));
      await log.flush();
    }
    await log.close();
    const names = fs.readdirSync(path.join(dir, 'activity')).sort();
    expect(names).toEqual(['AB1234.1.jsonl', 'AB1234.2.jsonl', 'AB1234.jsonl']);
    for (const n of names) {
      expect(fs.statSync(path.join(dir, 'activity', n)).size).toBeLessThanOrEqual(1000);
      expect(fs.statSync(path.join(dir, 'activity', n)).mode & 0o777).toBe(0o600);
    }
    const perFile = Math.floor(1000 / lineBytes);
    const all = await readActivity(dir, 'AB1234', 1000);
    // Only what three files hold is kept, the newest of it, in order.
    expect(all.length).toBeGreaterThan(2 * perFile);
    expect(all.length).toBeLessThanOrEqual(3 * perFile);
    expect(all.map((e) => e.ms)).toEqual(Array.from({ length: all.length }, (_, k) => 100 - all.length + 1 + k));
    expect((await readActivity(dir, 'AB1234', perFile + 2)).map((e) => e.ms)).toEqual(Array.from({ length: perFile + 2 }, (_, k) => 100 - perFile - 1 + k));
  });

  it('rotates by age: once the first line of the file is older than maxAgeMs, also after a restart', async () => {
    const dir = tempDir();
    const hour = 3_600_000;
    const at = (h: number, ms: number) => ({ time: new Date(Date.UTC(2026, 0, 7) + h * hour).toISOString(), method: 'GET', route: '/r', status: 200, ms });
    const first = new ActivityLog(dir, 1, 256, { maxAgeMs: 24 * hour });
    first.record('AB1234', at(0, 1));
    first.record('AB1234', at(23, 2));
    await first.close();
    expect(fs.existsSync(rotatedActivityFile(dir, 'AB1234', 1))).toBe(false);
    // A new server process finds the file begun 25 h before its first request: a new file.
    const second = new ActivityLog(dir, 1, 256, { maxAgeMs: 24 * hour });
    second.record('AB1234', at(25, 3));
    await second.close();
    const old = fs.readFileSync(rotatedActivityFile(dir, 'AB1234', 1), 'utf8').trim().split('\n').map((l) => JSON.parse(l).ms);
    expect(old).toEqual([1, 2]);
    expect((await readActivity(dir, 'AB1234', 10)).map((e) => e.ms)).toEqual([1, 2, 3]);
    expect(ACTIVITY_DEFAULTS).toEqual({ maxBytes: 4 * 1024 * 1024, maxAgeMs: 7 * 24 * hour, keep: 3, rateLimitedEveryMs: 60_000 });
  });

  it('a flood of 429s is one summary line per interval, not one line each', async () => {
    const dir = tempDir();
    const log = new ActivityLog(dir, 1, 256, { rateLimitedEveryMs: 40 });
    const limited = (i: number, route = '/api/paper-trading/funds') => ({ time: new Date(1_000 * i).toISOString(), method: 'GET', route, status: 429, ms: 0.1 });
    log.record('AB1234', entry(1));
    for (let i = 2; i < 10_002; i++) log.record('AB1234', limited(i, i % 4 ? '/api/paper-trading/funds' : '/api/paper-trading/orders'));
    log.record('AB1234', entry(10_002));
    await log.flush();
    expect((await readActivity(dir, 'AB1234', 100)).map((e) => e.ms)).toEqual([1, 10_002]);
    await new Promise((r) => setTimeout(r, 120));
    await log.flush();
    const lines = fs.readFileSync(activityFile(dir, 'AB1234'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2]!)).toEqual({
      time: new Date(1_000 * 10_001).toISOString(),
      method: '-',
      route: '-',
      status: 429,
      ms: 0,
      count: 10_000,
      since: new Date(2_000).toISOString(),
      routes: { 'GET /api/paper-trading/funds': 7_500, 'GET /api/paper-trading/orders': 2_500 },
    });
    // close() writes the count of an interval not yet over.
    log.record('AB1234', limited(20_000));
    await log.close();
    const last = await readActivity(dir, 'AB1234', 1);
    expect(last).toEqual([expect.objectContaining({ status: 429, count: 1, since: new Date(20_000_000).toISOString() })]);
  });

  it('reads every line across the 64 KiB chunks, whatever their sizes, and skips a line too long to be an entry', async () => {
    const dir = tempDir();
    const file = activityFile(dir, 'AB1234');
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // lines of varied length (so they end at every offset of a chunk), an over-long one (100 KiB,
    // wider than a chunk) between entries 1500 and 1501, and a last line without its newline
    const line = (i: number) => JSON.stringify({ ...entry(i), route: `/api/${'r'.repeat(i % 97)}` });
    const body = [...Array.from({ length: 1500 }, (_, i) => line(i + 1)), 'x'.repeat(100 * 1024), ...Array.from({ length: 1500 }, (_, i) => line(1501 + i))].join('\n');
    fs.writeFileSync(file, body, { mode: 0o600 });
    const all = await readActivity(dir, 'AB1234', 10_000);
    expect(all.map((e) => e.ms)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(all[2999]!.route).toBe(`/api/${'r'.repeat(3000 % 97)}`);
    expect((await readActivity(dir, 'AB1234', 2)).map((e) => e.ms)).toEqual([2999, 3000]);
  });

  it('--limit N reads from the end in bounded memory: the last entries of a 700 MB log, which could not even be held as one string', async () => {
    const dir = tempDir();
    const file = activityFile(dir, 'AB1234');
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // 700 MB of a torn line (a sparse file: no disk used), then five entries.
    fs.writeFileSync(file, '', { mode: 0o600 });
    fs.truncateSync(file, 700 * 1024 * 1024);
    fs.appendFileSync(file, '\n' + [1, 2, 3, 4, 5].map((i) => JSON.stringify(entry(i))).join('\n') + '\n');
    const before = process.memoryUsage().rss;
    expect((await readActivity(dir, 'AB1234', 3)).map((e) => e.ms)).toEqual([3, 4, 5]);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    // Asking for more than there is scans back through the whole file, a chunk at a time.
    expect((await readActivity(dir, 'AB1234', 50)).map((e) => e.ms)).toEqual([1, 2, 3, 4, 5]);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  }, 60_000);
});
