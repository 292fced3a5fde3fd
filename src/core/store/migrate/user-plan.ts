import type { BacktestResult } from '../../backtest/types.js';
import type { BotsData } from '../../bot/types.js';
import type { AccountData } from './account.js';
import { botCountsOf, compareBots, type BotCounts } from './bots.js';
import { planAccountCopy, type CopyAction, type CopyStep } from './copy-plan.js';
import { compareRuns } from './runs.js';

/**
 * Planning a copy user by user: the paper account (copy-plan.ts), the bots (records, events,
 * outbox) and the saved backtest runs, each copy / already copied / refuse. Pure.
 * One refusal refuses the whole user, so nothing of that user is written: above all a paper
 * account is never copied without the outbox rows that tie its orders to its bots.
 */

/** 'none': the source has nothing of this kind for the user. */
export type PartAction = CopyAction | 'none';

export interface PartStep<C> {
  action: PartAction;
  counts: C;
  /** Why it is refused or skipped; empty for a copy or none. */
  reason: string;
}

export interface UserStep {
  userId: string;
  /** refuse when any part refuses; else copy when any part copies; else already copied. */
  action: CopyAction;
  /** The first refusal's reason, or why nothing is to be done. */
  reason: string;
  /** The paper account's step; null when the source has no paper account for the user. */
  account: CopyStep | null;
  bots: PartStep<BotCounts>;
  runs: PartStep<{ runs: number }>;
}

export interface UserCandidate {
  userId: string;
  destAcceptsUser: boolean;
  /** null when the source has no paper account for the user. */
  account: { source: AccountData; dest: AccountData | null } | null;
  bots: {
    source: BotsData | null;
    dest: BotsData | null;
    /** The source's bots whose lease is live now: being run, so a copy would be out of date at once. */
    running: string[];
  };
  runs: { source: BacktestResult[]; dest: BacktestResult[] };
}

function planBots(userId: string, c: UserCandidate['bots']): PartStep<BotCounts> {
  const counts = botCountsOf(c.source);
  if (c.source === null) return { action: 'none', counts, reason: '' };
  const diff = compareBots(c.source, c.dest);
  if (c.dest !== null && diff.length === 0) return { action: 'already-copied', counts, reason: 'the destination already holds the same bots' };
  if (c.running.length > 0) {
    return { action: 'refuse', counts, reason: `bot ${c.running.join(', ')} of ${userId} is running in the source (its lease is live); stop algo bot run there first` };
  }
  if (c.dest === null) return { action: 'copy', counts, reason: '' };
  const d = botCountsOf(c.dest);
  return {
    action: 'refuse',
    counts,
    reason: `the destination already has different bots for ${userId} (${d.bots} bots, ${d.events} events, ${d.outbox} outbox rows; ${diff[0]}); not overwriting them`,
  };
}

function planRuns(userId: string, c: UserCandidate['runs']): PartStep<{ runs: number }> {
  const counts = { runs: c.source.length };
  if (c.source.length === 0) return { action: 'none', counts, reason: '' };
  if (c.dest.length === 0) return { action: 'copy', counts, reason: '' };
  const diff = compareRuns(c.source, c.dest);
  if (diff.length === 0) return { action: 'already-copied', counts, reason: 'the destination already holds the same backtest runs' };
  return { action: 'refuse', counts, reason: `the destination already has different backtest runs for ${userId} (${c.dest.length} runs; ${diff[0]}); not overwriting them` };
}

/** One step per user the source holds anything for, sorted by user id. */
export function planUserCopy(candidates: readonly UserCandidate[]): UserStep[] {
  return [...candidates]
    .sort((x, y) => (x.userId < y.userId ? -1 : x.userId > y.userId ? 1 : 0))
    .map((c): UserStep => {
      const account = c.account ? planAccountCopy([{ userId: c.userId, source: c.account.source, dest: c.account.dest, destAcceptsUser: c.destAcceptsUser }])[0]! : null;
      const bots = planBots(c.userId, c.bots);
      const runs = planRuns(c.userId, c.runs);
      const step = { userId: c.userId, account, bots, runs };
      if (!c.destAcceptsUser) return { ...step, action: 'refuse', reason: `the destination store does not take the user id ${c.userId}` };
      const parts = [account?.action ?? 'none', bots.action, runs.action];
      const refused = [account, bots, runs].find((p) => p?.action === 'refuse');
      if (refused) return { ...step, action: 'refuse', reason: refused.reason };
      if (parts.includes('copy')) return { ...step, action: 'copy', reason: '' };
      return { ...step, action: 'already-copied', reason: `the destination already holds everything of ${c.userId}` };
    });
}
