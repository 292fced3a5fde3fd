import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { activityFile } from '../../src/core/activity-log.js';
import { cliFixture, ensureBuilt } from '../helpers/cli.js';

/** `algo activity` (the built CLI) on real activity files. */
const { dataDir, algo } = cliFixture(afterEach, '2026-01-07T14:00:00+05:30', 'algo-activity-');
beforeAll(() => ensureBuilt(), 180_000);

const line = (i: number, extra: object = {}) =>
  JSON.stringify({ time: new Date(Date.parse('2026-01-07T08:30:00Z') + i * 1000).toISOString(), method: 'GET', route: '/api/paper-trading/funds', status: 200, ms: i, ...extra });

describe('algo activity', () => {
  it('--limit 3 on a 700 MB log prints the last three from its end, a 429 summary as one row', async () => {
    const dir = dataDir();
    const file = activityFile(dir, 'AB1234');
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, '', { mode: 0o600 });
    fs.truncateSync(file, 700 * 1024 * 1024); // sparse: no disk used, but more than a string can hold
    const summary = line(4, { method: '-', route: '-', status: 429, ms: 0, count: 812, since: new Date(Date.parse('2026-01-07T08:30:01Z')).toISOString(), routes: { 'GET /api/paper-trading/funds': 812 } });
    fs.appendFileSync(file, `\n${line(1)}\n${line(2)}\n${line(3)}\n${summary}\n${line(5)}\n`);

    const r = await algo(dir, ['activity', '--user', 'AB1234', '--limit', '3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[1]).toMatch(/^2026-01-07 14:00:03 +GET +\/api\/paper-trading\/funds +200 +3\.0$/);
    expect(rows[2]).toMatch(/^2026-01-07 14:00:04 +- +812 requests answered 429 since 2026-01-07 14:00:01 +429 +-$/);
    expect(rows[3]).toMatch(/^2026-01-07 14:00:05 +GET +\/api\/paper-trading\/funds +200 +5\.0$/);

    const json = await algo(dir, ['activity', '--user', 'AB1234', '--limit', '2', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).entries.map((e: { status: number; count?: number }) => [e.status, e.count ?? null])).toEqual([
      [429, 812],
      [200, null],
    ]);
  }, 60_000);

  it('reads on into the rotated files when the current one holds fewer', async () => {
    const dir = dataDir();
    const file = activityFile(dir, 'AB1234');
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(path.dirname(file), 'AB1234.2.jsonl'), `${line(1)}\n`, { mode: 0o600 });
    fs.writeFileSync(path.join(path.dirname(file), 'AB1234.1.jsonl'), `${line(2)}\n${line(3)}\n`, { mode: 0o600 });
    fs.writeFileSync(file, `${line(4)}\n`, { mode: 0o600 });
    const r = await algo(dir, ['activity', '--user', 'AB1234', '--limit', '3', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).entries.map((e: { ms: number }) => e.ms)).toEqual([2, 3, 4]);
  });
});
