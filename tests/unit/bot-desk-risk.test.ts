import { describe, expect, it } from 'vitest';
import { BotDesk } from '../../src/app/bots.js';
import type { BotInput } from '../../src/app/bot-config.js';
import { botJson } from '../../src/app/bot-json.js';
import { riskOf } from '../../src/core/backtest/risk.js';
import { describeError } from '../../src/core/errors.js';
import { showText } from '../../src/cli/bot/views.js';
import { rig } from '../helpers/paper.js';
import { CreateBotBody } from '../../src/server/bot-schemas.js';
import { botInputOfBody } from '../../src/server/routes/bots.js';

/** --max-orders-second and --stale-after: stored as config.risk's maxOrdersSecond and staleAfterMs, which the Runner reads. */
const A = 'AB1234';
const ORB: BotInput & { name: string } = { name: 'orb-infy', strategy: 'orb', symbols: ['INFY'], qty: '10' };
const desk = (): BotDesk => {
  const r = rig();
  return new BotDesk({ bots: r.store.bots, paper: r.store, clock: r.clock });
};
const refusal = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'no refusal', (e: unknown) => e);

describe('bot risk flags: orders a second and stale bars', () => {
  it('a new bot refuses entries on bars older than 120 s and has no pacing unless given', async () => {
    const bot = await desk().create(A, ORB);
    expect(bot.config.risk).toMatchObject({ staleAfterMs: 120_000 });
    expect(bot.config.risk).not.toHaveProperty('maxOrdersSecond');
    expect(botJson(bot).risk).toMatchObject({ max_orders_second: null, stale_after: 120 });
    expect(showText(bot, null)).toMatch(/\nmax orders\/sec +-\nstale after +120 s \(no entries on a later bar\)\n/);
  });

  it('stores the given values (seconds as milliseconds), as the Runner reads them; edit changes only what it names', async () => {
    const d = desk();
    const bot = await d.create(A, { ...ORB, maxOrdersSecond: '3', staleAfter: ' 30 ' });
    expect(bot.config.risk).toMatchObject({ maxOrdersSecond: 3, staleAfterMs: 30_000 });
    expect(riskOf(bot.config.risk)).toMatchObject({ maxOrdersSecond: 3, staleAfterMs: 30_000 });
    expect(showText(bot, null)).toMatch(/\nmax orders\/sec +3 \(more wait their turn\)\nstale after +30 s/);
    const kept = await d.edit(A, ORB.name, { qty: '5' });
    expect(kept.config.risk).toMatchObject({ maxOrdersSecond: 3, staleAfterMs: 30_000 });
    const changed = await d.edit(A, ORB.name, { staleAfter: '3600', maxOrdersSecond: '1' });
    expect(changed.config.risk).toMatchObject({ maxOrdersSecond: 1, staleAfterMs: 3_600_000 });
    expect(botJson(changed).risk).toMatchObject({ max_orders_second: 1, stale_after: 3600 });
  });

  it('refuses a bad value in one line naming the flag (and the field, for the API)', async () => {
    const d = desk();
    const cases: Array<[Partial<BotInput>, RegExp, string]> = [
      [{ maxOrdersSecond: '0' }, /^--max-orders-second "0" is not a rate/, 'maxOrdersSecond'],
      [{ maxOrdersSecond: '2.5' }, /^--max-orders-second "2.5" is not a rate/, 'maxOrdersSecond'],
      [{ staleAfter: '0' }, /^--stale-after "0" is not a number of seconds/, 'staleAfter'],
      [{ staleAfter: '3601' }, /^--stale-after "3601" is not a number of seconds.*from 1 to 3600/, 'staleAfter'],
      [{ staleAfter: '2m' }, /^--stale-after "2m" is not a number of seconds/, 'staleAfter'],
    ];
    for (const [over, re, field] of cases) {
      const err = await refusal(d.create(A, { ...ORB, ...over }));
      const line = describeError(err);
      expect(line, JSON.stringify(over)).toMatch(re);
      expect(line).not.toContain('\n');
      expect((err as { field?: string }).field).toBe(field);
    }
    expect(await d.list(A)).toEqual([]);
  });

  it('the REST body names them max_orders_second and stale_after (numbers or text), as the flags', async () => {
    const body = CreateBotBody.parse({ name: 'api-bot', strategy: 'orb', symbols: ['INFY'], max_orders_second: 4, stale_after: '90' });
    expect(botInputOfBody(body)).toMatchObject({ maxOrdersSecond: '4', staleAfter: '90' });
    const bot = await desk().create(A, { ...botInputOfBody(body), name: 'api-bot' });
    expect(bot.config.risk).toMatchObject({ maxOrdersSecond: 4, staleAfterMs: 90_000 });
  });
});
