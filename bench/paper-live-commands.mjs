// `algo paper ...` on a live profile (not sandbox mode) whose "Kite" is a sandbox with Kite's rate
// limits on, reached over real sockets through KITE_API_ROOT: how long each command takes and how
// many /quote, /instruments and /instruments/historical requests it makes (the sandbox's request log).
// The account holds a position and a resting order, and the clock moves 5 minutes before each
// command, so every command catches up first.
//
//   npm run build && node bench/paper-live-commands.mjs [plan] [rounds]
//   plan: connect (default), no-historical, personal
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sandboxLogin } from './sandbox-login.mjs';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { startSandbox } = await import(dist('sandbox/server.js'));
const { ManualClock } = await import(dist('core/clock.js'));
const { SANDBOX_APP } = await import(dist('sandbox/types.js'));
const { createSession, writeSession } = await import(dist('core/auth/sessions.js'));
const mainJs = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

const plan = process.argv[2] ?? 'connect';
const ROUNDS = Number(process.argv[3] ?? 3);
/** Wednesday 25 November 2026, 10:00 IST: market open. */
let now = Date.parse('2026-11-25T10:00:00+05:30');

const kiteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bench-kite-'));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bench-paper-'));
const clock = new ManualClock(now);
const handle = await startSandbox({ port: 0, dataDir: kiteDir, clock, plan, rateLimits: true });

const { accessToken } = await sandboxLogin(handle);
fs.writeFileSync(
  path.join(dataDir, 'config.json'),
  JSON.stringify({ defaultProfile: 'live', profiles: { live: { apiKey: SANDBOX_APP.apiKey, apiSecret: SANDBOX_APP.apiSecret, userId: 'SB0001' } } }),
  { mode: 0o600 },
);
await writeSession(dataDir, createSession({ user_id: 'SB0001', api_key: SANDBOX_APP.apiKey, access_token: accessToken, loginTime: now, sandbox: false, profile: 'live' }));

function algo(args) {
  const env = { ...process.env, ALGO_DATA_DIR: dataDir, ALGO_PROFILE: 'live', KITE_API_ROOT: handle.apiRoot, KITE_LOGIN_URL: handle.loginUrl, ALGO_CLOCK: new Date(now).toISOString(), ALGO_CLOCK_RUN: '1', NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (/^(ALGO_SANDBOX|VITEST|NODE_OPTIONS)/.test(k)) delete env[k];
  const before = handle.requests.entries().length;
  const t0 = performance.now();
  // The sandbox runs in this process: the child must run asynchronously (not spawnSync).
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [mainJs, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      const reqs = handle.requests.entries().slice(before);
      const count = (re) => reqs.filter((r) => re.test(r.path)).length;
      resolve({ code, ms, out, err, quote: count(/^\/quote/), instruments: count(/^\/instruments(\/[A-Z]+)?$/), historical: count(/^\/instruments\/historical/), s429: reqs.filter((r) => r.status === 429).length });
    });
  });
}

const step = () => {
  now += 5 * 60_000;
  clock.set(now);
};

// Set up: a position in INFY and a resting LIMIT in TCS far below the market.
const tcs = handle.market.bySymbol('NSE', 'TCS');
const tcsLimit = (Math.floor((handle.market.snapshot(tcs.instrument_token, now).last_price * 0.92) / 10) * 10 / 100).toFixed(2);
for (const args of [['paper', 'buy', 'INFY', '5'], ['paper', 'buy', 'TCS', '1', '--price', tcsLimit]]) {
  const r = await algo(args);
  if (r.code !== 0 && plan !== 'personal') throw new Error(`${args.join(' ')}: ${r.err}`);
}

const commands = [
  ['paper', 'buy', 'RELIANCE', '1'],
  ['paper', 'sell', 'INFY', '1'],
  ['paper', 'orders'],
  ['paper', 'funds'],
];
const rows = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const args of commands) {
    step();
    const r = await algo(args);
    rows.push({ command: args.slice(1).join(' '), ...r });
  }
}

console.log(`plan ${plan}, ${ROUNDS} rounds, rate limits on (quotes 1/s), 5 minutes between commands`);
console.log('command              exit   ms    /quote /instruments /historical 429s  stderr');
for (const r of rows) {
  console.log(
    `${r.command.padEnd(20)} ${String(r.code).padStart(4)} ${r.ms.toFixed(0).padStart(6)} ${String(r.quote).padStart(6)} ${String(r.instruments).padStart(12)} ${String(r.historical).padStart(11)} ${String(r.s429).padStart(4)}  ${r.err.trim().split('\n').join(' | ').slice(0, 120)}`,
  );
}
await handle.close();
fs.rmSync(kiteDir, { recursive: true, force: true });
fs.rmSync(dataDir, { recursive: true, force: true });
