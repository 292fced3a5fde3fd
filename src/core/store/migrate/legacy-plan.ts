import { COLLECTION_KINDS, legacyCollectionName, LEGACY_USER_ID, userCollectionName, type CollectionKind } from '../mongo/names.js';

/**
 * Planning `algo migrate`: the legacy single-user collections `paper_{kind}` move to
 * `user_default_paper_{kind}`. A pure function of the collection names and their counts.
 */

export type LegacyAction =
  /** Target missing: renameCollection (dropTarget false). */
  | 'rename'
  /** Target exists but is empty: copy the documents, verify the count, drop the source. */
  | 'copy'
  /** Target has documents: never overwritten. */
  | 'refuse'
  /** No source, target exists: moved by an earlier run. */
  | 'already-moved'
  /** Neither exists. */
  | 'nothing';

export interface LegacyStep {
  kind: CollectionKind;
  from: string;
  to: string;
  action: LegacyAction;
  /** Documents in the source (to move), or in the target for already-moved and refuse. */
  documents: number;
  reason: string;
}

function countOf(counts: Readonly<Record<string, number>>, name: string): number {
  const n = counts[name];
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new Error(`planLegacyMigration: no document count for ${name}`);
  return n;
}

function plural(n: number): string {
  return `${n} document${n === 1 ? '' : 's'}`;
}

export function planLegacyMigration(names: readonly string[], counts: Readonly<Record<string, number>>): LegacyStep[] {
  const present = new Set(names);
  return COLLECTION_KINDS.map((kind): LegacyStep => {
    const from = legacyCollectionName(kind);
    const to = userCollectionName(LEGACY_USER_ID, kind);
    const step = { kind, from, to };
    if (!present.has(from)) {
      if (!present.has(to)) return { ...step, action: 'nothing', documents: 0, reason: `no ${from} collection` };
      const n = countOf(counts, to);
      return { ...step, action: 'already-moved', documents: n, reason: `${to} exists (${plural(n)}) and ${from} is gone` };
    }
    const n = countOf(counts, from);
    if (!present.has(to)) return { ...step, action: 'rename', documents: n, reason: '' };
    const existing = countOf(counts, to);
    if (existing === 0) return { ...step, action: 'copy', documents: n, reason: `${to} exists but is empty` };
    return {
      ...step,
      action: 'refuse',
      documents: existing,
      reason:
        `${to} already has ${plural(existing)} (and ${from} has ${plural(n)}); not overwriting it. ` +
        `If an earlier migrate was interrupted, compare the two and drop ${from} by hand`,
    };
  });
}

/** True when running the plan would change nothing. */
export function planIsNoop(steps: readonly LegacyStep[]): boolean {
  return steps.every((s) => s.action === 'nothing' || s.action === 'already-moved' || s.action === 'refuse');
}
