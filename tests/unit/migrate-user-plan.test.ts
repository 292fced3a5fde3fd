import { describe, expect, it } from 'vitest';
import type { BotsData } from '../../src/core/bot/types.js';
import type { AccountData } from '../../src/core/store/migrate/account.js';
import { compareBots } from '../../src/core/store/migrate/bots.js';
import { planUserCopy, type UserCandidate } from '../../src/core/store/migrate/user-plan.js';
import { runDoc } from '../contract/backtest-store-contract.js';
import { botConfig } from '../contract/bot-store-contract.js';
import { metaDoc, orderDoc } from '../helpers/store-docs.js';

const U = 'AB1234';
const account: AccountData = { meta: metaDoc(U), orders: [orderDoc(U, 'O1')], trades: [], positions: [] };
const bots: BotsData = {
  bots: [{ id: 'b0000001', user_id: U, name: 'Trend', config: botConfig(), version: 1, rev: 2, desired: 'running', status: 'running', status_reason: null, entries_blocked: false, epoch: 1, created_at: 1, updated_at: 2 }],
  events: [{ seq: 1, bot_id: 'b0000001', at: 1, kind: 'started', message: 'go' }],
  orders: [{ bot_id: 'b0000001', key: 'b000000100000001', minute: 0, status: 'placed', request: {}, order_id: 'O1', error: null, created_at: 1, updated_at: 2 }],
};

function candidate(over: Partial<UserCandidate> = {}): UserCandidate {
  return {
    userId: U,
    destAcceptsUser: true,
    account: { source: account, dest: null },
    bots: { source: bots, dest: null, running: [] },
    runs: { source: [runDoc('R1')], dest: [] },
    ...over,
  };
}

describe('planUserCopy', () => {
  it('copies every part the destination lacks, and counts them', () => {
    const [step] = planUserCopy([candidate()]);
    expect(step).toMatchObject({ action: 'copy', account: { action: 'copy' }, bots: { action: 'copy', counts: { bots: 1, events: 1, outbox: 1 } }, runs: { action: 'copy', counts: { runs: 1 } } });
  });

  it('one refused part refuses the whole user, so its account is not copied without its bots', () => {
    const other = { ...bots, bots: [{ ...bots.bots[0]!, rev: 3 }] };
    const [step] = planUserCopy([candidate({ bots: { source: bots, dest: other, running: [] } })]);
    expect(step).toMatchObject({ action: 'refuse', account: { action: 'copy' }, bots: { action: 'refuse' } });
    expect(step!.reason).toBe(`the destination already has different bots for ${U} (1 bots, 1 events, 1 outbox rows; bot b0000001 differs); not overwriting them`);
  });

  it('a bot running in the source refuses the user unless the destination already has the same bots', () => {
    expect(planUserCopy([candidate({ bots: { source: bots, dest: null, running: ['Trend'] } })])[0]).toMatchObject({ action: 'refuse', reason: expect.stringMatching(/^bot Trend of AB1234 is running/) });
    const same = planUserCopy([candidate({ account: null, runs: { source: [], dest: [] }, bots: { source: bots, dest: structuredClone(bots), running: ['Trend'] } })]);
    expect(same[0]).toMatchObject({ action: 'already-copied', bots: { action: 'already-copied' }, runs: { action: 'none' } });
  });

  it('refuses a user id the destination cannot hold', () => {
    expect(planUserCopy([candidate({ userId: 'default', destAcceptsUser: false })])[0]).toMatchObject({ action: 'refuse', reason: 'the destination store does not take the user id default' });
  });

  it('compareBots notices an outbox row that differs, and nothing for the same data', () => {
    expect(compareBots(bots, structuredClone(bots))).toEqual([]);
    expect(compareBots(bots, { ...bots, orders: [{ ...bots.orders[0]!, status: 'pending' }] })).toEqual(['outbox row b0000001:b000000100000001 differs']);
    expect(compareBots(bots, null)[0]).toBe('bots: 1 in the source, 0 in the destination');
  });
});
