import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planIsNoop, planLegacyMigration, type LegacyStep } from '../../src/core/store/migrate/legacy-plan.js';

const KINDS = ['orders', 'positions', 'trades', 'meta'] as const;
const legacy = (k: string) => `paper_${k}`;
const target = (k: string) => `user_default_paper_${k}`;

function actions(steps: LegacyStep[]): Record<string, string> {
  return Object.fromEntries(steps.map((s) => [s.kind, s.action]));
}

describe('planLegacyMigration', () => {
  it('renames every legacy collection when no user_default_* exists', () => {
    const names = ['paper_orders', 'paper_positions', 'paper_trades', 'paper_meta', 'unrelated'];
    const steps = planLegacyMigration(names, { paper_orders: 12, paper_positions: 3, paper_trades: 20, paper_meta: 1 });
    expect(steps).toEqual([
      { kind: 'orders', from: 'paper_orders', to: 'user_default_paper_orders', action: 'rename', documents: 12, reason: '' },
      { kind: 'positions', from: 'paper_positions', to: 'user_default_paper_positions', action: 'rename', documents: 3, reason: '' },
      { kind: 'trades', from: 'paper_trades', to: 'user_default_paper_trades', action: 'rename', documents: 20, reason: '' },
      { kind: 'meta', from: 'paper_meta', to: 'user_default_paper_meta', action: 'rename', documents: 1, reason: '' },
    ]);
    expect(planIsNoop(steps)).toBe(false);
  });

  it('says nothing is left once everything moved (the second run changes nothing)', () => {
    const names = KINDS.map(target);
    const steps = planLegacyMigration(names, Object.fromEntries(names.map((n) => [n, 2])));
    expect(actions(steps)).toEqual({ orders: 'already-moved', positions: 'already-moved', trades: 'already-moved', meta: 'already-moved' });
    expect(steps[0]!.reason).toBe('user_default_paper_orders exists (2 documents) and paper_orders is gone');
    expect(planIsNoop(steps)).toBe(true);
  });

  it('has nothing to do in an empty database', () => {
    const steps = planLegacyMigration([], {});
    expect(steps.every((s) => s.action === 'nothing' && s.documents === 0)).toBe(true);
    expect(steps[3]!.reason).toBe('no paper_meta collection');
    expect(planIsNoop(steps)).toBe(true);
  });

  it('never overwrites a target that has documents, and says why', () => {
    const steps = planLegacyMigration(['paper_orders', 'user_default_paper_orders'], { paper_orders: 5, user_default_paper_orders: 1 });
    expect(steps[0]).toMatchObject({ action: 'refuse', documents: 1 });
    expect(steps[0]!.reason).toBe(
      'user_default_paper_orders already has 1 document (and paper_orders has 5 documents); not overwriting it. ' +
        'If an earlier migrate was interrupted, compare the two and drop paper_orders by hand',
    );
    expect(planIsNoop(steps)).toBe(true);
  });

  it('copies into a target that exists but is empty (e.g. made by a store start)', () => {
    const steps = planLegacyMigration(['paper_meta', 'user_default_paper_meta'], { paper_meta: 1, user_default_paper_meta: 0 });
    expect(steps[3]).toMatchObject({ action: 'copy', documents: 1, reason: 'user_default_paper_meta exists but is empty' });
  });

  it('moves an empty legacy collection too, so nothing legacy is left behind', () => {
    expect(planLegacyMigration(['paper_trades'], { paper_trades: 0 })[2]).toMatchObject({ action: 'rename', documents: 0 });
  });

  it('decides each collection on its own', () => {
    const steps = planLegacyMigration(['paper_orders', 'user_default_paper_positions', 'paper_trades', 'user_default_paper_trades', 'paper_meta'], {
      paper_orders: 4,
      user_default_paper_positions: 2,
      paper_trades: 9,
      user_default_paper_trades: 7,
      paper_meta: 1,
    });
    expect(actions(steps)).toEqual({ orders: 'rename', positions: 'already-moved', trades: 'refuse', meta: 'rename' });
  });

  it('needs the count of every collection it decides on, rather than guess', () => {
    expect(() => planLegacyMigration(['paper_orders'], {})).toThrow(/no document count for paper_orders/);
    expect(() => planLegacyMigration(['paper_orders', 'user_default_paper_orders'], { paper_orders: 1 })).toThrow(/user_default_paper_orders/);
  });

  it('for any database: one step per kind, refuses iff the target has documents, and running it leads to a no-op plan', () => {
    const state = fc.record({
      orders: fc.tuple(fc.option(fc.nat(50)), fc.option(fc.nat(50))),
      positions: fc.tuple(fc.option(fc.nat(50)), fc.option(fc.nat(50))),
      trades: fc.tuple(fc.option(fc.nat(50)), fc.option(fc.nat(50))),
      meta: fc.tuple(fc.option(fc.nat(50)), fc.option(fc.nat(50))),
    });
    fc.assert(
      fc.property(state, (db) => {
        const counts: Record<string, number> = {};
        for (const k of KINDS) {
          const [src, dst] = db[k];
          if (src !== null) counts[legacy(k)] = src;
          if (dst !== null) counts[target(k)] = dst;
        }
        const steps = planLegacyMigration(Object.keys(counts), counts);
        expect(steps.map((s) => s.kind)).toEqual([...KINDS]);
        for (const s of steps) {
          const [src, dst] = db[s.kind];
          expect(s.action === 'refuse').toBe(src !== null && dst !== null && dst > 0);
        }
        // Simulate the moves; the next plan must change nothing.
        const after: Record<string, number> = { ...counts };
        for (const s of steps) {
          if (s.action === 'rename' || s.action === 'copy') {
            after[s.to] = counts[s.from]!;
            delete after[s.from];
          }
        }
        expect(planIsNoop(planLegacyMigration(Object.keys(after), after))).toBe(true);
      }),
    );
  });
});
