import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

/**
 * `algo bot` in process on the SQLite store of a temp data folder, two profiles signed in to the
 * sandbox (asha: SB0001, vikram: SB0002). The clock is Wednesday 2 Dec 2026, 10:00 IST (the
 * market is open, so a paper order fills at once).
 */
const CLOCK = '2026-12-02T10:00:00+05:30';
const root = path.resolve(import.meta.dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bot-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 }));

async function algo(args: string[], env: Record<string, string> = {}) {
  const io = captureIo({ ...process.env, NO_COLOR: '1', ALGO_DATA_DIR: tmp, ALGO_CLOCK: CLOCK, ...env });
  const code = await runCli(['node', 'algo', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

/** A command that must work, as asha unless a profile is given. */
async function ok(args: string[], profile = 'asha'): Promise<string> {
  const r = await algo([...args, '--profile', profile]);
  expect(r.code, r.err).toBe(0);
  return r.out;
}

const json = async <T>(args: string[], profile = 'asha'): Promise<T> => JSON.parse(await ok([...args, '--json'], profile)) as T;

/** A refusal: exit 2 and exactly this one line on stderr, nothing on stdout. */
async function refused(args: string[], line: string, profile = 'asha'): Promise<void> {
  const r = await algo([...args, '--profile', profile]);
  expect(r.err).toBe(`algo: ${line}\n`);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
}

interface BotJson {
  id: string;
  name: string;
  desired: string;
  status: string;
  entries_blocked: boolean;
  version: number;
  symbols: string[];
  sizing: Record<string, number>;
  risk: Record<string, unknown>;
}

beforeAll(async () => {
  for (const [user, profile] of [['SB0001', 'asha'], ['SB0002', 'vikram']] as const) {
    const r = await algo(['login', '--sandbox', '--user', user, '--profile', profile]);
    expect(r.code, r.err).toBe(0);
  }
});

describe('algo bot create, list, show, edit, rm', () => {
  it('creates a stopped bot and shows it in the list and in show (rupees with Indian grouping)', async () => {
    expect(await ok(['bot', 'create', 'orb-infy', '--strategy', 'orb', '--symbol', 'INFY', '--symbol', 'TCS', '--capital', '150000', '--sl', '1%', '--max-loss-day', '2500'])).toMatch(
      /^created bot orb-infy \(b[0-9a-f]{7}\), stopped; run it with: algo bot start orb-infy\n$/,
    );
    expect(await ok(['bot', 'list'])).toBe('NAME      STRATEGY  SYMBOLS           STATE    ENTRIES\norb-infy  orb       NSE:INFY NSE:TCS  stopped  allowed\n');
    const show = await ok(['bot', 'show', 'ORB-INFY']);
    expect(show).toContain('size              ₹1,50,000.00 per entry\n');
    expect(show).toContain('max loss/day      ₹2,500.00 (then entries blocked)\n');
    expect(show).toContain('entry window      09:20-15:00 IST\n');
    expect(show).toContain('square-off        15:10 IST\n');
    expect(show).toContain('stop-loss         1%\n');
    expect(show).toContain('version           1\n');
    expect(show).toContain('runner            none\n');
    expect(await ok(['bot', 'create', 'one', '--strategy', 'orb', '--symbol', 'INFY'])).toContain('created bot one');
    expect(await ok(['bot', 'show', 'one'])).toContain('size              1 share per entry\n');
    await ok(['bot', 'rm', 'one']);
    const j = await json<BotJson>(['bot', 'show', 'orb-infy']);
    expect(j).toMatchObject({ name: 'orb-infy', desired: 'stopped', status: 'stopped', version: 1, symbols: ['NSE:INFY', 'NSE:TCS'], sizing: { capital: 150000 }, risk: { square_off: '15:10', max_loss_day: 2500, max_orders_day: null } });
    expect((await json<{ bots: BotJson[] }>(['bot', 'list'])).bots.map((b) => b.id)).toEqual([j.id]);
  });

  it('edit: refused while running; once stopped the given flags change and the version goes up', async () => {
    await ok(['bot', 'start', 'orb-infy']);
    await refused(['bot', 'edit', 'orb-infy', '--qty', '5'], 'bot orb-infy is running; stop it before you edit it; algo bot stop orb-infy');
    await refused(['bot', 'rm', 'orb-infy'], 'bot orb-infy is running; stop it before you remove it; algo bot stop orb-infy');
    expect(await ok(['bot', 'stop', 'orb-infy'])).toBe('bot orb-infy: stop requested (desired stopped, status stopped)\n');
    expect(await ok(['bot', 'edit', 'orb-infy', '--qty', '5', '--square-off', '15:00'])).toBe('bot orb-infy is now version 2\n');
    expect(await json<BotJson>(['bot', 'show', 'orb-infy'])).toMatchObject({ version: 2, sizing: { quantity: 5 }, risk: { square_off: '15:00', max_loss_day: 2500 } });
    expect(await ok(['bot', 'edit', 'orb-infy', '--max-orders-second', '2', '--stale-after', '45'])).toBe('bot orb-infy is now version 3\n');
    expect(await ok(['bot', 'show', 'orb-infy'])).toMatch(/\nmax orders\/sec +2 \(more wait their turn\)\nstale after +45 s \(no entries on a later bar\)\n/);
    expect((await json<BotJson>(['bot', 'show', 'orb-infy'])).risk).toMatchObject({ square_off: '15:00', max_orders_second: 2, stale_after: 45 });
  });

  it('edit with no flags changes nothing and says what to give', async () => {
    await refused(['bot', 'edit', 'orb-infy'], 'nothing to change; give the flags to change, e.g. algo bot edit NAME --qty 20 (algo bot edit --help lists them)');
    expect((await json<BotJson>(['bot', 'show', 'orb-infy'])).version).toBe(3);
  });

  it('--rules FILE: the rule file is compiled at create time and kept under its name', async () => {
    const file = path.join(root, 'examples', 'rules', 'ema-rsi-trend.json');
    await ok(['bot', 'create', 'ruled', '--rules', file, '--symbol', 'INFY']);
    expect(await json<{ strategy: unknown }>(['bot', 'show', 'ruled'])).toMatchObject({ strategy: { kind: 'rules', name: 'ema-rsi-trend.json' } });
    await ok(['bot', 'rm', 'ruled']);
    const bad = path.join(tmp, 'bad-rules.json');
    fs.writeFileSync(bad, '{"not": "rules"}');
    const r = await algo(['bot', 'create', 'ruled', '--rules', bad, '--symbol', 'INFY', '--profile', 'asha']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^algo: bad-rules\.json: .*; algo strategy validate bad-rules\.json lists every problem\n$/);
  });

  it('edit --name renames; create --json prints the bot', async () => {
    const made = await json<BotJson>(['bot', 'create', 'tmp-1', '--strategy', 'orb', '--symbol', 'INFY']);
    expect(made).toMatchObject({ name: 'tmp-1', version: 1, desired: 'stopped' });
    expect(await json<BotJson>(['bot', 'edit', 'tmp-1', '--name', 'tmp-2'])).toMatchObject({ id: made.id, name: 'tmp-2', version: 2 });
    await refused(['bot', 'edit', 'tmp-2', '--name', 'ORB-INFY'], 'a bot named "orb-infy" already exists, so "ORB-INFY" is taken; pick another name, or edit that bot');
    await ok(['bot', 'rm', 'tmp-2']);
  });

  it('names are unique per user whatever the case', async () => {
    await refused(['bot', 'create', 'Orb-Infy', '--strategy', 'orb', '--symbol', 'INFY'], 'a bot named "orb-infy" already exists, so "Orb-Infy" is taken; pick another name, or edit that bot');
  });

  it('rm removes a stopped bot; its log stays readable by id', async () => {
    const { id } = await json<BotJson>(['bot', 'show', 'orb-infy']);
    expect(await ok(['bot', 'rm', 'orb-infy'])).toBe(`removed bot orb-infy (its log stays: algo bot logs ${id})\n`);
    expect(await ok(['bot', 'list'])).toBe('no bots yet; create one: algo bot create NAME --strategy ID --symbol SYM\n');
    await refused(['bot', 'show', 'orb-infy'], 'no bot named "orb-infy" for SB0001; algo bot list shows your bots');
    expect((await json<{ events: Array<{ kind: string }> }>(['bot', 'logs', id])).events.map((e) => e.kind).at(-1)).toBe('removed');
    await refused(['bot', 'logs', id], `no bot named "${id}" for SB0002; algo bot list shows your bots`, 'vikram');
  });
});

describe('algo bot refusals: one line naming the flag, exit 2, nothing stored', () => {
  const base = ['bot', 'create', 'x1', '--strategy', 'orb', '--symbol', 'INFY'];
  const cases: Array<[string[], string]> = [
    [['bot', 'create', 'x1', '--symbol', 'INFY'], 'give the strategy: --strategy ID (see algo strategy list) or --rules FILE'],
    [['bot', 'create', 'x1', '--strategy', 'nope', '--symbol', 'INFY'], 'unknown strategy "nope"; known: sma-cross, ema-cross, rsi-reversion, orb, vwap-reversion, supertrend; algo strategy list shows them'],
    [[...base, '--param', 'minutes=0'], 'orb: parameter minutes: "0" is not an integer from 1 to 120; algo strategy show orb lists its parameters'],
    [['bot', 'create', 'x1', '--strategy', 'orb'], 'give at least one --symbol, e.g. --symbol INFY'],
    [[...base, '--qty', 'ten'], '--qty "ten" is not a quantity; give a whole number of shares from 1 to 1,00,000, e.g. --qty 10'],
    [[...base, '--product', 'NRML'], '--product "NRML" is not a product a bot trades; use --product MIS (intraday, squared off by --square-off) or --product CNC (delivery)'],
    [[...base, '--sl', '1'], '--sl "1" is not a percentage; write it with a % sign, above 0 and below 100, e.g. --sl 1% or --sl 0.5%'],
    [[...base, '--entry-window', '09:20'], '--entry-window "09:20" is not a window; give FROM-UNTIL in IST, e.g. --entry-window 09:20-15:00'],
    [[...base, '--square-off', '15:25'], '--square-off 15:25 is not before 15:20; Zerodha squares MIS off from 15:20; give a time after 09:15 and before it, e.g. --square-off 15:10'],
    [[...base, '--product', 'CNC', '--square-off', '15:00'], '--square-off is for MIS bots; a CNC bot holds its positions overnight; drop --square-off, or use --product MIS'],
    [[...base, '--max-loss-day', 'lots'], '--max-loss-day "lots" is not a valid value; give rupees, and :halt to exit everything and stop, e.g. --max-loss-day 2000 or --max-loss-day 2000:halt'],
    [[...base, '--max-orders-day', '0'], '--max-orders-day "0" is not a count; give a whole number of orders from 1 to 10,000, e.g. --max-orders-day 20'],
    [[...base, '--max-orders-second', '0'], '--max-orders-second "0" is not a rate; give a whole number of orders a second, at least 1, e.g. --max-orders-second 3 (more wait their turn)'],
    [[...base, '--stale-after', '3601'], '--stale-after "3601" is not a number of seconds; give whole seconds from 1 to 3600, e.g. --stale-after 120'],
    [['bot', 'create', 'no good', '--strategy', 'orb', '--symbol', 'INFY'], 'bot name "no good" is not valid; use 1 to 40 letters, digits, - or _'],
    [['bot', 'logs', 'x1', '--after', 'x'], '--after "x" is not a whole number; give the SEQ of an event from algo bot logs, e.g. --after 12'],
    [['bot', 'trades', 'nobody'], 'no bot named "nobody" for SB0001; algo bot list shows your bots'],
    [['bot', 'kill'], 'cannot ask for confirmation without a terminal; add --yes to flatten and stop every one of your bots'],
  ];
  it.each(cases)('algo %j', async (args, line) => {
    await refused(args, line);
  });

  it('stored nothing', async () => {
    expect((await json<{ bots: BotJson[] }>(['bot', 'list'])).bots).toEqual([]);
  });
});

describe('two profiles, logs, kill, trades', () => {
  const create = (name: string, profile: string) => ok(['bot', 'create', name, '--strategy', 'orb', '--symbol', 'INFY', '--qty', '10'], profile);

  beforeAll(async () => {
    for (const name of ['alpha', 'beta']) await create(name, 'asha');
    await create('alpha', 'vikram');
    await ok(['bot', 'start', 'alpha'], 'vikram');
    await ok(['bot', 'start', 'alpha']);
    await ok(['bot', 'start', 'beta']);
  });

  it("never sees the other profile's bots, by name or by id", async () => {
    const mine = (await json<{ bots: BotJson[] }>(['bot', 'list'])).bots;
    const theirs = (await json<{ bots: BotJson[] }>(['bot', 'list'], 'vikram')).bots;
    expect(mine.map((b) => b.name)).toEqual(['alpha', 'beta']);
    expect(theirs.map((b) => b.name)).toEqual(['alpha']);
    const beta = mine.find((b) => b.name === 'beta')!;
    await refused(['bot', 'show', beta.id], `no bot named "${beta.id}" for SB0002; algo bot list shows your bots`, 'vikram');
    await refused(['bot', 'stop', 'beta'], 'no bot named "beta" for SB0002; algo bot list shows your bots', 'vikram');
  });

  it('logs: the events in order, --after, --json', async () => {
    const text = await ok(['bot', 'logs', 'alpha']);
    expect(text).toMatch(/^\d+  2026-12-02 10:00:00  created  created \(version 1\)\n\d+  2026-12-02 10:00:00  start  start requested\n$/);
    const { events } = await json<{ events: Array<{ seq: number; kind: string }> }>(['bot', 'logs', 'alpha']);
    expect(events.map((e) => e.kind)).toEqual(['created', 'start']);
    expect((await json<{ events: Array<{ kind: string }> }>(['bot', 'logs', 'alpha', '--after', String(events[0]!.seq)])).events.map((e) => e.kind)).toEqual(['start']);
  });

  it('trades: only the fills of orders tagged with the bot id', async () => {
    const { id } = await json<BotJson>(['bot', 'show', 'alpha']);
    await ok(['paper', 'buy', 'INFY', '10', '--product', 'MIS', '--tag', id]);
    await ok(['paper', 'buy', 'INFY', '3', '--product', 'MIS']);
    const { trades } = await json<{ trades: Array<{ quantity: number; transaction_type: string }> }>(['bot', 'trades', 'alpha']);
    expect(trades.map((t) => [t.transaction_type, t.quantity])).toEqual([['BUY', 10]]);
    expect(await ok(['bot', 'trades', 'alpha', '--date', '2026-12-01'])).toBe('no trades for bot alpha\n');
    expect(await ok(['bot', 'trades', 'beta'])).toBe('no trades for bot beta\n');
    expect(await ok(['bot', 'trades', 'alpha'])).toMatch(/^FILLED +ORDER +SIDE +SYMBOL +QTY +PRICE +CHARGES +P&L\n2026-12-02 10:00:00 .* BUY +NSE:INFY +10 .*\n1 fills, charges ₹/);
  });

  it('kill --yes: every bot of this user flattened and stopped, entries blocked; the other user runs on', async () => {
    expect(await ok(['bot', 'kill', '--yes'])).toBe('kill switch: 2 bots flattened and stopped, entries blocked: alpha, beta\n');
    for (const b of (await json<{ bots: BotJson[] }>(['bot', 'list'])).bots) expect(b).toMatchObject({ desired: 'stopped', status: 'stopped', entries_blocked: true });
    const { events } = await json<{ events: Array<{ kind: string }> }>(['bot', 'logs', 'beta']);
    expect(events.map((e) => e.kind).slice(-2)).toEqual(['flatten', 'stop']);
    expect((await json<{ bots: BotJson[] }>(['bot', 'list'], 'vikram')).bots[0]).toMatchObject({ desired: 'running', entries_blocked: false });
    expect(await ok(['bot', 'start', 'beta'])).toBe('bot beta: start requested (desired running, status stopped)\n');
    expect(await json<BotJson>(['bot', 'show', 'beta'])).toMatchObject({ desired: 'running', entries_blocked: false });
  });

  it('limits: bots per user and symbols per bot, one line, exit 2', async () => {
    const r = await algo(['bot', 'create', 'gamma', '--strategy', 'orb', '--symbol', 'INFY', '--profile', 'asha'], { ALGO_MAX_BOTS: '2' });
    expect(r.err).toBe('algo: SB0001 has 2 bots, the most a user may have (2); remove one first: algo bot rm NAME\n');
    expect(r.code).toBe(2);
    const wide = await algo(['bot', 'create', 'wide', '--strategy', 'orb', '--symbol', 'INFY', '--symbol', 'TCS', '--symbol', 'SBIN', '--profile', 'vikram'], { ALGO_MAX_BOT_SYMBOLS: '2' });
    expect(wide.err).toBe('algo: 3 symbols is more than a bot may trade (2); give at most 2 --symbol, or split them over two bots\n');
    expect(wide.code).toBe(2);
  });
});
