import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as runBuiltCli, spawnCli, tempDataDir } from '../helpers/cli.js';

/**
 * The BUILT `algo bot` in child processes on one SQLite data folder: `logs --follow` prints the
 * events another process appends until Ctrl-C (SIGINT, exit 0), and `kill` without a terminal
 * needs --yes.
 */
const CLOCK = '2026-12-02T10:00:00+05:30';
const dataDir = tempDataDir('algo-bot-follow-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 }));
const algo = (args: string[]) => runBuiltCli(args, { dataDir, env: { ALGO_CLOCK: CLOCK } });

beforeAll(async () => {
  for (const args of [
    ['login', '--sandbox', '--user', 'SB0001', '--profile', 'asha'],
    ['bot', 'create', 'alpha', '--strategy', 'orb', '--symbol', 'INFY', '--profile', 'asha'],
  ]) {
    const r = await algo(args);
    expect(r.code, r.stderr).toBe(0);
  }
}, 180_000);

describe('algo bot logs --follow', () => {
  it('prints the events another process appends, every 500 ms, until Ctrl-C', async () => {
    const follow = spawnCli(['bot', 'logs', 'alpha', '--follow', '--profile', 'asha'], { dataDir, env: { ALGO_CLOCK: CLOCK } });
    await follow.waitFor(/created \(version 1\)\n/, 'stdout');
    const start = await algo(['bot', 'start', 'alpha', '--profile', 'asha']);
    expect(start.code, start.stderr).toBe(0);
    await follow.waitFor(/start  start requested\n/, 'stdout');
    follow.child.kill('SIGINT');
    const done = await follow.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout.trim().split('\n').map((l) => l.split('  ')[2])).toEqual(['created', 'start']);
  });

  it('stops cleanly on SIGTERM sent the moment its first line appears (the handlers are in before it writes)', async () => {
    const follow = spawnCli(['bot', 'logs', 'alpha', '--follow', '--profile', 'asha'], { dataDir, env: { ALGO_CLOCK: CLOCK } });
    await follow.waitFor(/created \(version 1\)\n/, 'stdout');
    follow.child.kill('SIGTERM');
    const done = await follow.done;
    expect([done.code, done.stderr]).toEqual([0, '']);
  });

  it('kill without a terminal asks nothing and needs --yes (one line, exit 2)', async () => {
    const r = await algo(['bot', 'kill', '--profile', 'asha']);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'algo: cannot ask for confirmation without a terminal; add --yes to flatten and stop every one of your bots\n' });
    const yes = await algo(['bot', 'kill', '--yes', '--profile', 'asha']);
    expect(yes).toMatchObject({ code: 0, stdout: 'kill switch: 1 bot flattened and stopped, entries blocked: alpha\n' });
  });
});
