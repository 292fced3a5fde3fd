// The live bar log (src/core/bot/bar-log.ts) over a whole day: every minute, one closed minute of
// TOKENS instruments appended to the real SQLite store, as BotHost.onMinutes does before stepping
// the bots. Prints the append's per-minute time (p50, p99, max, and at the day's last minute) and
// the file's size, beside the baseline of the same candles written as one raw better-sqlite3 row
// per minute (one IMMEDIATE transaction each).
// Run after `npm run build`:  node bench/bar-log.mjs [tokens]   (500 by default)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { openSqliteStore } = await import(dist('core/store/sqlite/index.js'));
const { BarLog } = await import(dist('core/bot/bar-log.js'));
const { parseIst } = await import(dist('core/ist.js'));
const Database = createRequire(import.meta.url)('better-sqlite3');

const TOKENS = Number(process.argv[2] ?? 500);
const MINUTES = 375;
const start = parseIst('2026-11-25 09:15:00');
const minuteOf = (m) => {
  const t = start + m * 60_000;
  return { t, candles: Array.from({ length: TOKENS }, (_, k) => ({ token: 100_000 + k, candle: { t, open: 150_000 + k, high: 150_500 + k, low: 149_500 + k, close: 150_100 + k + m, volume: 1_000 + m } })) };
};
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const row = (name, ms, bytes) => {
  const s = [...ms].sort((a, b) => a - b);
  console.log(`${name.padEnd(28)} ${pct(s, 50).toFixed(2).padStart(7)} ${pct(s, 99).toFixed(2).padStart(7)} ${s.at(-1).toFixed(2).padStart(7)} ${ms.at(-1).toFixed(2).padStart(9)}   ${(bytes / 2 ** 20).toFixed(1).padStart(6)} MB`);
};
const size = (file) => ['', '-wal'].reduce((n, x) => n + (fs.existsSync(file + x) ? fs.statSync(file + x).size : 0), 0);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bench-barlog-'));
try {
  // baseline: the minute's candles as one JSON row, one transaction per minute
  const rawFile = path.join(tmp, 'raw.db');
  const db = new Database(rawFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE m (t INTEGER PRIMARY KEY, doc TEXT NOT NULL)');
  const ins = db.prepare('INSERT INTO m (t, doc) VALUES (?, ?)');
  const one = db.transaction((t, doc) => ins.run(t, doc)).immediate;
  const raw = [];
  for (let m = 0; m < MINUTES; m++) {
    const { t, candles } = minuteOf(m);
    const t0 = performance.now();
    one(t, JSON.stringify(candles));
    raw.push(performance.now() - t0);
  }
  db.close();

  const file = path.join(tmp, 'algo.db');
  const store = openSqliteStore(file);
  const log = new BarLog(store.backtests, 'sandbox');
  const appends = [];
  for (let m = 0; m < MINUTES; m++) {
    const { t, candles } = minuteOf(m);
    const t0 = performance.now();
    await log.append(t, candles);
    appends.push(performance.now() - t0);
  }
  const bytes = size(file);
  await store.close();

  console.log(`bar log: ${TOKENS} instruments x ${MINUTES} minutes, SQLite store; node ${process.version}, ${os.cpus().length} cpus, load ${os.loadavg()[0].toFixed(2)}`);
  console.log('case                         p50 ms  p99 ms  max ms  15:29 ms   file+WAL');
  row('baseline: raw row a minute', raw, size(rawFile));
  row('BarLog.append', appends, bytes);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
