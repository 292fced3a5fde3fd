import { createRequire } from 'node:module';
import type { Worker as WorkerThread } from 'node:worker_threads';

/**
 * Checkpoints in a worker thread, on a connection of its own, instead of inside whichever commit
 * crosses the WAL's autocheckpoint mark on the main thread. Such a checkpoint (two fsyncs, and
 * copying back thousands of pages) took 100 to 195 ms of a bot minute's time, some 13 times over a
 * busy day (bench/bots.mjs). A PASSIVE checkpoint waits for no reader or writer, so the main
 * thread's commits go on meanwhile; once it has copied back the whole WAL, the next write starts the
 * WAL over (so the main connection's autocheckpoint mark, kept as the fallback, is not reached while
 * the worker keeps up). For processes that run for long (the server, the dashboard, bot runners);
 * a one-shot command keeps the inline checkpoints (a thread would cost more than it saves).
 */

export interface CheckpointStats {
  /** Checkpoints that copied back at least one page, and the WAL frames they copied. */
  checkpoints: number;
  frames: number;
  /** Why the worker stopped early (it could not open the file, say); the inline checkpoints go on. */
  failed: string | null;
}

export interface Checkpointer {
  stats(): CheckpointStats;
  /** A last checkpoint, then the worker's connection closed (the WAL file goes when the last connection does). */
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  /** better-sqlite3's resolved path (the worker loads the same driver). */
  driver: string;
  /** The main connection's synchronous setting, which a checkpoint's syncs follow. */
  synchronous: 'NORMAL' | 'FULL';
  /** How often it looks (default 200 ms). */
  everyMs?: number;
  /** Called once if the worker stops early (the main connection then checkpoints inline again). */
  onFailed?: () => void;
}

// Plain JavaScript evaluated in the worker, so it starts from the TypeScript sources too.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
db.pragma('synchronous = ' + workerData.synchronous);
// the frames of the WAL, and how many of them were copied back, at the last look: a WAL shorter
// than before was started over, so its frames are all new
let log = 0, done = 0;
const once = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (!r || r.busy !== 0 || r.log < 0) return;
    const before = r.log < log ? 0 : done;
    log = r.log;
    done = r.checkpointed;
    if (done > before) parentPort.postMessage({ frames: done - before });
  } catch (err) {
    if (!(err && err.code === 'SQLITE_BUSY')) throw err;
  }
};
const timer = setInterval(once, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  once();
  db.close();
  parentPort.close();
});
`;

export function startCheckpointer(file: string, opts: CheckpointerOptions): Checkpointer {
  const stats: CheckpointStats = { checkpoints: 0, frames: 0, failed: null };
  // loaded here, not with the module: a one-shot command opens the store without ever starting a thread
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as { Worker: typeof WorkerThread };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver: opts.driver, synchronous: opts.synchronous, everyMs: opts.everyMs ?? 200 } });
  worker.unref();
  worker.on('message', (m: { frames: number }) => {
    stats.checkpoints++;
    stats.frames += m.frames;
  });
  worker.on('error', (err) => {
    stats.failed = err.message;
    opts.onFailed?.();
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | null = null;
  return {
    stats: () => ({ ...stats }),
    stop() {
      stopping ??= (async () => {
        if (stats.failed === null) worker.postMessage('stop');
        const timer = setTimeout(() => void worker.terminate(), 5_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
