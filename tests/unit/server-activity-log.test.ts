import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ActivityLog, activityFile, readActivity } from '../../src/core/activity-log.js';

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
    expect(last.map((e) => e.ms)).toEqual([4, 5]);
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
});
