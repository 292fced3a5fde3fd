import { AlgoError } from '../../errors.js';
import { USER_ID_RE } from '../../paths.js';
import { exportAccount, importAccount } from './account.js';
import { compareAccounts, planAccountCopy, type CopyCandidate, type CopyStep } from './copy-plan.js';
import { isStoreUserId } from '../mongo/names.js';
import type { PaperStore } from '../types.js';

/** MongoDB also holds the migrated legacy account `default`; SQLite only Kite user ids. */
export function storeAcceptsUser(kind: PaperStore['kind'], userId: string): boolean {
  return kind === 'mongodb' ? isStoreUserId(userId) : USER_ID_RE.test(userId);
}

export interface CopyReport {
  dryRun: boolean;
  steps: CopyStep[];
}

/**
 * Copy every paper account of `from` into `to`: plan (copy / already copied / refuse), then
 * import each planned account and verify it by reading it back (counts, balances, content).
 * A destination account with other data is never overwritten.
 */
export async function copyAccounts(from: PaperStore, to: PaperStore, opts: { dryRun?: boolean } = {}): Promise<CopyReport> {
  const candidates: CopyCandidate[] = [];
  for (const userId of await from.users()) {
    const source = await exportAccount(from, userId);
    if (!source) continue;
    const destAcceptsUser = storeAcceptsUser(to.kind, userId);
    const dest = destAcceptsUser ? await exportAccount(to, userId) : null;
    candidates.push({ userId, source, dest, destAcceptsUser });
  }
  const steps = planAccountCopy(candidates);
  if (opts.dryRun) return { dryRun: true, steps };
  for (const step of steps) {
    if (step.action !== 'copy') continue;
    const source = candidates.find((c) => c.userId === step.userId)!.source;
    await importAccount(to, step.userId, source);
    const copied = await exportAccount(to, step.userId);
    const diff = copied ? compareAccounts(source, copied) : ['the account is missing after the copy'];
    if (diff.length > 0) {
      throw new AlgoError(`the copy of ${step.userId} did not verify: ${diff.slice(0, 3).join('; ')}`, {
        hint: 'compare the two stores before using the destination',
      });
    }
  }
  return { dryRun: false, steps };
}
