import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFeed } from '../../src/core/backtest/feed-sandbox.js';
import { BarLog } from '../../src/core/bot/bar-log.js';
import { BotSession, type Minute } from '../../src/core/bot/session.js';
import { fillsOf } from '../../src/core/bot/spec.js';
import { marketHistory, warmFromOf } from '../../src/core/bot/warmup.js';
import { ManualClock } from '../../src/core/clock.js';
import { parseIst } from '../../src/core/ist.js';
import { PaperService } from '../../src/core/paper/service.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { captureIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { createMarket } from '../../src/sandbox/market.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';

/**
 * `algo bot parity` in process on the SQLite store of a temp data folder, signed in to the sandbox
 * as SB0001. The bot is created through the CLI; its day (2026-11-25) is run by a BotSession on
 * the same store file, logging its minutes as a live runner does, before the CLI compares.
 */
/** Signed in and the bot created before the day's open; parity run after its close. */
const MORNING = '2026-11-25T09:00:00+05:30';
const CLOCK = '2026-11-25T18:00:00+05:30';
const DATE = '2026-11-25';
const U = 'SB0001';
const SYMBOLS = ['NSE:INFY', 'NSE:TCS', 'NSE:RELIANCE'];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-parity-'));
const dbFile = path.join(tmp, 'algo.db');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 }));

async function algo(args: string[], clock = CLOCK) {
  const io = captureIo({ ...process.env, NO_COLOR: '1', ALGO_DATA_DIR: tmp, ALGO_CLOCK: clock });
  const code = await runCli(['node', 'algo', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

/**
 * Run the bot over the sandbox day on the CLI's store file, as the host does: warmed from the
 * runner's history (the sandbox's minutes, cached in the store, where the CLI reads them back), a
 * session event, each minute logged then stepped.
 */
async function runDay(name: string): Promise<void> {
  const store = openSqliteStore(dbFile);
  try {
    const clock = new ManualClock(parseIst(`${DATE} 09:00:00`));
    const market = new SandboxMarketData(createMarket({}), clock);
    const evening = new SandboxMarketData(createMarket({}), new ManualClock(parseIst(`${DATE} 18:00:00`)));
    const feed = await sandboxFeed(evening, SYMBOLS, DATE, DATE);
    const minutes = new Map<number, Array<Minute['candles'][number]>>();
    for await (const batch of feed.batches()) for (const item of batch) minutes.set(item.candle.t, [...(minutes.get(item.candle.t) ?? []), item]);
    const service = new PaperService({ store, market, clock, onError: (e) => { throw e; } });
    const bot = (await store.bots.get(U, name))!;
    const lease = (await store.bots.acquireLease(U, bot.id, 'runner-1', clock.now(), 86_400_000))!;
    const session = new BotSession({ bot, instruments: feed.instruments, fills: fillsOf(service.config), bots: store.bots, token: lease.token, place: (req, price, fence) => service.placeFenced(U, req, price, fence), now: () => clock.now(), date: DATE });
    session.warm(await marketHistory(evening, { cache: store.backtests, source: 'sandbox', clock })(SYMBOLS, warmFromOf(bot.config, DATE), DATE));
    const log = new BarLog(store.backtests, 'sandbox');
    const all: Minute[] = [...minutes].map(([t, candles]) => ({ t, candles }));
    await store.bots.appendEvents(U, [{ bot_id: bot.id, at: clock.now(), kind: 'session', message: 'session', data: { from: all[0]!.t } }]);
    for (const m of all) {
      clock.set(m.t + 60_000);
      await log.append(m.t, m.candles);
      await session.step(m.t, m.candles);
    }
    await store.bots.releaseLease(U, bot.id, 'runner-1', lease.token);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  const login = await algo(['login', '--sandbox', '--user', U, '--profile', 'asha'], MORNING);
  expect(login.code, login.err).toBe(0);
  const made = await algo(['bot', 'create', 'trend', '--strategy', 'ema-cross', '--param', 'timeframe=1m', ...SYMBOLS.flatMap((s) => ['--symbol', s]), '--qty', '5', '--profile', 'asha'], MORNING);
  expect(made.code, made.err).toBe(0);
  await runDay('trend');
});

describe('algo bot parity NAME --date D', () => {
  it('identical: exit 0 with one line; --json says so with the counts', async () => {
    const r = await algo(['bot', 'parity', 'trend', '--date', DATE, '--profile', 'asha']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^parity trend on 2026-11-25: 375 minutes replayed, backtest (\d+) fills, bot \1 fills: identical\n$/);
    const j = await algo(['bot', 'parity', 'trend', '--date', DATE, '--json', '--profile', 'asha']);
    expect(j.code, j.err).toBe(0);
    const body = JSON.parse(j.out) as { identical: boolean; differences: unknown[]; bot_fills: number; segments: Array<{ from: string; to: string | null }> };
    expect(body).toMatchObject({ identical: true, differences: [], segments: [{ from: '2026-11-25 09:15:00', to: null }] });
    expect(body.bot_fills).toBeGreaterThan(0);
  });

  it('a fill changed in the store: exit 1 and the difference naming the field', async () => {
    const db = new Database(dbFile);
    const row = db.prepare("SELECT trade_id, json_extract(doc, '$.price') AS price FROM trades WHERE user_id = ? AND json_extract(doc, '$.tradingsymbol') = 'RELIANCE' ORDER BY seq LIMIT 1").get(U) as { trade_id: string; price: number };
    db.prepare("UPDATE trades SET doc = json_set(doc, '$.price', ?) WHERE trade_id = ?").run(row.price + 10, row.trade_id);
    db.close();
    const r = await algo(['bot', 'parity', 'trend', '--date', DATE, '--profile', 'asha']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/: 1 difference\n {2}2026-11-25 \d\d:\d\d:\d\d {2}NSE:RELIANCE {2}price: backtest [\d.]+, bot [\d.]+\n$/);
    const j = await algo(['bot', 'parity', 'trend', '--date', DATE, '--json', '--profile', 'asha']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)).toMatchObject({ identical: false, differences: [{ symbol: 'NSE:RELIANCE', field: 'price', backtest: row.price / 100, bot: (row.price + 10) / 100 }] });
  });

  it.each([
    [['--date', '2026-13-01'], 'algo: --date "2026-13-01" is not a date; give an IST date as YYYY-MM-DD, e.g. --date 2026-11-23\n'],
    [['--date', 'yesterday'], 'algo: --date "yesterday" is not a date; give an IST date as YYYY-MM-DD, e.g. --date 2026-11-23\n'],
  ])('a bad date %j is one line, exit 2', async (flags, line) => {
    const r = await algo(['bot', 'parity', 'trend', ...flags, '--profile', 'asha']);
    expect({ code: r.code, err: r.err, out: r.out }).toEqual({ code: 2, err: line, out: '' });
  });

  it('an unknown bot, or a day it did not run, is one line, exit 2', async () => {
    const r = await algo(['bot', 'parity', 'nosuch', '--date', DATE, '--profile', 'asha']);
    expect({ code: r.code, err: r.err, out: r.out }).toEqual({ code: 2, err: 'algo: no bot named "nosuch" for SB0001; algo bot list shows your bots\n', out: '' });
    const idle = await algo(['bot', 'parity', 'trend', '--date', '2026-11-24', '--profile', 'asha']);
    expect({ code: idle.code, err: idle.err, out: idle.out }).toEqual({ code: 2, err: 'algo: bot trend has no live minutes logged on 2026-11-24; give a date the bot ran: algo bot logs NAME shows its sessions\n', out: '' });
  });
});
