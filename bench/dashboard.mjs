#!/usr/bin/env node
/**
 * Dashboard benchmark (run after `npm run build`): node bench/dashboard.mjs [--quick]
 *
 * Options: --quick (fewer runs, shorter), --only=1,2,3 (sections), --minutes N (section 3).
 *
 *  1. Launch to first frame: `algo --sandbox` in a pseudo-terminal (util-linux `script`), time until
 *     the first frame and until the first full frame (user id and holdings on screen), against
 *     `node -e 0` measured the same way in the same run.
 *  2. CPU share: the dashboard watching 50 instruments that tick 4 times a second (a ticker on the
 *     sandbox's market at 250 ms), as a share of one core, and the frames it wrote per second.
 *  3. Memory: an hour of those ticks (720,000 quotes) pushed through the controller and the Ink
 *     screen in-process with a pinned clock advanced 250 ms per round; heap after GC every 15
 *     simulated minutes.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);
const mainJs = dist('cli/main.js');
if (!fs.existsSync(mainJs)) {
  console.error('bench: build first (npm run build)');
  process.exit(1);
}
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const want = (n) => !onlyArg || onlyArg.slice(7).split(',').includes(String(n));
const START = '2026-11-25T10:00:00+05:30';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;

// ---------- set-up: a data folder with a signed-in sandbox profile and a 50-symbol watchlist
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bench-dash-'));
const baseEnv = { ...process.env, ALGO_DATA_DIR: dataDir, ALGO_CLOCK: START, NO_COLOR: '1' };
for (const k of Object.keys(baseEnv)) if (/^(KITE_|ALGO_PROFILE|ALGO_SANDBOX|VITEST)/.test(k)) delete baseEnv[k];
const login = spawnSync(process.execPath, [mainJs, 'login', '--sandbox', '--user', 'SB0001', '--profile', 'demo'], { env: baseEnv, encoding: 'utf8' });
if (login.status !== 0) throw new Error(`login failed: ${login.stderr}`);
const { createMarket } = await import(dist('sandbox/market.js'));
const market = createMarket();
const fifty = market.instruments().filter((i) => !i.isIndex).slice(0, 50);
fs.mkdirSync(path.join(dataDir, 'watchlists'), { recursive: true });
fs.writeFileSync(path.join(dataDir, 'watchlists', 'demo.json'), JSON.stringify({ symbols: fifty.map((i) => `${i.exchange}:${i.tradingsymbol}`) }));

/** Run argv in a 120x40 pseudo-terminal; resolves the child and a function returning its output so far. */
function inPty(argv, env) {
  const cmd = `stty rows 40 cols 120; exec ${argv.map((a) => `'${a}'`).join(' ')}`;
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const waiters = [];
  child.stdout.setEncoding('utf8').on('data', (d) => {
    out += d;
    for (const w of waiters.splice(0)) w();
  });
  const until = (test, timeoutMs = 20_000) =>
    new Promise((resolve, reject) => {
      const t0 = Date.now();
      const check = () => {
        if (test(out)) return resolve(performance.now());
        if (Date.now() - t0 > timeoutMs) return reject(new Error(`timed out; output so far:\n${out.slice(-2000)}`));
        waiters.push(check);
        setTimeout(check, 200).unref();
      };
      check();
    });
  const done = new Promise((r) => child.on('close', (code) => r(code)));
  return { child, output: () => out, until, done };
}

if (want(1)) {
// ---------- 1. launch to first frame
async function launchOnce() {
  const t0 = performance.now();
  const p = inPty([process.execPath, mainJs, '--sandbox', '--profile', 'demo'], baseEnv);
  const first = await p.until((o) => o.includes('1 Portfolio'));
  const full = await p.until((o) => o.includes('SB0001') && /Holdings \(\d+\)/.test(o) && !/Holdings \(0\)/.test(o.slice(o.lastIndexOf('SB0001'))));
  p.child.stdin.write('q');
  const code = await p.done;
  if (code !== 0) throw new Error(`dashboard exited ${code}`);
  return { first: first - t0, full: full - t0 };
}
async function baselineOnce() {
  const t0 = performance.now();
  const p = inPty([process.execPath, '-e', 'process.stdout.write("ready")'], baseEnv);
  await p.until((o) => o.includes('ready'));
  const t = performance.now() - t0;
  await p.done;
  return t;
}
const runs = quick ? 3 : 5;
const launches = [];
const baselines = [];
for (let i = 0; i < runs; i++) {
  baselines.push(await baselineOnce());
  launches.push(await launchOnce());
}
const base = median(baselines);
const first = median(launches.map((l) => l.first));
const full = median(launches.map((l) => l.full));
console.log('1. launch (median of %d, in a 120x40 pty)', runs);
console.log(`   node -e 0 baseline       ${ms(base)}`);
console.log(`   first frame              ${ms(first)}  (${(first / base).toFixed(1)}x baseline)`);
console.log(`   first full frame         ${ms(full)}  (${(full / base).toFixed(1)}x baseline; aim < 700 ms)`);

}

if (want(2)) {
// ---------- 2. CPU share while 50 instruments tick 4 times a second
const { startSandbox } = await import(dist('sandbox/server.js'));
const { attachTicker } = await import(dist('sandbox/ticker/index.js'));
const { OffsetClock } = await import(dist('core/clock.js'));
const runClock = new OffsetClock(Date.parse(START));
const sandbox = await startSandbox({ port: 0, dataDir, clock: runClock, rateLimits: false });
const tickServer = http.createServer((_q, r) => r.writeHead(404).end());
await new Promise((r) => tickServer.listen(0, '127.0.0.1', r));
// The sandbox's prices move once a second; nudge every quarter-second tick so each one changes the screen.
const m = sandbox.market;
const moving = {
  alwaysOpen: m.alwaysOpen,
  instruments: () => m.instruments(),
  byToken: (t) => m.byToken(t),
  bySymbol: (e, s) => m.bySymbol(e, s),
  candles: (...a) => m.candles(...a),
  snapshot(token, t) {
    const snap = m.snapshot(token, t);
    const step = m.byToken(token)?.tick_size ?? 5;
    return { ...snap, last_price: snap.last_price + ((Math.floor(t / 250) * 7 + token) % 5) * step };
  },
};
const fastTicker = attachTicker(tickServer, { market: moving, clock: runClock, verifyAccessToken: () => 'SB0001', tickIntervalMs: 250 });
const cpuEnv = { ...baseEnv, ALGO_CLOCK_RUN: '1', ALGO_SANDBOX: '1', KITE_API_ROOT: sandbox.apiRoot, KITE_TICKER_URL: `ws://127.0.0.1:${tickServer.address().port}/` };
const dash = inPty([process.execPath, mainJs, '--profile', 'demo'], cpuEnv);
await dash.until((o) => o.includes('● live') && o.includes('SB0001'));
dash.child.stdin.write('3'); // the watchlist: 50 rows of prices and sparklines
await new Promise((r) => setTimeout(r, 3000));

function descendants(pid) {
  const kids = (() => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  })();
  return [pid, ...kids.flatMap(descendants)];
}
const nodePid = descendants(dash.child.pid).find((p) => {
  try {
    const argv = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
    return argv[0] === process.execPath && argv[1] === mainJs;
  } catch {
    return false;
  }
});
if (!nodePid) throw new Error('could not find the dashboard process');
const ticks = () => {
  const f = fs.readFileSync(`/proc/${nodePid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, clock ticks
};
const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const frames = () => (dash.output().match(/\x1b\[\?2026h/g) ?? []).length;
const seconds = quick ? 5 : 15;
const c0 = ticks();
const f0 = frames();
const w0 = performance.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
const cpu = (ticks() - c0) / hz;
const wall = (performance.now() - w0) / 1000;
const fps = (frames() - f0) / wall;
dash.child.stdin.write('q');
const dashCode = await dash.done;
await fastTicker.close();
await new Promise((r) => tickServer.close(r));
await sandbox.close();
console.log(`2. 50 instruments x 4 ticks/s for ${seconds} s (watchlist tab, real ticker, real clock)`);
console.log(`   CPU share of one core    ${((cpu / wall) * 100).toFixed(1)}%  (aim < 25%)`);
console.log(`   frames written           ${fps.toFixed(1)} per second (limit ~10)`);
console.log(`   exit code on q           ${dashCode}`);

}

if (want(3)) {
// ---------- 3. memory over a simulated hour of ticks
process.env.NODE_ENV ??= 'production';
const React = (await import(path.join(root, 'node_modules/react/index.js'))).default;
const { render } = await import(path.join(root, 'node_modules/ink/build/index.js'));
const { App } = await import(dist('tui/App.js'));
const { DashboardController } = await import(dist('tui/controller.js'));
const { themeFor } = await import(dist('tui/theme.js'));
const { ManualClock } = await import(dist('core/clock.js'));

const clock = new ManualClock(Date.parse(START));
let sink = null;
const keys = fifty.map((i) => `${i.exchange}:${i.tradingsymbol}`);
const price = new Map(fifty.map((i) => [i.instrument_token, i.basePrice]));
const quoteOf = (i) => {
  const ltp = price.get(i.instrument_token);
  return { key: `${i.exchange}:${i.tradingsymbol}`, token: i.instrument_token, ltp, open: i.basePrice, high: ltp + 100, low: ltp - 100, close: i.basePrice, timestamp: clock.now() };
};
/** A backend of the bench's own making: the point is the screen and the controller, not the network. */
const factory = {
  profiles: async () => [{ name: 'demo', userId: 'SB0001', session: 'active', expiresAt: null }],
  async open() {
    return {
      profile: { profile: 'demo', userId: 'SB0001', userName: 'Bench', mode: 'sandbox' },
      portfolio: async () => ({ holdings: [], positions: [], orders: [], margins: null, loadedAt: clock.now() }),
      paper: {
        snapshot: async () => ({ capital: 10_000_000, available: 10_000_000, blocked: 0, realised: 0, charges: 0, orders: [], positions: [], holdings: [], trades: [], stats: null, equity: [], version: 1 }),
        version: async () => 1,
        onQuote() {},
      },
      quotes: async (ks) => fifty.filter((i) => ks.includes(`${i.exchange}:${i.tradingsymbol}`)).map(quoteOf),
      stream: (s) => ({ setInstruments() {}, start() { sink = s; s.state({ state: 'connected' }); }, stop() {} }),
      close: async () => {},
    };
  },
};
const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 120, rows: 40 });
stdout.resume();
const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode() {}, ref() {}, unref() {} });
const controller = new DashboardController({ factory, clock, dataDir, profile: 'demo', flushMs: 1e9, pollMs: 1e9, refreshMs: 1e9 });
const app = render(React.createElement(App, { port: controller, clock, theme: themeFor({}) }), { stdout, stdin, exitOnCtrlC: false, patchConsole: false, maxFps: 10 });
await controller.start();
stdin.write('3');
let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const heap = () => {
  global.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const minutesArg = process.argv.indexOf('--minutes');
const simulatedMinutes = minutesArg > 0 ? Number(process.argv[minutesArg + 1]) : quick ? 15 : 60;
const points = [];
const t0 = performance.now();
for (let round = 0; round <= simulatedMinutes * 240; round++) {
  if (round % (15 * 240) === 0) {
    await new Promise((r) => setImmediate(r));
    points.push([round / 240, heap()]);
  }
  clock.advance(250);
  for (const i of fifty) {
    price.set(i.instrument_token, Math.max(100, price.get(i.instrument_token) + Math.round((rnd() - 0.5) * 20)));
    sink.quote(quoteOf(i));
  }
  controller.flush(); // what the 100 ms timer does; every round is 250 ms of market time
  await new Promise((r) => setImmediate(r)); // React commits (and Ink lays out) once per round, as live: 4 times a second
}
const elapsed = (performance.now() - t0) / 1000;
app.unmount();
await controller.stop();
console.log(`3. memory: ${simulatedMinutes} simulated minutes, ${simulatedMinutes * 240 * 50} quotes, ${simulatedMinutes * 240} state updates, in ${elapsed.toFixed(1)} s${global.gc ? '' : ' (run with --expose-gc for exact figures)'}`);
for (const [m, mb] of points) console.log(`   after ${String(m).padStart(3)} min      heap ${mb.toFixed(1)} MB`);
const growth = points.length > 2 ? points[points.length - 1][1] - points[1][1] : 0;
console.log(`   growth after warm-up     ${growth.toFixed(1)} MB`);
}
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
