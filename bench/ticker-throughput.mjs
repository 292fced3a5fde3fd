// Sandbox ticker throughput: 500 instruments in full mode at one frame a second, for 30 s.
// The ticker runs in a child process (its CPU share is measured there); this process is the client,
// the real KiteTicker, and measures each tick's lag. Baselines from the same run: an idle node
// process, and a ticker server that nobody is connected to.
//
//   npm run build && node bench/ticker-throughput.mjs      (BENCH_SECONDS=10 for a shorter run)
import { fork } from 'node:child_process';
import http from 'node:http';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const INSTRUMENTS = 500;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP_MS = 3000;
const API_KEY = 'bench_key';
const ACCESS_TOKEN = 'bench_token';
const OI_WRAP = 2 ** 31;
const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;

// ---- child roles -----------------------------------------------------------------------------

/** CPU used between 'start' and 'stop' messages from the parent, sent back with the wall time. */
function measureOnRequest() {
  let cpu0;
  let wall0;
  process.on('message', (m) => {
    if (m === 'start') {
      snapshotMs = 0;
      cpu0 = process.cpuUsage();
      wall0 = process.hrtime.bigint();
    } else if (m === 'stop') {
      const cpu = process.cpuUsage(cpu0);
      const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
      process.send({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs, snapshotMs }, () => process.exit(0));
    }
  });
}

let snapshotMs = 0;

/**
 * INSTRUMENTS synthetic instruments, each following one of the real sandbox market's stocks.
 * `oi` carries the tick instant (ms, mod 2^31) so the client can compute each packet's lag.
 */
async function benchMarket() {
  const { createMarket } = await import(dist('sandbox/market.js'));
  const real = createMarket({ seed: 1, alwaysOpen: true });
  const stocks = real.instruments().filter((i) => !i.isIndex);
  const list = [];
  const source = new Map();
  for (let i = 0; i < INSTRUMENTS; i++) {
    const base = stocks[i % stocks.length];
    const token = (100_000 + i) * 256 + 1;
    list.push({ ...base, instrument_token: token, tradingsymbol: `BENCH${i}` });
    source.set(token, base.instrument_token);
  }
  const byToken = new Map(list.map((i) => [i.instrument_token, i]));
  return {
    alwaysOpen: true,
    instruments: () => list,
    byToken: (t) => byToken.get(t),
    bySymbol: () => undefined,
    snapshot: (token, t) => {
      const t0 = performance.now();
      const s = real.snapshot(source.get(token), t);
      snapshotMs += performance.now() - t0;
      return { ...s, instrument_token: token, oi: t % OI_WRAP };
    },
    candles: () => [],
  };
}

async function runServer() {
  const { attachTicker } = await import(dist('sandbox/ticker/index.js'));
  const { systemClock } = await import(dist('core/clock.js'));
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  attachTicker(server, {
    market: await benchMarket(),
    clock: systemClock,
    verifyAccessToken: (k, t) => (k === API_KEY && t === ACCESS_TOKEN ? 'BENCH1' : null),
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  measureOnRequest();
}

// ---- parent: the client -----------------------------------------------------------------------

function child(role) {
  const c = fork(fileURLToPath(import.meta.url), [role], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = once(c, 'message').then(([m]) => m);
  return { proc: c, ready, stop: () => (c.send('stop'), once(c, 'message').then(([m]) => m)) };
}

const pct = (r) => ((100 * r.cpuMs) / r.wallMs).toFixed(2);
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function runClient() {
  const { KiteTicker } = await import('kiteconnect');
  const server = child('server');
  const quiet = child('server');
  const idle = child('idle');
  const { port } = await server.ready;
  await quiet.ready;

  const ticker = new KiteTicker({ api_key: API_KEY, access_token: ACCESS_TOKEN, root: `ws://127.0.0.1:${port}/`, reconnect: false });
  const lags = [];
  const arrivals = [];
  const parses = [];
  let messageAt = 0;
  let measuring = false;
  let frames = 0;
  let badFrames = 0;
  ticker.on('message', () => {
    messageAt = Date.now();
  });
  ticker.on('ticks', (ticks) => {
    const now = Date.now();
    if (!measuring) return;
    frames++;
    arrivals.push((((messageAt % OI_WRAP) - ticks[0].oi) % OI_WRAP + OI_WRAP) % OI_WRAP);
    parses.push(now - messageAt);
    if (ticks.length !== INSTRUMENTS || ticks.some((t) => t.mode !== 'full' || t.depth.buy.length !== 5)) badFrames++;
    for (const t of ticks) lags.push((((now % OI_WRAP) - t.oi) % OI_WRAP + OI_WRAP) % OI_WRAP);
  });
  const connected = new Promise((resolve, reject) => {
    ticker.on('connect', resolve);
    ticker.on('error', reject);
  });
  ticker.connect();
  await connected;
  const tokens = Array.from({ length: INSTRUMENTS }, (_, i) => (100_000 + i) * 256 + 1);
  ticker.subscribe(tokens);
  ticker.setMode('full', tokens);
  await new Promise((r) => setTimeout(r, WARMUP_MS));

  for (const c of [server, quiet, idle]) c.proc.send('start');
  const clientCpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  measuring = true;
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const clientCpu = process.cpuUsage(clientCpu0);
  const clientWallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
  const [s, q, i] = await Promise.all([server.stop(), quiet.stop(), idle.stop()]);
  ticker.disconnect();

  for (const xs of [lags, arrivals, parses]) xs.sort((a, b) => a - b);
  const dist3 = (xs) => `p50 ${quantile(xs, 0.5)} ms  p99 ${quantile(xs, 0.99)} ms  max ${xs.at(-1)} ms`;
  const client = { cpuMs: (clientCpu.user + clientCpu.system) / 1000, wallMs: clientWallMs };
  console.log(`sandbox ticker: ${INSTRUMENTS} instruments, full mode, 1 frame/s, ${SECONDS} s measured (after ${WARMUP_MS / 1000} s warm-up)`);
  console.log(`  frames received        ${frames} (${badFrames} not ${INSTRUMENTS} full ticks with 5+5 depth)`);
  console.log(`  ticks received         ${lags.length} (${(lags.length / (clientWallMs / 1000)).toFixed(0)}/s)`);
  console.log(`  tick lag, tick instant -> KiteTicker 'ticks' event   ${dist3(lags)}`);
  console.log(`    of which: tick instant -> frame at client (server) ${dist3(arrivals)}`);
  console.log(`              KiteTicker parsing the frame             ${dist3(parses)}`);
  console.log(`    market.snapshot in the server: ${(s.snapshotMs / Math.max(1, frames)).toFixed(1)} ms per frame of ${INSTRUMENTS}`);
  console.log(`  CPU, % of one core:`);
  console.log(`    sandbox ticker server (500 full)   ${pct(s)}%`);
  console.log(`    baseline: ticker server, no client ${pct(q)}%`);
  console.log(`    baseline: idle node process        ${pct(i)}%`);
  console.log(`    client (KiteTicker, parsing)       ${pct(client)}%`);
  process.exit(badFrames === 0 && lags.length > 0 ? 0 : 1);
}

const role = process.argv[2];
if (role === 'server') await runServer();
else if (role === 'idle') {
  measureOnRequest();
  process.send({ ready: true });
}
else await runClient();
