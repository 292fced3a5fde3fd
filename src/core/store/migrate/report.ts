import { formatINR } from '../../money.js';
import type { PartAction, UserStep } from './user-plan.js';
import type { LegacyStep } from './legacy-plan.js';
import type { MigrateResult } from './index.js';

/** What `algo migrate` prints: one line per collection or user (account, bots, runs), then a summary line. */

function docs(n: number): string {
  return `${n} document${n === 1 ? '' : 's'}`;
}

function legacyLine(s: LegacyStep, dryRun: boolean): string {
  switch (s.action) {
    case 'rename':
    case 'copy':
      return `${dryRun ? 'would move' : 'moved'} ${s.from} -> ${s.to} (${docs(s.documents)})`;
    case 'refuse':
      return `refused ${s.from}: ${s.reason}`;
    case 'already-moved':
      return `already moved: ${s.to} (${docs(s.documents)})`;
    case 'nothing':
      return `nothing to move: ${s.reason}`;
  }
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** " (already there)" for a part the destination holds while the rest of the user is copied. */
function there(action: PartAction, user: UserStep['action']): string {
  return user === 'copy' && action === 'already-copied' ? ' (already there)' : '';
}

/** What the user has: the paper account, the bots, the backtest runs. */
function userParts(s: UserStep): string {
  const a = s.account;
  const account = a
    ? `${a.counts.orders} orders, ${a.counts.trades} trades, ${a.counts.positions} positions, available ${formatINR(a.meta.available)}${there(a.action, s.action)}`
    : 'no paper account';
  const b = s.bots.counts;
  const bots = b.bots === 0 && b.events === 0 ? 'no bots' : `${count(b.bots, 'bot')} (${count(b.events, 'event')}, ${count(b.outbox, 'outbox order')})${there(s.bots.action, s.action)}`;
  const runs = s.runs.counts.runs === 0 ? 'no backtest runs' : `${count(s.runs.counts.runs, 'backtest run')}${there(s.runs.action, s.action)}`;
  return `${account}; ${bots}; ${runs}`;
}

function copyLine(s: UserStep, dryRun: boolean): string {
  const what = `${s.userId}: ${userParts(s)}`;
  switch (s.action) {
    case 'copy':
      return dryRun ? `would copy ${what}` : `copied ${what} (verified)`;
    case 'already-copied':
      return `already copied ${what}`;
    case 'refuse':
      return `refused ${s.userId}: ${s.reason}`;
  }
}

export function migrateLines(result: MigrateResult): string[] {
  if (result.mode === 'legacy') {
    const { steps, dryRun, database, indexWarning } = result.report;
    const lines = steps.map((s) => legacyLine(s, dryRun));
    const moving = steps.filter((s) => s.action === 'rename' || s.action === 'copy').length;
    if (moving === 0) lines.push(`nothing changed in ${database}: no legacy collection left to move`);
    else if (!dryRun) lines.push(`moved ${moving} collection${moving === 1 ? '' : 's'} in ${database} to user_default_*`);
    if (indexWarning) lines.push(`warning: ${indexWarning}`);
    return lines;
  }
  const { steps, dryRun } = result.report;
  const lines = [`from ${result.from}`, `to ${result.to}`, ...steps.map((s) => copyLine(s, dryRun))];
  const copying = steps.filter((s) => s.action === 'copy').length;
  if (steps.length === 0) lines.push('nothing to copy: the source has no paper accounts, bots or backtest runs');
  else if (copying === 0) lines.push('nothing changed');
  return lines;
}

/** 1 when anything was refused, so scripts notice; 0 otherwise. */
export function migrateExitCode(result: MigrateResult): 0 | 1 {
  return result.report.steps.some((s) => s.action === 'refuse') ? 1 : 0;
}
