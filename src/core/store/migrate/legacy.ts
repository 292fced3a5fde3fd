import type { Db, Document } from 'mongodb';
import { AlgoError } from '../../errors.js';
import { ensureUserIndexes } from '../mongo/ensure.js';
import { COLLECTION_KINDS, legacyCollectionName, LEGACY_USER_ID, userCollectionName } from '../mongo/names.js';
import { planLegacyMigration, type LegacyStep } from './legacy-plan.js';

export interface LegacyReport {
  database: string;
  dryRun: boolean;
  steps: LegacyStep[];
  /** Set when the moved collections' indexes could not be created (the move itself stands). */
  indexWarning?: string;
}

const BATCH = 1000;

/** The names and document counts the plan needs, read from the database. */
async function survey(db: Db): Promise<{ names: string[]; counts: Record<string, number> }> {
  const wanted = new Set(COLLECTION_KINDS.flatMap((k) => [legacyCollectionName(k), userCollectionName(LEGACY_USER_ID, k)]));
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => wanted.has(n));
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = await db.collection(name).countDocuments();
  return { names, counts };
}

/** Copy into an empty target, check the count, then drop the source. */
async function copyThenDrop(db: Db, step: LegacyStep): Promise<void> {
  const source = db.collection(step.from);
  const target = db.collection(step.to);
  let batch: Document[] = [];
  for await (const doc of source.find({})) {
    batch.push(doc);
    if (batch.length === BATCH) {
      await target.insertMany(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await target.insertMany(batch);
  const [copied, left] = await Promise.all([target.countDocuments(), source.countDocuments()]);
  if (copied !== left) {
    throw new AlgoError(`copying ${step.from} to ${step.to} did not verify: ${left} documents in the source, ${copied} in the target`, {
      hint: `nothing was dropped; compare ${step.to} with ${step.from} by hand`,
    });
  }
  await source.drop();
}

/**
 * Move the legacy single-user collections to `user_default_*` as planned. Idempotent: a second
 * run finds nothing to move. A target that already has documents is never touched.
 */
export async function migrateLegacy(db: Db, opts: { dryRun?: boolean } = {}): Promise<LegacyReport> {
  const { names, counts } = await survey(db);
  const steps = planLegacyMigration(names, counts);
  const report: LegacyReport = { database: db.databaseName, dryRun: Boolean(opts.dryRun), steps };
  if (opts.dryRun) return report;
  let moved = false;
  for (const step of steps) {
    if (step.action === 'rename') await db.renameCollection(step.from, step.to, { dropTarget: false });
    else if (step.action === 'copy') await copyThenDrop(db, step);
    else continue;
    moved = true;
  }
  if (moved) {
    await ensureUserIndexes(db, LEGACY_USER_ID).catch((err: unknown) => {
      report.indexWarning = err instanceof Error ? err.message : String(err);
    });
  }
  return report;
}
