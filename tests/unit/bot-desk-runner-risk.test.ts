import { describe, expect, it } from 'vitest';
import { BotDesk } from '../../src/app/bots.js';
import type { BotInput } from '../../src/app/bot-config.js';
import { botJson } from '../../src/app/bot-json.js';
import { riskFlagsOf } from '../../src/app/risk-flags.js';
import { riskOf } from '../../src/core/backtest/risk.js';
import { botSpec } from '../../src/core/bot/spec.js';
import { describeError } from '../../src/core/errors.js';
import { showText } from '../../src/cli/bot/views.js';
import { rig } from '../helpers/paper.js';
import { CreateBotBody, EditBotBody } from '../../src/server/bot-schemas.js';
import { botInputOfBody } from '../../src/server/routes/bots.js';

/** --no-entries-after, --max-qty, --max-exposure, --max-loss-day [:halt], --cooldown: stored as the Runner reads them (RunnerRisk). */
const A = 'AB1234';
const ORB: BotInput & { name: string } = { name: 'orb-infy', strategy: 'orb', symbols: ['INFY'], qty: '10' };
const FLAGS: Partial<BotInput> = { noEntriesAfter: '14:30', maxQty: '50', maxExposure: '2,00,000', maxLossDay: '2000:halt', cooldown: '3' };
const desk = (): BotDesk => {
  const r = rig();
  return new BotDesk({ bots: r.store.bots, paper: r.store, clock: r.clock });
};
const refusal = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'no refusal', (e: unknown) => e);

describe('bot risk controls the Runner enforces', () => {
  it('each flag is stored as the RunnerRisk field, as the backtest reads the same text', async () => {
    const bot = await desk().create(A, { ...ORB, ...FLAGS });
    expect(riskOf(bot.config.risk)).toEqual({
      squareOff: '15:10',
      noEntriesAfter: '14:30',
      maxQuantity: 50,
      maxExposure: 2_00_000_00,
      maxLossDay: { amount: 2000_00, action: 'halt' },
      cooldownBars: 3,
      staleAfterMs: 120_000,
    });
    // The spec of the bot's day, which its Runner is built from, carries them.
    expect(botSpec(bot.config, '2026-12-02', { slippageBps: 0, marketProtectionPct: 0, volumeSharePct: 100 }).risk).toEqual(riskOf(bot.config.risk));
    expect(riskFlagsOf(FLAGS)).toEqual({ noEntriesAfter: '14:30', maxQuantity: 50, maxExposure: 2_00_000_00, maxLossDay: { amount: 2000_00, action: 'halt' }, cooldownBars: 3 });
    expect((await desk().create(A, { ...ORB, maxLossDay: '2000' })).config.risk).toMatchObject({ maxLossDay: { amount: 2000_00, action: 'block' } });
  });

  it('show and --json print them', async () => {
    const bot = await desk().create(A, { ...ORB, ...FLAGS });
    expect(botJson(bot).risk).toMatchObject({ no_entries_after: '14:30', max_qty: 50, max_exposure: 200000, max_loss_day: 2000, max_loss_day_action: 'halt', cooldown: 3 });
    const text = showText(bot, null);
    for (const re of [/\nno entries after +14:30 IST\n/, /\nmax qty +50 shares per entry\n/, /\nmax exposure +₹2,00,000\.00\n/, /\nmax loss\/day +₹2,000\.00 \(then exit everything, no more entries\)\n/, /\ncooldown +3 bars after an exit\n/]) expect(text).toMatch(re);
    const plain = await desk().create(A, ORB);
    expect(botJson(plain).risk).toMatchObject({ no_entries_after: null, max_qty: null, max_exposure: null, max_loss_day: null, max_loss_day_action: null, cooldown: null });
    expect(showText(plain, null)).toMatch(/\nmax qty +-\n/);
  });

  it('edit keeps the fields it does not name; off clears each', async () => {
    const d = desk();
    await d.create(A, { ...ORB, ...FLAGS });
    const one = await d.edit(A, 'orb-infy', { maxQty: '20' });
    expect(riskOf(one.config.risk)).toMatchObject({ noEntriesAfter: '14:30', maxQuantity: 20, maxExposure: 2_00_000_00, maxLossDay: { amount: 2000_00, action: 'halt' }, cooldownBars: 3 });
    const off = await d.edit(A, 'orb-infy', { noEntriesAfter: 'off', maxQty: 'off', maxExposure: 'off', maxLossDay: 'off', cooldown: 'off' });
    expect(riskOf(off.config.risk)).toEqual({ squareOff: '15:10', staleAfterMs: 120_000 });
  });

  it('a bad value is the backtest command\'s one line, naming the flag and its field', async () => {
    const d = desk();
    const cases: Array<[Partial<BotInput>, string, string]> = [
      [{ noEntriesAfter: '25:00' }, 'noEntriesAfter', '--no-entries-after "25:00" is not a valid value; give an IST time, e.g. --no-entries-after 14:30'],
      [{ maxQty: '0' }, 'maxQty', '--max-qty "0" is not a valid value; give a whole number of shares, e.g. --max-qty 50'],
      [{ maxExposure: 'lots' }, 'maxExposure', '--max-exposure "lots" is not a valid value; give rupees, e.g. --max-exposure 200000'],
      [{ maxLossDay: '2000:stop' }, 'maxLossDay', '--max-loss-day "2000:stop" is not a valid value; give rupees, and :halt to exit everything and stop, e.g. --max-loss-day 2000 or --max-loss-day 2000:halt'],
      [{ cooldown: '-1' }, 'cooldown', '--cooldown "-1" is not a valid value; give a whole number of strategy bars, e.g. --cooldown 3'],
    ];
    for (const [over, field, line] of cases) {
      const err = await refusal(d.create(A, { ...ORB, ...over }));
      expect(describeError(err), field).toBe(line);
      expect((err as { field?: string }).field).toBe(field);
      const key = Object.keys(over)[0] as 'maxQty';
      expect(describeError(await refusal(Promise.resolve().then(() => riskFlagsOf({ [key]: over[key] }))))).toBe(line);
    }
    expect(await d.list(A)).toEqual([]);
  });

  it('the REST body takes no_entries_after, max_qty, max_exposure, max_loss_day ("2000:halt" or a number) and cooldown', async () => {
    const body = CreateBotBody.parse({ name: 'orb-infy', strategy: 'orb', symbols: ['INFY'], no_entries_after: '14:30', max_qty: 50, max_exposure: '200000', max_loss_day: '2000:halt', cooldown: 3 });
    const bot = await desk().create(A, botInputOfBody(body) as BotInput & { name: string });
    expect(riskOf(bot.config.risk)).toMatchObject({ noEntriesAfter: '14:30', maxQuantity: 50, maxExposure: 2_00_000_00, maxLossDay: { amount: 2000_00, action: 'halt' }, cooldownBars: 3 });
    expect(botInputOfBody(EditBotBody.parse({ max_loss_day: 1500, max_qty: 'off' }))).toEqual({ maxLossDay: '1500', maxQty: 'off' });
  });
});
