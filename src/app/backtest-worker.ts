import { parentPort, workerData } from 'node:worker_threads';
import { serveBacktest, type WorkerPort } from './backtest-thread.js';

/** The backtest worker thread (started by src/app/backtest-thread.ts from the built code). */
if (parentPort) serveBacktest(parentPort as unknown as WorkerPort, workerData);
