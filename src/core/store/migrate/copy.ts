import { systemClock } from '../../clock.js';
import { AlgoError } from '../../errors.js';
import { USER_ID_RE } from '../../paths.js';
import { exportAccount, importAccount } from './account.js';
import { compareBots, exportBots } from './bots.js';
import { compareAccounts } from './copy-plan.js';
import { compareRuns, exportRuns } from './runs.js';
import { planUserCopy, type UserCandidate, type UserStep } from './user-plan.js';
import { isStoreUserId } from '../mongo/names.js';
import type { PaperStore } from '../types.js';

/** MongoDB also holds the migrated legacy account `default`; SQLite only Kite user ids. */
export function storeAcceptsUser(kind: PaperStore['kind'], userId: string): boolean {
  return kind === 'mongodb' ? isStoreUserId(userId) : USER_ID_RE.test(userId);
}

export interface CopyReport {
  dryRun: boolean;
  steps: UserStep[];
}

/** Every user the source holds a paper account, a bot or a backtest run for, sorted. */
async function sourceUsers(from: PaperStore): Promise<string[]> {
  const all = new Set([...(await from.users()), ...(await from.bots.users()), ...(await from.backtests.users())]);
  return [...all].sort();
}

/** The source's bots whose lease is live at `now`. */
async function runningBots(from: PaperStore, userId: string, now: number): Promise<string[]> {
  const names: string[] = [];
  for (const b of await from.bots.list(userId)) {
    const lease = await from.bots.lease(userId, b.id);
    if (lease !== null && lease.expires_at > now) names.push(b.name);
  }
  return names;
}

async function candidateOf(from: PaperStore, to: PaperStore, userId: string, now: number): Promise<UserCandidate> {
  const destAcceptsUser = storeAcceptsUser(to.kind, userId);
  const source = await exportAccount(from, userId);
  // A user id the store's bots refuse (MongoDB's legacy `default`) has none.
  const bots = USER_ID_RE.test(userId) ? await exportBots(from, userId) : null;
  const runs = await exportRuns(from, userId);
  // The destination is read only for what the source has (MongoDB's bots need a replica set).
  const read = destAcceptsUser;
  return {
    userId,
    destAcceptsUser,
    account: source ? { source, dest: read ? await exportAccount(to, userId) : null } : null,
    bots: { source: bots, dest: read && bots ? await exportBots(to, userId) : null, running: bots ? await runningBots(from, userId, now) : [] },
    runs: { source: runs, dest: read && runs.length > 0 ? await exportRuns(to, userId) : [] },
  };
}

function unverified(userId: string, what: string, diff: string[]): AlgoError {
  return new AlgoError(`the copy of ${userId}'s ${what} did not verify: ${diff.slice(0, 3).join('; ')}`, {
    hint: 'compare the two stores before using the destination',
  });
}

/** Write the parts the plan copies, each read back and compared: the account, then its bots (their outbox ties its orders to them), then the runs. */
async function copyUser(to: PaperStore, step: UserStep, c: UserCandidate): Promise<void> {
  const { userId } = step;
  if (step.account?.action === 'copy' && c.account) {
    await importAccount(to, userId, c.account.source);
    const copied = await exportAccount(to, userId);
    const diff = copied ? compareAccounts(c.account.source, copied) : ['the account is missing after the copy'];
    if (diff.length > 0) throw unverified(userId, 'paper account', diff);
  }
  if (step.bots.action === 'copy' && c.bots.source) {
    await to.bots.importBots(userId, c.bots.source);
    const diff = compareBots(c.bots.source, await exportBots(to, userId));
    if (diff.length > 0) throw unverified(userId, 'bots', diff);
  }
  if (step.runs.action === 'copy') {
    await to.backtests.importRuns(userId, c.runs.source);
    const diff = compareRuns(c.runs.source, await exportRuns(to, userId));
    if (diff.length > 0) throw unverified(userId, 'backtest runs', diff);
  }
}

/**
 * Copy every user of `from` into `to`: the paper account, the bots (records, events, outbox; no
 * lease, so a bot resumes as it was once a runner starts on `to`) and the saved backtest runs.
 * Plan (copy / already copied / refuse, user by user), then write each planned part and verify
 * it by reading it back. Nothing a destination already holds is overwritten.
 */
export async function copyAccounts(from: PaperStore, to: PaperStore, opts: { dryRun?: boolean; now?: number } = {}): Promise<CopyReport> {
  const now = opts.now ?? systemClock.now();
  const candidates: UserCandidate[] = [];
  for (const userId of await sourceUsers(from)) candidates.push(await candidateOf(from, to, userId, now));
  const steps = planUserCopy(candidates);
  if (opts.dryRun) return { dryRun: true, steps };
  for (const step of steps) {
    if (step.action === 'copy') await copyUser(to, step, candidates.find((c) => c.userId === step.userId)!);
  }
  return { dryRun: false, steps };
}
