import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, tempDataDir } from '../helpers/cli.js';

/** `algo bot run` stops cleanly (exit 0) on a signal the moment it says it runs, not only later. */
const CLOCK = '2026-12-02T10:00:00+05:30';
const dataDir = tempDataDir('algo-bot-run-signal-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 }));

beforeAll(async () => {
  const r = await runCli(['login', '--sandbox', '--user', 'SB0001'], { dataDir, env: { ALGO_CLOCK: CLOCK } });
  expect(r.code, r.stderr).toBe(0);
}, 180_000);

describe('algo bot run and an immediate signal', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} the moment the running line appears: cleanup, leases released, exit 0`, async () => {
      for (let i = 0; i < 3; i++) {
        const p = spawnCli(['bot', 'run'], { dataDir, env: { ALGO_CLOCK: CLOCK } });
        await p.waitFor(/running SB0001's bots; Ctrl-C to stop\n/);
        p.child.kill(signal);
        const done = await p.done;
        expect(done.code, done.stderr).toBe(0);
        expect(done.stderr).toMatch(/bot runner stopped; leases released\n$/);
      }
    }, 60_000);
  }
});
