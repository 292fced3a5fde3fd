import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { runCli, spawnCli, tempDataDir, type CliProcess } from '../helpers/cli.js';

/**
 * Two `algo bot run` processes on one store: exactly one runs the bot; killed with SIGKILL, the
 * other takes it over once the lease expires (a real second on this clock: bot-runner.ts), with a
 * higher token.
 */
const CLOCK = '2026-12-02T09:14:00+05:30';
const SPEED = 60;
const LEASE_REAL_MS = 1_000;
const dataDir = tempDataDir('algo-bot-lease-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 }));
const algo = (args: string[]) => runCli([...args, '--profile', 'asha'], { dataDir, env: { ALGO_CLOCK: CLOCK } });
const runner = (): CliProcess => spawnCli(['bot', 'run', '--profile', 'asha'], { dataDir, env: { ALGO_CLOCK: CLOCK, ALGO_CLOCK_RUN: '1', ALGO_CLOCK_SPEED: String(SPEED) } });
const took = (p: CliProcess): boolean => / (session|recovered): /.test(p.stdout());

async function lease() {
  const store = openSqliteStore(path.join(dataDir, 'algo.db'));
  try {
    const bot = (await store.bots.get('SB0001', 'solo'))!;
    return (await store.bots.lease('SB0001', bot.id))!;
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  for (const args of [['login', '--sandbox', '--user', 'SB0001'], ['bot', 'create', 'solo', '--strategy', 'orb', '--symbol', 'INFY'], ['bot', 'start', 'solo']]) {
    const r = await algo(args);
    expect(r.code, r.stderr).toBe(0);
  }
}, 180_000);

describe('two algo bot run processes on one store', () => {
  it('one runs the bot; after kill -9 the other takes it over within two lease periods, with a higher token', async () => {
    const a = runner();
    const b = runner();
    onTestFinished(() => {
      a.child.kill('SIGKILL');
      b.child.kill('SIGKILL');
    });
    const holderOf = (p: CliProcess) => p.waitFor(/bot runner (\S+) running/).then((m) => m[1]!);
    const names = await Promise.all([holderOf(a), holderOf(b)]);
    await Promise.race([a.waitFor(/ session: /, 'stdout'), b.waitFor(/ session: /, 'stdout')]);
    await new Promise((r) => setTimeout(r, 1_500)); // several lease periods: the other never takes it
    expect([took(a), took(b)].filter(Boolean)).toHaveLength(1);
    const [holder, other, otherName] = took(a) ? [a, b, names[1]] : [b, a, names[0]];
    const before = await lease();
    holder.child.kill('SIGKILL');
    const killed = Date.now();
    await other.waitFor(/ recovered: /, 'stdout');
    const takeover = Date.now() - killed;
    expect(takeover).toBeLessThan(2 * LEASE_REAL_MS + 500); // the two clocks started a moment apart
    const after = await lease();
    expect(after.holder).toBe(otherName);
    expect(after.token).toBeGreaterThan(before.token);
    other.child.kill('SIGTERM');
    expect((await other.done).code).toBe(0);
    console.log(`bot-lease: takeover ${takeover} ms after kill -9 (lease ${LEASE_REAL_MS} ms real), token ${before.token} -> ${after.token}`);
  }, 120_000);
});
