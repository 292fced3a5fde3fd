// Paper bots at scale (issue 14): USERS x BOTS_PER_USER bots (5-minute built-in strategies, 1-3
// sandbox stocks each) stepped minute by minute over one sandbox day, in one process, on the real
// SQLite store: each minute's work is every bot's BotSession.step (the Runner, its outbox writes,
// the fenced placements into the owner's paper account, the events), timed per minute.
// Run after `npm run build`:  node --expose-gc bench/bots.mjs [users] [bots-per-user] [--no-backtest | --live-only] [--warm] [--inline-checkpoints]
// (200 x 10 by default; --expose-gc lets the memory figure be taken after a collection)
// Cases, all in one run so the figures can be read on a noisy machine (per-minute CPU beside wall
// time: on a loaded machine the wall time includes waiting for a core):
//   replay   the same bots with execution off (BotSession.replay: the Runner only, nothing written)
//   live     the bots trading, stepped as BotHost.onMinutes steps them: in groups of whole users
//            (src/core/bot/groups.ts) whose writes the store commits together (sqlite/group.ts),
//            the driver yielding to the event loop after each group
//   live+bt  the same while a backtest runs in a worker thread (src/app/backtest-thread.ts)
// and the baseline rate of raw better-sqlite3, one JSON row per IMMEDIATE transaction (WAL,
// synchronous=NORMAL).
// Event-loop lag is perf_hooks.monitorEventLoopDelay over the stepped minutes. GC is the main
// thread's collections (PerformanceObserver 'gc' entries) that started inside a minute. CPU is
// process.cpuUsage (the whole process, a worker included) over the case's wall time; "per real
// day" spreads the day's CPU over the 375 minutes a real session lasts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { constants as perfConstants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as yieldLoop } from 'node:timers/promises';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { openSqliteStore } = await import(dist('core/store/sqlite/index.js'));
const { PaperService } = await import(dist('core/paper/service.js'));
const { ManualClock } = await import(dist('core/clock.js'));
const { parseIst } = await import(dist('core/ist.js'));
const { BotSession } = await import(dist('core/bot/session.js'));
const { fillsOf } = await import(dist('core/bot/spec.js'));
const { stepGroups } = await import(dist('core/bot/groups.js'));
const { sandboxFeed } = await import(dist('core/backtest/feed-sandbox.js'));
const { tradingDates } = await import(dist('core/backtest/feed-days.js'));
const { runInThread } = await import(dist('app/backtest-thread.js'));
const { createMarket } = await import(dist('sandbox/market.js'));
const { SandboxMarketData } = await import(dist('sandbox/market-data.js'));
const Database = createRequire(import.meta.url)('better-sqlite3');

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const USERS = Number(args[0] ?? 200);
const PER_USER = Number(args[1] ?? 10);
const LIVE_ONLY = process.argv.includes('--live-only'); // for node --cpu-prof: the live case alone
const WITH_BACKTEST = !LIVE_ONLY && !process.argv.includes('--no-backtest');
// --warm: each session first replays the trading days of the week before (execution off, untimed),
// so its indicators are warm at 09:15 as if it had history (a 5m EMA 21 settles in 145 bars, an RSI
// 14 in 202, VWAP and ORB want a session); without it a bot starts cold, as BotSession does today
const WARM = process.argv.includes('--warm');
// --inline-checkpoints: the WAL checkpointed inside the commit that crosses its mark, as a one-shot
// command's store does, instead of in the worker thread of a long-running process's store
const INLINE = process.argv.includes('--inline-checkpoints');
const PREVIOUS = tradingDates('2026-11-18', '2026-11-24'); // 11-24 is a holiday
const DATE = '2026-11-25'; // a Wednesday
const DAY_MS = 86_400_000;
const POOL = 20; // the sandbox NSE stocks the bots pick from
const STRATEGIES = ['sma-cross', 'ema-cross', 'rsi-reversion', 'orb', 'vwap-reversion', 'supertrend'];

// ---- the day's minutes, computed once (the feed's cost is not the bots')

const sandbox = new SandboxMarketData(createMarket({}), new ManualClock(parseIst(`${DATE} 18:00:00`)));
const all = (await sandbox.instruments()).filter((i) => i.exchange === 'NSE' && i.instrument_type === 'EQ').slice(0, POOL);
const feed = await sandboxFeed(sandbox, all.map((i) => `NSE:${i.tradingsymbol}`), DATE, DATE);
/** The pool's minutes from `from` to `to`: [t, Map token -> {token, candle}] in time order. */
async function minutesOf(from, to = from) {
  const out = [];
  const f = await sandboxFeed(sandbox, all.map((i) => `NSE:${i.tradingsymbol}`), from, to);
  for await (const batch of f.batches()) {
    for (const item of batch) {
      if (out.at(-1)?.[0] !== item.candle.t) out.push([item.candle.t, new Map()]);
      out.at(-1)[1].set(item.token, item);
    }
  }
  return out;
}
const minutes = await minutesOf(DATE);
const before = WARM ? await minutesOf(PREVIOUS[0], PREVIOUS.at(-1)) : [];

/** Bot k's config: a strategy on 5-minute bars, 1 to 3 stocks, MIS, a 1% stop. */
function configOf(k) {
  const n = 1 + (k % 3);
  const symbols = Array.from({ length: n }, (_, j) => feed.instruments[(k * 7 + j * 3) % feed.instruments.length]).map((i) => `NSE:${i.tradingsymbol}`);
  return {
    strategy: { kind: 'builtin', id: STRATEGIES[k % STRATEGIES.length] },
    params: { timeframe: '5m', allowShort: k % 2 === 0 },
    symbols: [...new Set(symbols)],
    sizing: { quantity: 1 + (k % 5) },
    product: 'MIS',
    exits: { stopLoss: { percent: 1 } },
    entryWindow: { from: '09:20', until: '15:00' },
    risk: {},
  };
}

const userOf = (u) => `U${String(u).padStart(4, '0')}`;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const mb = (bytes) => Math.round(bytes / 2 ** 20);

/** A fresh SQLite store with every user's bots created and leased, and a session per bot. */
async function desk(dir) {
  const store = openSqliteStore(path.join(dir, 'algo.db'), { checkpoint: INLINE ? 'inline' : 'background' });
  const clock = new ManualClock(parseIst(`${DATE} 09:00:00`));
  const service = new PaperService({ store, market: new SandboxMarketData(createMarket({}), clock), clock, onError: (e) => { throw e; } });
  const fills = fillsOf(service.config);
  const users = [];
  for (let u = 0; u < USERS; u++) {
    const uid = userOf(u);
    const sessions = [];
    for (let b = 0; b < PER_USER; b++) {
      const bot = await store.bots.create(uid, { name: `bot${b}`, config: configOf(u * PER_USER + b), now: clock.now() });
      const lease = await store.bots.acquireLease(uid, bot.id, 'bench', clock.now(), DAY_MS);
      const fresh = await store.bots.get(uid, bot.id);
      const instruments = fresh.config.symbols.map((s) => feed.instruments.find((i) => `NSE:${i.tradingsymbol}` === s));
      const session = new BotSession({ bot: fresh, instruments, fills, bots: store.bots, token: lease.token, place: (req, price, fence) => service.placeFenced(uid, req, price, fence), now: () => clock.now(), date: DATE });
      const tokens = instruments.map((i) => i.instrument_token);
      session.replay(before.map(([t, items]) => ({ t, candles: tokens.map((k) => items.get(k)).filter(Boolean) })));
      sessions.push({ session, strategy: fresh.config.strategy.id, tokens: instruments.map((i) => i.instrument_token).join(',') });
    }
    users.push({ uid, sessions });
  }
  return { store, clock, service, users };
}

/** The main thread's collections: [start, duration ms, major?] as perf_hooks reports them. */
const gcs = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push([e.startTime, e.duration, e.detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR]);
}).observe({ entryTypes: ['gc'] });
/** GC ms (all, major only) of the collections that started in [t0, t1). */
function gcIn(t0, t1) {
  let all = 0, major = 0;
  for (const [s, d, m] of gcs) if (s >= t0 && s < t1) { all += d; if (m) major += d; }
  return { all, major };
}

/** Step every bot through the day; execute=false replays (execution off). Per-minute wall ms, lag, CPU. */
async function runDay(d, execute) {
  const perMinute = [];
  const cpuPerMinute = [];
  const log = [];
  let placed = 0, events = 0, stopped = 0;
  const byStrategy = {};
  const lag = monitorEventLoopDelay({ resolution: 5 });
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const groups = stepGroups(d.users.flatMap((x) => x.sessions.map((s) => ({ ...s, uid: x.uid }))), (s) => s.uid);
  lag.enable();
  for (const [t, items] of minutes) {
    d.clock.set(t + 60_000);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const placed0 = placed;
    const k0 = d.store.commitStats().commits;
    // the minute's candles of each set of stocks, made once per set (many bots share one)
    const bySet = new Map();
    const candlesOf = (set) => bySet.get(set) ?? bySet.set(set, set.split(',').map((k) => items.get(Number(k))).filter(Boolean)).get(set);
    for (const sessions of groups) {
      if (!execute) {
        for (const { session, tokens } of sessions) session.replay([{ t, candles: candlesOf(tokens) }]);
        await yieldLoop();
        continue;
      }
      // bots step in groups of whole users, as BotHost.onMinutes steps them (their writes share commits)
      await Promise.all(sessions.map(async ({ session, strategy, tokens }) => {
        const r = await session.step(t, candlesOf(tokens));
        placed += r.placed.length;
        byStrategy[strategy] = (byStrategy[strategy] ?? 0) + r.placed.length;
        events += r.events.length;
      }));
      await yieldLoop();
    }
    const c1 = process.cpuUsage(c0);
    const t1 = performance.now();
    perMinute.push(t1 - t0);
    cpuPerMinute.push((c1.user + c1.system) / 1000);
    log.push({ t, t0, t1, wall: perMinute.at(-1), cpu: cpuPerMinute.at(-1), placed: placed - placed0, commits: d.store.commitStats().commits - k0 });
    await yieldLoop();
  }
  lag.disable();
  const wallMs = performance.now() - wall0;
  const c = process.cpuUsage(cpu0);
  for (const { sessions } of d.users) for (const { session } of sessions) if (session.stopped) stopped++;
  perMinute.sort((a, b) => a - b);
  cpuPerMinute.sort((a, b) => a - b);
  await new Promise((r) => setTimeout(r, 50)); // the observer is told of the last collections
  for (const m of log) m.gc = gcIn(m.t0, m.t1);
  const gc = gcIn(wall0, wall0 + wallMs);
  const slowest = log.sort((a, b) => b.cpu - a.cpu).slice(0, 5);
  return { perMinute, cpuPerMinute, slowest, byStrategy, wallMs, cpuMs: (c.user + c.system) / 1000, lag, gc, placed, events, stopped };
}

/** Raw one-row SQLite commits per second on this disk (the floor of any store commit). */
function sqliteRate(dir, n = 5000) {
  const db = new Database(path.join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)');
  const ins = db.prepare('INSERT INTO t (doc) VALUES (?)');
  const one = db.transaction((doc) => ins.run(doc)).immediate;
  const doc = JSON.stringify({ bot_id: 'b0000000', kind: 'fill', message: 'BUY 1 NSE:INFY at ₹1,500.00 (signal)' });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) one(doc);
  const s = (performance.now() - t0) / 1000;
  db.close();
  return n / s;
}

/** A long backtest (ema-cross, 1 stock, 3 months of minutes) in a worker thread, as the app runs one. */
async function backtestInWorker(stop) {
  const from = '2026-06-01', to = '2026-08-31';
  const market = new SandboxMarketData(createMarket({}), new ManualClock(parseIst(`${to} 18:00:00`)));
  const btFeed = await sandboxFeed(market, ['NSE:INFY'], from, to);
  const spec = { strategy: { kind: 'builtin', id: 'ema-cross' }, params: {}, symbols: ['NSE:INFY'], from, to, sizing: { quantity: 10 }, product: 'MIS', exits: {}, capital: 10_00_000_00, fills: { slippageBps: 5, marketProtectionPct: -1, volumeSharePct: 10 } };
  const t0 = performance.now();
  let rounds = 0;
  // again and again until the bots' day is over, so it overlaps the whole case
  while (!stop.signal.aborted) {
    const round = new AbortController();
    const onStop = () => round.abort();
    stop.signal.addEventListener('abort', onStop, { once: true });
    const r = await runInThread({ spec, runId: 'bench', ranAt: 0 }, btFeed, { signal: round.signal }).catch((e) => (round.signal.aborted ? null : Promise.reject(e)));
    stop.signal.removeEventListener('abort', onStop);
    if (!r) break;
    if (!r.threaded) throw new Error('the backtest did not run in a worker thread');
    rounds++;
  }
  return { rounds, ms: performance.now() - t0 };
}

function row(name, r) {
  const f = (x, w = 6, d = 1) => x.toFixed(d).padStart(w);
  const q = (xs) => `${f(pct(xs, 50))} ${f(pct(xs, 95))} ${f(pct(xs, 99))} ${f(xs.at(-1))}`;
  const lag = `${f(r.lag.percentile(50) / 1e6, 5, 0)} ${f(r.lag.percentile(99) / 1e6, 5, 0)} ${f(r.lag.max / 1e6, 5, 0)}`;
  const share = `${f((r.cpuMs / r.wallMs) * 100, 4, 0)}% ${((r.cpuMs / (minutes.length * 60_000)) * 100).toFixed(2).padStart(6)}%`;
  console.log(`${name.padEnd(8)} ${q(r.perMinute)}  ${q(r.cpuPerMinute)}  ${lag}  ${share}`);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bench-bots-'));
try {
  const rate = sqliteRate(tmp);
  // one desk at a time, each closed before the next is made, so the memory figure is one day's
  // (each in a function: a desk held in the module's own scope would stay reachable after its case)
  const rReplay = LIVE_ONLY ? null : await (async () => {
    const replay = await desk(fs.mkdtempSync(path.join(tmp, 'replay-')));
    const r = await runDay(replay, false);
    await replay.store.close();
    return r;
  })();
  const live = await (async () => {
    const t0 = performance.now();
    const d = await desk(fs.mkdtempSync(path.join(tmp, 'live-')));
    const setupS = (performance.now() - t0) / 1000;
    const c0 = d.store.commitStats();
    const r = await runDay(d, true);
    const c1 = d.store.commitStats();
    globalThis.gc?.();
    const mem = process.memoryUsage();
    const fills = (await Promise.all(d.users.map((u) => d.store.orders(u.uid)))).reduce((n, os) => n + os.length, 0);
    const checkpoints = d.store.checkpointStats();
    await d.store.close();
    const slowCommits = c1.slowCommits - c0.slowCommits;
    const longestCommitMs = c1.longestCommitMs; // setup included
    return { r, setupS, mem, fills, writes: c1.writes - c0.writes, commits: c1.commits - c0.commits, commitMs: c1.commitMs - c0.commitMs, slowCommits, longestCommitMs, checkpoints };
  })();
  const { r: rLive, setupS, mem, fills, writes, commits, commitMs, slowCommits, longestCommitMs, checkpoints } = live;
  const [rBt, bt] = !WITH_BACKTEST ? [null, null] : await (async () => {
    const withBt = await desk(fs.mkdtempSync(path.join(tmp, 'bt-')));
    const stop = new AbortController();
    const running = backtestInWorker(stop);
    const r = await runDay(withBt, true);
    stop.abort();
    const b = await running;
    await withBt.store.close();
    return [r, b];
  })();

  console.log(`bots: ${USERS} users x ${PER_USER} bots = ${USERS * PER_USER} bots (5m strategies: ${STRATEGIES.join(', ')}), ${POOL} sandbox stocks, ${DATE}, ${minutes.length} minutes, SQLite store`);
  console.log(`  setup: ${USERS * PER_USER} bots created, leased, opened${WARM ? ` and warmed on ${PREVIOUS.join(', ')}` : ' (cold: no history before the day)'} in ${setupS.toFixed(1)} s; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  console.log(`  raw SQLite: ${rate.toFixed(0)} one-row transactions/s on this disk`);
  console.log('');
  console.log('case     per-minute wall ms           per-minute CPU ms            event-loop lag ms   CPU of one core');
  console.log('            p50    p95    p99    max     p50    p95    p99    max    p50   p99   max    run  real day');
  if (rReplay) row('replay', rReplay);
  row('live', rLive);
  if (rBt) row('live+bt', rBt);
  console.log('');
  if (rReplay) console.log('  replay:  execution off (the Runner only, nothing written or placed)');
  console.log(`  live:    ${rLive.placed} orders placed into the accounts, ${rLive.events} events, ${rLive.stopped} bots stopped; ${fills} account orders in the store`);
  console.log(`           orders by strategy: ${STRATEGIES.map((id) => `${id} ${rLive.byStrategy[id] ?? 0}`).join(', ')}`);
  if (rBt) console.log(`  live+bt: ${rBt.placed} orders; a backtest (INFY, 3 months of minutes) in a worker thread finished ${bt.rounds} times meanwhile (its CPU is in the CPU columns)`);
  const ist = (t) => new Date(t + 330 * 60_000).toISOString().slice(11, 16);
  const slow = (r) => r.slowest.map((m) => `${ist(m.t)} ${m.cpu.toFixed(0)} ms CPU (${m.placed} orders${m.commits ? `, ${m.commits} commits` : ''}, GC ${m.gc.all.toFixed(0)} ms)`).join(', ');
  console.log(`  most CPU per minute, live: ${slow(rLive)}${rReplay ? `; replay: ${slow(rReplay)}` : ''}`);
  const gcLine = (r) => `${r.gc.all.toFixed(0)} ms (major ${r.gc.major.toFixed(0)} ms)`;
  console.log(`  main-thread GC over the day: live ${gcLine(rLive)}${rReplay ? `, replay ${gcLine(rReplay)}` : ''}${rBt ? `, live+bt ${gcLine(rBt)}` : ''}`);
  console.log(`  live day's store writes (outbox rows, placements, marks, events): ${writes} in ${commits} commits (${(writes / commits).toFixed(1)} a commit: bots step a minute in groups of whole users, src/core/bot/groups.ts)`);
  const ms = (x) => x.toFixed(0);
  console.log(`  main thread's COMMIT statements over the live day: ${ms(commitMs)} ms in all, ${slowCommits} over 10 ms; the longest, setup included, ${ms(longestCommitMs)} ms`);
  console.log(checkpoints
    ? `  WAL checkpoints (setup and day): ${checkpoints.checkpoints} in the store's worker thread, ${checkpoints.frames} frames copied back${checkpoints.failed ? `; the worker FAILED: ${checkpoints.failed}` : ''}`
    : '  WAL checkpoints: inline, inside the commit that crosses the mark (--inline-checkpoints)');
  console.log(`  memory after the live day (${USERS * PER_USER} sessions open${globalThis.gc ? ', after a gc' : ''}): RSS ${mb(mem.rss)} MB, heap used ${mb(mem.heapUsed)} MB of ${mb(mem.heapTotal)} MB`);
  console.log(`  p99 aim, at most 250 ms per minute with the store commits: live ${pct(rLive.perMinute, 99) <= 250 ? 'meets it' : 'MISSES it'} (wall), ${pct(rLive.cpuPerMinute, 99) <= 250 ? 'meets it' : 'MISSES it'} (CPU)`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
