import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { openStore } from '../../src/core/store/open.js';

/**
 * The fail-safe stop through `algo bot`: a bot whose runner died holding a position is not
 * marked stopped by `algo bot stop`; it waits for a runner, and list/show/rm say so. In process
 * on the SQLite store of a temp data folder, signed in to the sandbox; Wednesday 10:00 IST.
 */
const CLOCK = '2026-12-02T10:00:00+05:30';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bot-stop-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 }));

async function algo(...args: string[]) {
  const io = captureIo({ ...process.env, NO_COLOR: '1', ALGO_DATA_DIR: tmp, ALGO_CLOCK: CLOCK });
  const code = await runCli(['node', 'algo', ...args, '--profile', 'asha'], io);
  return { code, out: io.out(), err: io.err() };
}

async function ok(...args: string[]): Promise<string> {
  const r = await algo(...args);
  expect(r.code, r.err).toBe(0);
  return r.out;
}

/** What a runner leaves when it dies mid-run: the bot's status running, its lease gone. */
async function runnerDied(name: string): Promise<void> {
  const store = await openStore(`sqlite:${path.join(tmp, 'algo.db')}`);
  try {
    const bot = (await store.bots.get('SB0001', name))!;
    await store.bots.update('SB0001', bot.id, bot.rev, { status: 'running' }, Date.parse(CLOCK));
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  const r = await algo('login', '--sandbox', '--user', 'SB0001');
  expect(r.code, r.err).toBe(0);
  for (const name of ['holder', 'flat']) {
    await ok('bot', 'create', name, '--strategy', 'orb', '--symbol', 'INFY', '--qty', '10');
    await ok('bot', 'start', name);
    await runnerDied(name);
  }
  const { id } = JSON.parse(await ok('bot', 'show', 'holder', '--json')) as { id: string };
  await ok('paper', 'buy', 'INFY', '10', '--product', 'MIS', '--tag', id);
});

describe('algo bot stop with no runner', () => {
  it('a bot holding a position stays running until a runner exits it; show says it waits for one', async () => {
    expect(await ok('bot', 'stop', 'holder')).toBe('bot holder: stop requested (desired stopped, status running)\n');
    expect(await ok('bot', 'show', 'holder')).toMatch(/\nstatus +running → stopped \(waiting for a runner: start `algo bot run` or `algo serve`\)\n/);
    expect(await ok('bot', 'list')).toMatch(/^holder +orb +NSE:INFY +running → stopped +allowed$/m);
    const { bots } = JSON.parse(await ok('bot', 'list', '--json')) as { bots: Array<{ name: string; desired: string; status: string }> };
    expect(bots.find((b) => b.name === 'holder')).toMatchObject({ desired: 'stopped', status: 'running' });
  });

  it('rm and edit refuse it in one line: still stopping', async () => {
    for (const [verb, extra] of [['rm', []], ['edit', ['--qty', '5']]] as const) {
      const r = await algo('bot', verb, 'holder', ...extra);
      expect(r.err).toBe(`algo: bot holder is still stopping (running with positions open, waiting for a runner: start \`algo bot run\` or \`algo serve\`); then ${verb === 'rm' ? 'remove' : 'edit'} it once algo bot show holder says stopped\n`);
      expect(r.code).toBe(2);
    }
  });

  it('a bot with nothing open stops at once and can be removed', async () => {
    expect(await ok('bot', 'stop', 'flat')).toBe('bot flat: stop requested (desired stopped, status stopped)\n');
    expect(await ok('bot', 'rm', 'flat')).toMatch(/flat/);
  });

  it('the kill switch leaves the holder to a runner too, entries blocked', async () => {
    await ok('bot', 'start', 'holder');
    await ok('bot', 'kill', '--yes');
    const bot = JSON.parse(await ok('bot', 'show', 'holder', '--json')) as { desired: string; status: string; entries_blocked: boolean };
    expect(bot).toMatchObject({ desired: 'stopped', status: 'running', entries_blocked: true });
  });
});
