import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { botConfig, runBotStoreContract } from '../contract/bot-store-contract.js';
import { builtSqliteStoreUrl } from '../helpers/store-build.js';
import { sqliteFixture, tempSqliteStore } from '../helpers/store-tmp.js';

runBotStoreContract('sqlite', () => tempSqliteStore());
runBotStoreContract('sqlite, checkpointing in a worker', () => tempSqliteStore({ checkpoint: 'background' }));

describe('SQLite bots: two store instances on one file', () => {
  const sqlite = sqliteFixture(afterEach);
  const A = 'AB1234';
  const NOW = 1_795_000_000_000;

  it('race 20 times for one lease at the same now: exactly one wins each time', async () => {
    const file = sqlite.file();
    const one = sqlite.open(file);
    const two = sqlite.open(file);
    const bot = await one.bots.create(A, { name: 'Raced', config: botConfig(), now: NOW });
    for (let i = 0; i < 20; i++) {
      // Each round starts after the last lease expired, so both ask for a free lease.
      const now = NOW + i * 10_000;
      const [a, b] = await Promise.all([one.bots.acquireLease(A, bot.id, 'one', now, 10_000), two.bots.acquireLease(A, bot.id, 'two', now, 10_000)]);
      const winners = [a, b].filter((l) => l !== null);
      expect(winners).toHaveLength(1);
      expect(winners[0]?.token).toBe(i + 1);
      expect((await one.bots.lease(A, bot.id))?.holder).toBe(winners[0]?.holder);
    }
  });

  it('what one instance writes the other reads, with event seqs going on', async () => {
    const file = sqlite.file();
    const one = sqlite.open(file);
    const two = sqlite.open(file);
    const bot = await one.bots.create(A, { name: 'Twin', config: botConfig(), now: NOW });
    await expect(two.bots.create(A, { name: 'TWIN', config: botConfig(), now: NOW })).rejects.toThrow(/already exists/);
    const ev = { bot_id: bot.id, at: NOW, kind: 'started', message: 'go' };
    await one.bots.appendEvents(A, [ev]);
    expect((await two.bots.appendEvents(A, [ev]))[0]?.seq).toBe(2);
    expect((await one.bots.get(A, 'twin'))?.id).toBe(bot.id);
  });

  it('keeps bots, the lease token and the event seq across a reopen', async () => {
    const file = sqlite.file();
    const first = openSqliteStore(file);
    const bot = await first.bots.create(A, { name: 'Durable', config: botConfig(), now: NOW });
    const lease = await first.bots.acquireLease(A, bot.id, 'h1', NOW, 1000);
    await first.bots.releaseLease(A, bot.id, 'h1', lease!.token);
    await first.bots.appendEvents(A, [{ bot_id: bot.id, at: NOW, kind: 'started', message: 'go' }]);
    await first.close();
    const again = sqlite.open(file);
    expect(await again.bots.get(A, bot.id)).toEqual(bot);
    expect((await again.bots.acquireLease(A, bot.id, 'h2', NOW, 1000))?.token).toBe(2);
    expect((await again.bots.appendEvents(A, [{ bot_id: bot.id, at: NOW, kind: 'stopped', message: 'end' }]))[0]?.seq).toBe(2);
  });
});

// A child process that asks for one bot's lease ROUNDS times through the built SQLite store: round
// i at now = BASE + i * TTL (so the lease of round i - 1 has just expired), after "go" on stdin.
// Prints the tokens it won as JSON.
const LEASE_WORKER = `
import { once } from 'node:events';
const [url, file, user, botId, holder, rounds, base, ttl] = process.argv.slice(1);
const { openSqliteStore } = await import(url);
const store = openSqliteStore(file);
process.stdout.write('ready\\n');
await once(process.stdin, 'data');
process.stdin.destroy();
const won = [];
for (let i = 0; i < Number(rounds); i++) {
  const lease = await store.bots.acquireLease(user, botId, holder, Number(base) + i * Number(ttl), Number(ttl));
  if (lease) won.push(lease.token);
}
await store.close();
process.stdout.write(JSON.stringify(won) + '\\n');
`;

// Creates bots <holder>-0.. <count> with at most <max> bots per user, after "go" on stdin. Prints
// how many it created and how many were refused over the limit, as JSON.
const CREATE_WORKER = `
import { once } from 'node:events';
const [url, file, user, holder, count, max, config] = process.argv.slice(1);
const { openSqliteStore } = await import(url);
const store = openSqliteStore(file);
process.stdout.write('ready\\n');
await once(process.stdin, 'data');
process.stdin.destroy();
const tally = { created: 0, refused: 0 };
for (let i = 0; i < Number(count); i++) {
  try {
    await store.bots.create(user, { name: holder + '-' + i, config: JSON.parse(config), now: 1, max: Number(max) });
    tally.created++;
  } catch (e) {
    if (e.name !== 'LimitError') throw e;
    tally.refused++;
  }
}
await store.close();
process.stdout.write(JSON.stringify(tally) + '\\n');
`;

/**
 * Two worker processes ('one' and 'two') running `script` with the arguments for each, let go at
 * once when both are ready; what each printed last, as JSON.
 */
async function raceWorkers<T>(script: string, argsOf: (holder: string) => string[]): Promise<T[]> {
  const workers = ['one', 'two'].map((holder) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, ...argsOf(holder)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const ready = new Promise<void>((resolve) => child.stdout.on('data', () => out.includes('ready') && resolve()));
    return { child, ready, out: () => out, exit: once(child, 'exit') };
  });
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.child.stdin.write('go\n');
  await Promise.all(workers.map((w) => w.exit));
  return workers.map((w) => JSON.parse(w.out().split('\n').filter(Boolean).at(-1)!) as T);
}

describe('SQLite bots: two processes on one file', () => {
  const sqlite = sqliteFixture(afterEach);

  it('race for one lease 200 times: exactly one wins each round, no token is won twice, tokens 1 to 200', async () => {
    const url = builtSqliteStoreUrl();
    const file = sqlite.file();
    const store = sqlite.open(file);
    const bot = await store.bots.create('AB1234', { name: 'Raced', config: botConfig(), now: 1 });
    const ROUNDS = 200;
    const outs = await raceWorkers<number[]>(LEASE_WORKER, (holder) => [url, file, 'AB1234', bot.id, holder, String(ROUNDS), '1000', '10']);
    const won = outs.flat();
    // The first to ask in a round finds the last round's lease expired and wins; the other finds it live.
    expect(won.length).toBe(ROUNDS);
    expect([...won].sort((a, b) => a - b)).toEqual(Array.from({ length: won.length }, (_, i) => i + 1));
    expect((await store.bots.lease('AB1234', bot.id))?.token).toBe(won.length);
  }, 120_000);

  it('two processes creating bots past the per-user limit: exactly the limit is kept, the rest refused', async () => {
    const url = builtSqliteStoreUrl();
    const file = sqlite.file();
    const store = sqlite.open(file);
    const tallies = await raceWorkers<{ created: number; refused: number }>(CREATE_WORKER, (holder) => [url, file, 'AB1234', holder, '40', '25', JSON.stringify(botConfig())]);
    expect(tallies.reduce((n, t) => n + t.created, 0)).toBe(25);
    expect(tallies.reduce((n, t) => n + t.refused, 0)).toBe(55);
    expect(await store.bots.list('AB1234')).toHaveLength(25);
  }, 120_000);
});
