import { MessageChannel, Worker } from 'node:worker_threads';
import type { Candle, Instrument } from '../core/market/types.js';
import type { BacktestProgress, BacktestResult, BacktestSpec, BarFeed } from '../core/backtest/types.js';
import { AlgoError, UsageError } from '../core/errors.js';

/**
 * A backtest in a worker thread (node:worker_threads), so a server or dashboard stays responsive:
 * the main thread reads the feed and sends it a trading day per message, at most AHEAD days
 * ahead of what the worker has replayed; the worker runs the runner and sends progress and the
 * result back. From the TypeScript sources (tests under vitest, which cannot start a worker on a
 * .ts file) the same protocol runs over a MessageChannel in this thread.
 */

const AHEAD = 4;

type Bars = Array<{ token: number; candle: Candle }>;
export type ToWorker = { type: 'batch'; bars: Bars } | { type: 'end' } | { type: 'abort' };
export type FromWorker =
  | { type: 'want' }
  | { type: 'progress'; progress: BacktestProgress }
  | { type: 'result'; result: BacktestResult }
  | { type: 'error'; message: string; hint?: string; usage: boolean };

export interface WorkerStart {
  spec: BacktestSpec;
  instruments: Instrument[];
  runId: string;
  ranAt: number;
}

export interface WorkerPort {
  postMessage(m: unknown): void;
  on(event: 'message', fn: (m: unknown) => void): unknown;
  close?(): void;
}

/** The worker's side: a feed fed by messages, the runner over it. */
export function serveBacktest(port: WorkerPort, start: WorkerStart): void {
  const queue: Bars[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const abort = new AbortController();
  port.on('message', (raw) => {
    const m = raw as ToWorker;
    if (m.type === 'batch') queue.push(m.bars);
    else if (m.type === 'end') ended = true;
    else abort.abort(new AlgoError('the backtest was stopped'));
    wake?.();
  });
  const feed: BarFeed = {
    instruments: start.instruments,
    async *batches() {
      for (;;) {
        const next = queue.shift();
        if (next) {
          port.postMessage({ type: 'want' } satisfies FromWorker);
          yield next;
          continue;
        }
        if (ended || abort.signal.aborted) return;
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
    },
  };
  void (async () => {
    try {
      const { runBacktest } = await import('../core/backtest/run.js');
      const result = await runBacktest(start.spec, feed, {
        signal: abort.signal,
        onProgress: (progress) => port.postMessage({ type: 'progress', progress } satisfies FromWorker),
        runId: () => start.runId,
        now: () => start.ranAt,
      });
      port.postMessage({ type: 'result', result } satisfies FromWorker);
    } catch (err) {
      const e = err as AlgoError;
      port.postMessage({ type: 'error', message: e.message ?? String(err), ...(e.hint ? { hint: e.hint } : {}), usage: err instanceof UsageError } satisfies FromWorker);
    } finally {
      port.close?.();
    }
  })();
}

/** Whether this module runs from built JavaScript (a worker can be started) or from the .ts sources. */
const builtWorker = (): URL | null => (import.meta.url.endsWith('.js') ? new URL('./backtest-worker.js', import.meta.url) : null);

export interface ThreadOptions {
  onProgress?: (p: BacktestProgress) => void;
  signal?: AbortSignal;
}

/** Run the spec over the feed in a worker thread; resolves with the result (run id and ran_at given). */
export async function runInThread(start: Omit<WorkerStart, 'instruments'>, feed: BarFeed, opts: ThreadOptions = {}): Promise<BacktestResult & { threaded: boolean }> {
  const data: WorkerStart = { ...start, instruments: feed.instruments };
  const url = builtWorker();
  let port: WorkerPort;
  let worker: Worker | null = null;
  if (url) {
    worker = new Worker(url, { workerData: data });
    port = worker as unknown as WorkerPort;
  } else {
    const channel = new MessageChannel();
    serveBacktest(channel.port2 as unknown as WorkerPort, data);
    port = channel.port1 as unknown as WorkerPort;
  }
  try {
    return { ...(await drive(port, feed, opts, worker)), threaded: worker !== null };
  } finally {
    if (worker) await worker.terminate();
    else port.close?.();
  }
}

async function drive(port: WorkerPort, feed: BarFeed, opts: ThreadOptions, worker: Worker | null): Promise<BacktestResult> {
  let credit = AHEAD;
  let more: (() => void) | null = null;
  let settled = false;
  const outcome = new Promise<BacktestResult>((resolve, reject) => {
    port.on('message', (raw) => {
      const m = raw as FromWorker;
      if (m.type === 'want') {
        credit++;
        more?.();
      } else if (m.type === 'progress') opts.onProgress?.(m.progress);
      else if (m.type === 'result') resolve(m.result);
      else reject(m.usage ? new UsageError(m.message, m.hint) : new AlgoError(m.message, m.hint ? { hint: m.hint } : {}));
    });
    worker?.on('error', reject);
    worker?.on('exit', (code) => reject(new AlgoError(`the backtest worker stopped (exit code ${code})`)));
  }).finally(() => {
    settled = true;
    more?.();
  });
  const send = (async () => {
    const onAbort = () => port.postMessage({ type: 'abort' } satisfies ToWorker);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    for await (const bars of feed.batches()) {
      while (credit <= 0 && !settled) await new Promise<void>((r) => (more = r));
      more = null;
      if (settled) return;
      credit--;
      port.postMessage({ type: 'batch', bars } satisfies ToWorker);
    }
    port.postMessage({ type: 'end' } satisfies ToWorker);
  })();
  // A feed that fails (Kite refused, no historical data) stops the run with its own error.
  const failed = send.then(
    () => new Promise<never>(() => undefined),
    (err: unknown) => {
      port.postMessage({ type: 'abort' } satisfies ToWorker);
      throw err;
    },
  );
  return Promise.race([outcome, failed]);
}
