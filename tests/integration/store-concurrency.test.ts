import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { builtSqliteStoreUrl } from '../helpers/store-build.js';
import { tempStoreDir } from '../helpers/store-tmp.js';

const U = 'AB1234';
const WORKER = path.resolve(import.meta.dirname, '..', 'helpers', 'store-worker.mjs');
let storeUrl: string;

beforeAll(() => {
  storeUrl = builtSqliteStoreUrl();
}, 120_000);

interface Worker {
  child: ChildProcess;
  /** Resolves when the worker printed `line` (rejects if it exits first). */
  said(line: string): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

const running: Worker[] = [];
const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const w of running.splice(0)) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  for (const d of dirs.splice(0)) d.remove();
});

function dbFile(): string {
  const tmp = tempStoreDir();
  dirs.push(tmp);
  return path.join(tmp.dir, 'algo.db');
}

function startWorker(file: string, count: number, label: string, opts: { status?: string; pauseMs?: number } = {}): Worker {
  const args = [WORKER, storeUrl, file, U, String(count), label, opts.status ?? 'OPEN', String(opts.pauseMs ?? 0)];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null, stderr }));
  const said = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (out.split('\n').includes(line)) resolve();
        else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`worker ${label} exited before "${line}": ${stderr}`));
        else setTimeout(check, 5);
      };
      check();
    });
  const worker = { child, said, exit };
  running.push(worker);
  return worker;
}

async function goAll(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.said('ready')));
  for (const w of workers) w.child.stdin!.write('go\n');
}

/** The whole account, checked for the invariant every worker update keeps. */
async function checkAccount(file: string): Promise<{ seq: number; byLabel: Record<string, number> }> {
  const raw = new Database(file, { readonly: true });
  expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(raw.pragma('foreign_key_check')).toEqual([]);
  raw.close();

  const store = openSqliteStore(file);
  const meta = (await store.meta(U))!;
  const orders = await store.orders(U);
  await store.close();
  expect(meta.version).toBe(meta.seq);
  expect(orders.length).toBe(meta.seq);
  expect(new Set(orders.map((o) => o.order_id))).toEqual(new Set(Array.from({ length: meta.seq }, (_, i) => `O${i + 1}`)));
  const byLabel: Record<string, number> = {};
  for (const o of orders) byLabel[o.tag!] = (byLabel[o.tag!] ?? 0) + 1;
  return { seq: meta.seq, byLabel };
}

describe('SQLite store across processes', () => {
  it('4 processes x 50 updates on one account, opening a fresh file together: nothing lost', async () => {
    const file = dbFile();
    const workers = ['w1', 'w2', 'w3', 'w4'].map((label) => startWorker(file, 50, label, { pauseMs: 1 }));
    await goAll(workers);
    for (const w of workers) expect(await w.exit).toMatchObject({ code: 0, signal: null });

    const { seq, byLabel } = await checkAccount(file);
    expect(seq).toBe(200);
    expect(byLabel).toEqual({ w1: 50, w2: 50, w3: 50, w4: 50 });
    const store = openSqliteStore(file);
    expect((await store.load(U)).openOrders.length).toBe(200);
    await store.close();
  });

  it('kill -9 in the middle of a burst leaves a consistent account that others keep writing', async () => {
    const file = dbFile();
    const burst = startWorker(file, 1_000_000, 'burst', { status: 'COMPLETE' });
    const steady = startWorker(file, 100, 'steady', { status: 'COMPLETE', pauseMs: 1 });
    await goAll([burst, steady]);
    await burst.said('committed');
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 130));
    burst.child.kill('SIGKILL');
    expect(await burst.exit).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(await steady.exit).toMatchObject({ code: 0, signal: null });

    const after = await checkAccount(file);
    expect(after.byLabel.steady).toBe(100);
    expect(after.byLabel.burst).toBeGreaterThan(0);

    const later = startWorker(file, 20, 'later', { status: 'COMPLETE' });
    await goAll([later]);
    expect(await later.exit).toMatchObject({ code: 0, signal: null });
    const final = await checkAccount(file);
    expect(final.seq).toBe(after.seq + 20);
    expect(final.byLabel).toEqual({ ...after.byLabel, later: 20 });
  });
});
