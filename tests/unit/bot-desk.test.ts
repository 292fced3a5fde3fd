import { describe, expect, it } from 'vitest';
import { BotDesk, BotInputError, LimitError, botLimitsFrom } from '../../src/app/bots.js';
import type { BotInput } from '../../src/app/bot-config.js';
import { UsageError, describeError } from '../../src/core/errors.js';
import { buy, rig, sell, type Rig } from '../helpers/paper.js';

/** BotDesk on the memory store (bots and the paper account in one store), the clock at Monday 10:00 IST. */
const A = 'AB1234';
const B = 'CD5678';
const ORB: BotInput & { name: string } = { name: 'orb-infy', strategy: 'orb', symbols: ['INFY'], qty: '10' };

function desk(limits: { botsPerUser?: number; symbolsPerBot?: number } = {}): { r: Rig; d: BotDesk } {
  const r = rig();
  return { r, d: new BotDesk({ bots: r.store.bots, paper: r.store, clock: r.clock, limits }) };
}

/** The one line a refusal prints. */
async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected a refusal').toBeInstanceOf(Error);
  return describeError(err);
}

describe('BotDesk create', () => {
  it('stores the checked config with the defaults: MIS, 09:20-15:00, square-off 15:10, stopped, version 1', async () => {
    const { d } = desk();
    const bot = await d.create(A, { ...ORB, sl: '1%', maxLossDay: '2,000', maxOrdersDay: '20', param: undefined } as BotInput & { name: string });
    expect(bot).toMatchObject({ name: 'orb-infy', desired: 'stopped', status: 'stopped', version: 1, entries_blocked: false, user_id: A });
    expect(bot.config).toEqual({
      strategy: { kind: 'builtin', id: 'orb' },
      params: {},
      symbols: ['NSE:INFY'],
      sizing: { quantity: 10 },
      product: 'MIS',
      exits: { stopLoss: { percent: 1 } },
      entryWindow: { from: '09:20', until: '15:00' },
      risk: { squareOff: '15:10', maxLossDay: { amount: 2000_00, action: 'block' }, maxOrdersDay: 20, staleAfterMs: 120_000 },
    });
    const [e] = await d.logs(A, 'orb-infy');
    expect(e).toMatchObject({ kind: 'created', bot_id: bot.id });
  });

  it('parses --param words against the strategy, and keeps only the given ones', async () => {
    const { d } = desk();
    const bot = await d.create(A, { name: 'ema', strategy: 'ema-cross', symbols: ['TCS', 'NSE:INFY'], paramWords: ['fast=5'], capital: '50000', product: 'cnc' });
    expect(bot.config).toMatchObject({ params: { fast: 5 }, symbols: ['NSE:TCS', 'NSE:INFY'], sizing: { capital: 50_000_00 }, product: 'CNC', risk: {} });
  });

  it('refuses bad input with one line naming the flag', async () => {
    const { d } = desk();
    const cases: Array<[Partial<BotInput> & { name?: string }, RegExp]> = [
      [{ strategy: 'nope' }, /^unknown strategy "nope"/],
      [{ paramWords: ['minutes=0'] }, /^orb: .*minutes/],
      [{ symbols: [] }, /^give at least one --symbol/],
      [{ qty: '0' }, /^--qty "0" is not a quantity/],
      [{ qty: '1', capital: '100' }, /^give --qty or --capital, not both/],
      [{ product: 'NRML' }, /^--product "NRML" is not a product a bot trades/],
      [{ sl: '1' }, /^--sl "1" is not a percentage/],
      [{ entryWindow: '9:20-15:00' }, /^--entry-window "9:20" is not a time/],
      [{ entryWindow: '15:00-09:20' }, /^--entry-window 15:00-09:20: 15:00 is not before 09:20/],
      [{ entryWindow: '09:00-15:00' }, /^--entry-window 09:00-15:00 is outside the market's hours/],
      [{ squareOff: '15:20' }, /^--square-off 15:20 is not before 15:20/],
      [{ squareOff: '14:30' }, /^--entry-window ends at 15:00, after the square-off at 14:30/],
      [{ product: 'CNC', squareOff: '15:00' }, /^--square-off is for MIS bots/],
      [{ maxLossDay: '-5' }, /^--max-loss-day "-5" is not a valid value/],
      [{ maxOrdersDay: '1.5' }, /^--max-orders-day "1.5" is not a count/],
      [{ name: 'has space' }, /^bot name "has space" is not valid/],
      [{ name: 'b1234abc' }, /^bot name "b1234abc" looks like a bot id/],
    ];
    for (const [over, re] of cases) {
      const line = await refusal(d.create(A, { ...ORB, ...over }));
      expect(line, JSON.stringify(over)).toMatch(re);
      expect(line).not.toContain('\n');
    }
    expect(await d.list(A)).toEqual([]);
  });

  it('names the field of each bad input (the API answers data.field), as the backtest inputs do', async () => {
    const { d } = desk();
    const fieldOf = (over: Partial<BotInput> & { name?: string }) => d.create(A, { ...ORB, ...over }).then(() => null, (e: { field?: string }) => e.field);
    expect(await fieldOf({ maxLossDay: 'x' })).toBe('maxLossDay');
    expect(await fieldOf({ entryWindow: 'x' })).toBe('entryWindow');
    expect(await fieldOf({ squareOff: '16:00' })).toBe('squareOff');
    expect(await fieldOf({ qty: '1', capital: '5' })).toBe('capital');
    expect(await fieldOf({ name: '' })).toBe('name');
    expect(await fieldOf({ sl: 'x' })).toBe('sl');
    expect(await fieldOf({ symbols: ['!!'] })).toBe('symbols');
    expect(await d.create(A, { ...ORB, product: 'x' }).catch((e: unknown) => e)).toBeInstanceOf(BotInputError);
  });

  it('names are unique per user whatever the case; another user may use the same name', async () => {
    const { d } = desk();
    await d.create(A, ORB);
    await expect(d.create(A, { ...ORB, name: 'ORB-Infy' })).rejects.toBeInstanceOf(UsageError);
    await d.create(B, ORB);
    expect((await d.list(A)).map((b) => b.name)).toEqual(['orb-infy']);
    expect((await d.list(B)).map((b) => b.user_id)).toEqual([B]);
    await expect(d.show(B, (await d.list(A))[0]!.id)).rejects.toThrow(/^no bot named "b[0-9a-f]{7}" for CD5678/);
  });

  it('limits: bots per user and symbols per bot are LimitErrors (exit 2), one line', async () => {
    const { d } = desk({ botsPerUser: 2, symbolsPerBot: 2 });
    await d.create(A, ORB);
    await d.create(A, { ...ORB, name: 'two' });
    const over = d.create(A, { ...ORB, name: 'three' });
    await expect(over).rejects.toBeInstanceOf(LimitError);
    expect(await refusal(d.create(A, { ...ORB, name: 'three' }))).toBe('AB1234 has 2 bots, the most a user may have (2); remove one first: algo bot rm NAME');
    await d.create(B, { ...ORB, symbols: ['INFY', 'TCS', 'infy'] });
    const e = await d.create(B, { ...ORB, name: 'wide', symbols: ['INFY', 'TCS', 'SBIN'] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LimitError);
    expect((e as LimitError).exitCode).toBe(2);
    expect(describeError(e)).toBe('3 symbols is more than a bot may trade (2); give at most 2 --symbol, or split them over two bots');
  });

  it('limits come from ALGO_MAX_BOTS / ALGO_MAX_BOT_SYMBOLS, defaults 20 and 10', () => {
    expect(botLimitsFrom({})).toEqual({ botsPerUser: 20, symbolsPerBot: 10 });
    expect(botLimitsFrom({ ALGO_MAX_BOTS: '3', ALGO_MAX_BOT_SYMBOLS: '4' })).toEqual({ botsPerUser: 3, symbolsPerBot: 4 });
    expect(() => botLimitsFrom({ ALGO_MAX_BOTS: 'lots' })).toThrow(/^ALGO_MAX_BOTS "lots" is not a limit/);
  });
});

describe('BotDesk lifecycle', () => {
  it('start, pause, resume, stop set desired (and status when no runner holds the lease), one event each', async () => {
    const { d } = desk();
    await d.create(A, ORB);
    expect(await d.start(A, 'ORB-INFY')).toMatchObject({ desired: 'running', status: 'stopped' });
    expect(await d.pause(A, 'orb-infy')).toMatchObject({ desired: 'paused', status: 'paused', status_reason: 'paused by the user' });
    expect(await d.resume(A, 'orb-infy')).toMatchObject({ desired: 'running' });
    expect(await d.stop(A, 'orb-infy')).toMatchObject({ desired: 'stopped', status: 'stopped', status_reason: 'stopped by the user' });
    const kinds = (await d.logs(A, 'orb-infy')).map((e) => e.kind);
    expect(kinds).toEqual(['created', 'start', 'pause', 'resume', 'stop']);
    // the state it is already in: nothing changes, nothing is logged
    await d.stop(A, 'orb-infy');
    expect(await d.logs(A, 'orb-infy')).toHaveLength(5);
    expect(await refusal(d.pause(A, 'orb-infy'))).toBe('bot orb-infy is stopped; there is nothing to pause; start it: algo bot start orb-infy');
    expect(await refusal(d.resume(A, 'orb-infy'))).toBe('bot orb-infy is not paused (it is stopped); start it: algo bot start orb-infy');
  });

  it('while a runner holds the lease, stop leaves the status to it; edit and rm wait until it lets go', async () => {
    const { r, d } = desk();
    const bot = await d.create(A, ORB);
    await d.start(A, 'orb-infy');
    const lease = await r.store.bots.acquireLease(A, bot.id, 'runner-1', r.clock.now(), 30_000);
    expect(lease).not.toBeNull();
    expect(await d.runner(A, bot)).toMatchObject({ holder: 'runner-1' });
    await r.store.bots.update(A, bot.id, (await d.show(A, bot.id)).rev, { status: 'running' }, r.clock.now());
    expect(await d.stop(A, 'orb-infy')).toMatchObject({ desired: 'stopped', status: 'running' });
    expect(await refusal(d.edit(A, 'orb-infy', { qty: '5' }))).toBe('bot orb-infy is still stopping (a runner holds it); wait until algo bot show orb-infy says stopped, then edit it');
    r.clock.advance(31_000);
    expect(await d.runner(A, bot)).toBeNull();
    expect((await d.edit(A, 'orb-infy', { qty: '5' })).version).toBe(2);
  });

  it('edit: only when stopped; the given flags over the config, the version up, a rename', async () => {
    const { d } = desk();
    await d.create(A, { ...ORB, strategy: 'ema-cross', paramWords: ['fast=5'], sl: '1%' });
    await d.start(A, 'orb-infy');
    expect(await refusal(d.edit(A, 'orb-infy', { qty: '20' }))).toBe('bot orb-infy is running; stop it before you edit it; algo bot stop orb-infy');
    await d.stop(A, 'orb-infy');
    const e = await d.edit(A, 'orb-infy', { qty: '20', paramWords: ['slow=30'], sl: 'off', squareOff: '15:05', name: 'ema-infy' });
    expect(e).toMatchObject({ name: 'ema-infy', version: 2 });
    expect(e.config).toMatchObject({ params: { fast: 5, slow: 30 }, sizing: { quantity: 20 }, exits: {}, symbols: ['NSE:INFY'], risk: { squareOff: '15:05' } });
    // a bad parameter for the kept strategy is refused, and nothing changes
    expect(await refusal(d.edit(A, 'ema-infy', { paramWords: ['nope=1'] }))).toMatch(/^ema-cross: .*nope/);
    expect((await d.show(A, 'ema-infy')).version).toBe(2);
    expect((await d.logs(A, 'ema-infy')).at(-1)).toMatchObject({ kind: 'edited', data: { version: 2 } });
  });

  it('rm: only when stopped; its events stay', async () => {
    const { d, r } = desk();
    const bot = await d.create(A, ORB);
    await d.start(A, 'orb-infy');
    expect(await refusal(d.remove(A, 'orb-infy'))).toBe('bot orb-infy is running; stop it before you remove it; algo bot stop orb-infy');
    await d.stop(A, 'orb-infy');
    await d.remove(A, 'orb-infy');
    expect(await d.list(A)).toEqual([]);
    expect((await r.store.bots.events(A, { botId: bot.id })).map((e) => e.kind).at(-1)).toBe('removed');
    // its log by id, for its owner only
    expect((await d.logs(A, bot.id)).map((e) => e.kind)).toEqual(['created', 'start', 'stop', 'removed']);
    expect(await refusal(d.logs(B, bot.id))).toBe(`no bot named "${bot.id}" for CD5678; algo bot list shows your bots`);
    expect(await refusal(d.logs(A, 'orb-infy'))).toBe('no bot named "orb-infy" for AB1234; algo bot list shows your bots');
  });

  it('flatten blocks entries and keeps desired; start allows entries again', async () => {
    const { d } = desk();
    await d.create(A, ORB);
    await d.start(A, 'orb-infy');
    expect(await d.flatten(A, 'orb-infy')).toMatchObject({ desired: 'running', entries_blocked: true });
    expect((await d.logs(A, 'orb-infy')).at(-1)).toMatchObject({ kind: 'flatten' });
    expect(await d.start(A, 'orb-infy')).toMatchObject({ desired: 'running', entries_blocked: false });
  });

  it('kill: every bot of that user flattened, stopped, entries blocked; the other user untouched', async () => {
    const { d } = desk();
    for (const name of ['one', 'two', 'three']) await d.create(A, { ...ORB, name });
    await d.start(A, 'one');
    await d.start(A, 'two');
    await d.pause(A, 'two');
    await d.create(B, ORB);
    await d.start(B, 'orb-infy');
    const killed = await d.kill(A);
    expect(killed.map((b) => [b.name, b.desired, b.status, b.entries_blocked])).toEqual([
      ['one', 'stopped', 'stopped', true],
      ['three', 'stopped', 'stopped', true],
      ['two', 'stopped', 'stopped', true],
    ]);
    for (const b of killed) expect((await d.logs(A, b.id)).slice(-2).map((e) => e.kind)).toEqual(['flatten', 'stop']);
    expect(await d.show(B, 'orb-infy')).toMatchObject({ desired: 'running', entries_blocked: false });
  });
});

describe('BotDesk logs and trades', () => {
  it('logs: after and limit, checked', async () => {
    const { d } = desk();
    await d.create(A, ORB);
    await d.start(A, 'orb-infy');
    await d.stop(A, 'orb-infy');
    const all = await d.logs(A, 'orb-infy');
    expect(all.map((e) => e.kind)).toEqual(['created', 'start', 'stop']);
    expect((await d.logs(A, 'orb-infy', { after: all[0]!.seq, limit: 1 })).map((e) => e.kind)).toEqual(['start']);
    expect(await refusal(d.logs(A, 'orb-infy', { limit: 0 }))).toMatch(/^--limit "0" is not a count/);
    expect(await refusal(d.logs(A, 'orb-infy', { after: -1 }))).toMatch(/^--after "-1" is not an event number/);
  });

  it("trades: the account's fills of orders tagged with the bot's id only, by IST date", async () => {
    const { r, d } = desk();
    const one = await d.create(A, ORB);
    const two = await d.create(A, { ...ORB, name: 'two' });
    await r.service.place(A, buy('INFY', 10, { product: 'MIS', tag: one.id }));
    await r.service.place(A, buy('INFY', 3, { product: 'MIS', tag: two.id }));
    await r.service.place(A, buy('INFY', 7, { product: 'MIS' })); // the person's own
    r.clock.advance(60_000);
    await r.service.place(A, sell('INFY', 10, { product: 'MIS', tag: one.id }));
    const t = await d.trades(A, 'orb-infy');
    expect(t.map((x) => [x.transaction_type, x.quantity])).toEqual([
      ['BUY', 10],
      ['SELL', 10],
    ]);
    expect(await d.trades(A, 'two', { date: '2026-11-23' })).toHaveLength(1);
    expect(await d.trades(A, 'two', { date: '2026-11-24' })).toHaveLength(0);
    expect(await d.trades(B, 'orb-infy').catch((e: unknown) => describeError(e))).toBe('no bot named "orb-infy" for CD5678; algo bot list shows your bots');
    expect(await refusal(d.trades(A, 'two', { date: '23-11-2026' }))).toMatch(/^--date "23-11-2026" is not a date/);
    // the dashboard's one read for many bots gives each bot what trades gives it
    const day = await d.tradesByBot(A, [one.id, two.id, 'b0000000'], '2026-11-23');
    expect(day[one.id]).toEqual(await d.trades(A, one.id, { date: '2026-11-23' }));
    expect(day[two.id]).toEqual(await d.trades(A, two.id, { date: '2026-11-23' }));
    expect(day['b0000000']).toEqual([]);
    expect((await d.tradesByBot(A, [one.id], '2026-11-24'))[one.id]).toEqual([]);
  });
});
