import { formatINR } from '../../money.js';
import type { CopyStep } from './copy-plan.js';
import type { LegacyStep } from './legacy-plan.js';
import type { MigrateResult } from './index.js';

/** What `algo migrate` prints: one line per collection or account, then a summary line. */

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

function copyLine(s: CopyStep, dryRun: boolean): string {
  const what = `${s.userId}: ${s.counts.orders} orders, ${s.counts.trades} trades, ${s.counts.positions} positions, available ${formatINR(s.meta.available)}`;
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
  if (steps.length === 0) lines.push('nothing to copy: the source has no paper accounts');
  else if (copying === 0) lines.push('nothing changed');
  return lines;
}

/** 1 when anything was refused, so scripts notice; 0 otherwise. */
export function migrateExitCode(result: MigrateResult): 0 | 1 {
  return result.report.steps.some((s) => s.action === 'refuse') ? 1 : 0;
}
