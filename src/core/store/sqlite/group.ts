import { isBusyError } from './busy.js';

/** A write waiting for its transaction: its body runs inside it, `committed` right after the commit. */
export interface QueuedWrite {
  body(): unknown;
  committed?(): void;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** The transaction statements of the connection, and what to do around each attempt. */
export interface GroupOps {
  begin(): void;
  commit(): void;
  /** Roll the whole transaction back (when one is open). */
  rollback(): void;
  savepoint(): void;
  /** Undo the writes since the savepoint, keeping the transaction. */
  rollbackToSavepoint(): void;
  release(): void;
  /** Before and after each attempt at a batch (its first, and again after a busy wait), committed or not. */
  around(): void;
  /** Run an attempt with the store's busy retries and failure naming (the first attempt runs at once). */
  run<T>(attempt: () => T): Promise<T>;
  /** SQLite's failure of one write as the store names it. */
  failure(err: unknown): unknown;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

/**
 * Group commit: the writes asked for in one turn of the event loop go into one IMMEDIATE
 * transaction (at most `max` each), in the order asked, each but a lone one inside a savepoint of
 * its own, so a write whose body throws is undone alone and fails alone while the others commit.
 * A read first commits what is waiting (flush), so it sees every write asked for before it. A
 * batch waiting out another process's lock holds back the later ones, so writes commit in order.
 * A bot minute's outbox rows, placements, marks and events, asked for together, then cost one
 * commit each instead of one per bot.
 */
export class GroupCommit {
  #queue: QueuedWrite[] = [];
  #scheduled = false;
  #waiting: Promise<void> | null = null;
  /** Transactions committed, and the writes they held (for benchmarks and tests). */
  commits = 0;
  writes = 0;

  constructor(private readonly ops: GroupOps, private readonly max = 64) {}

  add(w: QueuedWrite): void {
    this.#queue.push(w);
    if (!this.#scheduled && this.#waiting === null) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Commit what is waiting now, batch by batch (unless a batch is waiting for the lock). */
  flush(): void {
    this.#scheduled = false;
    while (this.#waiting === null && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.max);
      let settled = false;
      const attempt = (): Outcome[] => {
        try {
          const out = this.#attempt(batch);
          settled = true;
          return out;
        } catch (err) {
          if (!isBusyError(err)) settled = true;
          throw err;
        }
      };
      const done = this.ops.run(attempt).then(
        (outcomes) => outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.value) : batch[i]!.reject(o.err))),
        (err: unknown) => batch.forEach((w) => w.reject(err)),
      );
      if (!settled) {
        // another process holds the lock: later writes wait for this batch
        this.#waiting = done.then(() => {
          this.#waiting = null;
          this.flush();
        });
      }
    }
  }

  #attempt(batch: QueuedWrite[]): Outcome[] {
    const ops = this.ops;
    ops.around();
    try {
      ops.begin();
      const outcomes: Outcome[] = [];
      try {
        if (batch.length === 1) {
          outcomes.push({ ok: true, value: batch[0]!.body() });
        } else {
          for (const w of batch) outcomes.push(this.#one(w));
        }
        ops.commit();
      } catch (err) {
        ops.rollback();
        throw err;
      }
      this.commits++;
      this.writes += batch.length;
      batch.forEach((w, i) => outcomes[i]!.ok && w.committed?.());
      return outcomes;
    } finally {
      ops.around();
    }
  }

  /** One write of a batch in its own savepoint: its failure undoes its writes only (a busy lock fails the batch). */
  #one(w: QueuedWrite): Outcome {
    this.ops.savepoint();
    try {
      const value = w.body();
      this.ops.release();
      return { ok: true, value };
    } catch (err) {
      if (isBusyError(err)) throw err;
      this.ops.rollbackToSavepoint();
      this.ops.release();
      return { ok: false, err: this.ops.failure(err) };
    }
  }
}
