import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runCli, spawnCli, tempDataDir, type CliProcess } from '../helpers/cli.js';

/**
 * `algo serve` where the market is read over HTTP (live Kite; here the sandbox on a plan without
 * historical data, which the paper engine reads as it reads Kite): each user's bots run in a bot
 * process of their own, over their own session and ticker (kiteconnect has one ticker per
 * process), trade on their own accounts, and stop with the server, even when it is killed.
 */
const CLOCK = '2026-12-02T09:14:00+05:30';
const SERVE_ENV = { ALGO_CLOCK: CLOCK, ALGO_CLOCK_RUN: '1', ALGO_CLOCK_SPEED: '60', ALGO_SANDBOX_PLAN: 'no-historical' };
const dataDir = tempDataDir('algo-bot-children-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 }));
const algo = (args: string[], profile: string) => runCli([...args, '--profile', profile], { dataDir, env: { ALGO_CLOCK: CLOCK } });
const json = async <T>(args: string[], profile: string): Promise<T> => {
  const r = await algo([...args, '--json'], profile);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Rules that buy on the first minute they decide on: a bot that trades within a few market minutes. */
const rules = path.join(dataDir, 'buy-now.json');
const USERS = [['SB0001', 'asha'], ['SB0002', 'vikram']] as const;

beforeAll(async () => {
  fs.writeFileSync(rules, JSON.stringify({ id: 'buy-now', title: 'Buy at once', timeframe: '1m', entry: { side: 'long', all: [{ op: 'gt', left: 'close', right: 0 }] } }));
  for (const [user, profile] of [...USERS, ['SB0003', 'ravi']] as const) {
    for (const args of [
      ['login', '--sandbox', '--user', user],
      ['bot', 'create', `b-${profile}`, '--rules', rules, '--symbol', profile === 'asha' ? 'INFY' : 'TCS', '--qty', '1', '--entry-window', '09:15-15:00'],
      ['bot', 'start', `b-${profile}`],
    ]) {
      const r = await algo(args, profile);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  }
  // ravi's bot wants to run, but ravi is signed out: the server must not run it until ravi signs in
  const out = await algo(['logout'], 'ravi');
  expect(out.code, out.stderr).toBe(0);
}, 240_000);

async function serve(): Promise<CliProcess> {
  const p = spawnCli(['serve', '--sandbox', '--port', '0'], { dataDir, env: SERVE_ENV });
  onTestFinished(() => void p.child.kill('SIGKILL'));
  await p.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+ \(sandbox/, 'stdout');
  return p;
}

/** The pid of each user's bot process, from the server's notes. */
async function botProcesses(p: CliProcess): Promise<Map<string, number>> {
  const pids = new Map<string, number>();
  for (const [user] of USERS) {
    const m = await p.waitFor(new RegExp(`${user}'s bots run in process (\\d+)`), 'stderr');
    pids.set(user, Number(m[1]));
  }
  return pids;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('algo serve with bots on a market read over HTTP', () => {
  it("runs each signed-in user's bots in a process of their own, trading on their own account; a signed-out user's wait for a sign-in; a killed one starts again", async () => {
    const p = await serve();
    const pids = await botProcesses(p);
    expect(new Set([...pids.values(), p.child.pid]).size).toBe(3);
    await p.waitFor(/SB0003's bots wait for a sign-in/, 'stderr');
    const deadline = Date.now() + 60_000;
    const trades = new Map<string, Array<{ tradingsymbol: string; transaction_type: string }>>();
    while (Date.now() < deadline && trades.size < USERS.length) {
      for (const [, profile] of USERS) {
        const t = await json<{ trades: Array<{ tradingsymbol: string; transaction_type: string }> }>(['bot', 'trades', `b-${profile}`], profile);
        if (t.trades.length > 0) trades.set(profile, t.trades);
      }
      await sleep(500);
    }
    expect(trades.get('asha')?.[0]).toMatchObject({ tradingsymbol: 'INFY', transaction_type: 'BUY' });
    expect(trades.get('vikram')?.[0]).toMatchObject({ tradingsymbol: 'TCS', transaction_type: 'BUY' });
    expect(p.stderr()).not.toMatch(/SB0003's bots run/);
    // ravi signs in while the server runs: the next scan starts ravi's bot process
    const login = await algo(['login', '--sandbox', '--user', 'SB0003'], 'ravi');
    expect(login.code, login.stderr).toBe(0);
    const ravi = Number((await p.waitFor(/SB0003's bots run in process (\d+)/, 'stderr'))[1]);
    pids.set('SB0003', ravi);
    // a bot process killed outright is started again (after a pause), and takes its bots back once their lease ends
    process.kill(pids.get('SB0001')!, 'SIGKILL');
    await p.waitFor(/SB0001's bot process ended \(SIGKILL\); starting it again in 5 s/, 'stderr');
    const again = Date.now() + 30_000;
    let next: number | undefined;
    while (Date.now() < again && next === undefined) {
      next = [...p.stderr().matchAll(/SB0001's bots run in process (\d+)/g)].map((m) => Number(m[1])).find((pid) => pid !== pids.get('SB0001'));
      await sleep(200);
    }
    expect(next).toBeDefined();
    pids.set('SB0001', next!);
    // the new process rebuilt the bot (each start on this plan warms it cold, and its log says so)
    const warmups = async () => (await json<{ events: Array<{ kind: string }> }>(['bot', 'logs', 'b-asha'], 'asha')).events.filter((e) => e.kind === 'warmup').length;
    const held = Date.now() + 20_000;
    while (Date.now() < held && (await warmups()) < 2) await sleep(300);
    expect(await warmups()).toBe(2);
    // SIGTERM: the bot processes end and give their leases back; a stop then needs no runner
    p.child.kill('SIGTERM');
    const done = await p.done;
    expect(done.code, done.stderr).toBe(0);
    for (const pid of pids.values()) expect(alive(pid)).toBe(false);
    expect(done.stderr).not.toMatch(/access_token|enctoken/i);
  }, 150_000);

  it('ends the bot processes when the server is killed', async () => {
    const p = await serve();
    const pids = await botProcesses(p);
    p.child.kill('SIGKILL');
    await p.done;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && [...pids.values()].some(alive)) await sleep(100);
    expect([...pids.values()].filter(alive)).toEqual([]);
  }, 120_000);
});
