import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runCli, spawnCli, tempDataDir } from '../helpers/cli.js';

/** `algo serve` runs every user's bots (the sandbox in process) and gives them up on SIGTERM. */
const CLOCK = '2026-12-02T09:14:00+05:30';
const dataDir = tempDataDir('algo-bot-serve-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 }));
const algo = (args: string[], profile: string) => runCli([...args, '--profile', profile], { dataDir, env: { ALGO_CLOCK: CLOCK } });
const show = async (name: string, profile: string) => JSON.parse((await algo(['bot', 'show', name, '--json'], profile)).stdout) as { status: string };

beforeAll(async () => {
  for (const [user, profile] of [['SB0001', 'asha'], ['SB0002', 'vikram']] as const) {
    for (const args of [['login', '--sandbox', '--user', user], ['bot', 'create', `b-${profile}`, '--strategy', 'orb', '--symbol', 'INFY'], ['bot', 'start', `b-${profile}`]]) {
      const r = await algo(args, profile);
      expect(r.code, r.stderr).toBe(0);
    }
  }
}, 180_000);

describe('algo serve with bots', () => {
  it("runs both users' bots, and on SIGTERM releases them (a stop then needs no runner)", async () => {
    const p = spawnCli(['serve', '--sandbox', '--port', '0'], { dataDir, env: { ALGO_CLOCK: CLOCK, ALGO_CLOCK_RUN: '1', ALGO_CLOCK_SPEED: '60' } });
    onTestFinished(() => void p.child.kill('SIGKILL'));
    await p.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+ \(sandbox/, 'stdout');
    const deadline = Date.now() + 20_000;
    let statuses: string[] = [];
    while (Date.now() < deadline) {
      statuses = [(await show('b-asha', 'asha')).status, (await show('b-vikram', 'vikram')).status];
      if (statuses.every((s) => s === 'running')) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(statuses).toEqual(['running', 'running']);
    p.child.kill('SIGTERM');
    const done = await p.done;
    expect(done.code, done.stderr).toBe(0);
    // no runner holds them now: stop sets the status at once, and rm is allowed
    for (const profile of ['asha', 'vikram']) {
      expect((await algo(['bot', 'stop', `b-${profile}`], profile)).code).toBe(0);
      expect((await show(`b-${profile}`, profile)).status).toBe('stopped');
      const rm = await algo(['bot', 'rm', `b-${profile}`], profile);
      expect(rm.code, rm.stderr).toBe(0);
    }
  }, 120_000);
});
