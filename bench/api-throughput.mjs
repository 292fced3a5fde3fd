// REST API throughput (`algo serve`): 200 connections spread over 100 users, each connection with
// its own user's X-Session-Token, against GET /api/paper-trading/funds (reads) and
// POST /api/paper-trading/orders (writes, rate limits raised). Baseline in the same run: a bare
// node http server answering a constant JSON. Every server runs in its own child process; the
// load generator (autocannon) runs here. After the writes every account's funds are checked to the
// paisa against its trades.
//
//   npm run build && node bench/api-throughput.mjs [seconds=30] [connections=200] [users=100]
//
// Also: BENCH_ME=1 adds /api/health (no token) and /api/auth/me runs (where the time goes);
// BENCH_READS_ONLY=1 skips the writes; BENCH_PROF=DIR writes the servers' CPU profiles there;
// BENCH_KEEP=1 keeps the data folder.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const MARKET_OPEN = Date.parse('2026-11-25T10:00:00+05:30');
const CAPITAL_RUPEES = 10_00_00_000; // 10 crore per account: every buy of the run is funded
const child = process.argv[2]?.startsWith('--child-');
const SECONDS = child ? 0 : Number(process.argv[2] ?? 30);
const CONNECTIONS = child ? 0 : Number(process.argv[3] ?? 200);
const USERS = child ? 0 : Number(process.argv[4] ?? 100);

// ---- children: one server each, printing its URL ------------------------------------------------

async function serveBare() {
  const body = JSON.stringify({ status: 'success', data: { capital: 100000, available: 100000, blocked: 0, realised_pnl: 0, unrealised_pnl: 0, charges: 0, equity: 100000 } });
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`URL http://127.0.0.1:${server.address().port}\n`));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

async function serveApi(dataDir) {
  const [{ startApiServer }, { ManualClock }, { resolveSettings }] = await Promise.all([
    import(dist('server/start.js')),
    import(dist('core/clock.js')),
    import(dist('core/config.js')),
  ]);
  const { settings, file } = resolveSettings({ dataDir, sandbox: true }, {});
  const server = await startApiServer({
    settings,
    configFile: file,
    clock: new ManualClock(MARKET_OPEN),
    port: 0,
    readRate: 1_000_000,
    writeRate: 1_000_000,
  });
  process.stdout.write(`URL ${server.url}\n`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

// ---- the run ------------------------------------------------------------------------------------

function startChild(args) {
  const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /URL (\S+)/.exec(out);
      if (m) resolve({ url: m[1], stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) });
    });
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
}

function run(opts) {
  return new Promise((resolve, reject) => {
    const inst = autocannon({ ...opts, connections: CONNECTIONS, duration: SECONDS }, (err, result) => (err ? reject(err) : resolve(result)));
    process.once('SIGINT', () => inst.stop());
  });
}

function tokenHeaders(tokens) {
  let next = 0;
  // One user per connection, round-robin: 200 connections over 100 users = 2 each.
  return (client) => client.setHeaders({ 'x-session-token': tokens[next++ % tokens.length], 'content-type': 'application/json' });
}

function summary(name, r) {
  const errors = r.errors + r.timeouts + r.non2xx;
  return { name, 'req/s': Math.round(r.requests.average), 'p50 ms': r.latency.p50, 'p99 ms': r.latency.p99, requests: r.requests.total, errors };
}

async function getJson(url, token) {
  const res = await fetch(url, { headers: { 'x-session-token': token } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()).data;
}

const toPaise = (rupees) => Math.round(rupees * 100);

async function checkFunds(url, tokens) {
  let orders = 0;
  for (const token of tokens) {
    // autocannon stops without waiting for the requests it has in flight: read until the account is still.
    let f, trades, again;
    do {
      trades = await getJson(`${url}/api/paper-trading/trades`, token);
      f = await getJson(`${url}/api/paper-trading/funds`, token);
      again = await getJson(`${url}/api/paper-trading/trades`, token);
    } while (again.length !== trades.length);
    let cash = CAPITAL_RUPEES * 100;
    let charges = 0;
    for (const t of trades) {
      cash -= t.quantity * toPaise(t.average_price);
      charges += toPaise(t.charges.total);
    }
    orders += trades.length;
    if (toPaise(f.available) !== cash - charges || toPaise(f.charges) !== charges || f.blocked !== 0) {
      throw new Error(`funds of ${token.slice(0, 8)}… are off: available ${f.available}, expected ${(cash - charges) / 100} (${JSON.stringify(f)}; ${trades.length} trades, charges ${charges / 100})`);
    }
  }
  return orders;
}

async function main() {
  const [{ createSession, writeSession }, { SANDBOX_APP }] = await Promise.all([import(dist('core/auth/sessions.js')), import(dist('sandbox/types.js'))]);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bench-api-'));
  const tokens = [];
  for (let i = 1; i <= USERS; i++) {
    const s = createSession({ user_id: `BN${String(i).padStart(4, '0')}`, api_key: SANDBOX_APP.apiKey, access_token: `bench-${i}-0000000000`, loginTime: MARKET_OPEN, sandbox: true, profile: 'default' });
    await writeSession(dataDir, s);
    tokens.push(s.session_token);
  }
  console.log(`api-throughput: ${CONNECTIONS} connections over ${USERS} users, ${SECONDS} s per run, ${os.cpus().length} cores, node ${process.version}`);

  const rows = [];
  const bare = await startChild(['--child-bare']);
  try {
    rows.push(summary('bare node http (constant JSON)', await run({ url: `${bare.url}/` })));
  } finally {
    await bare.stop();
  }

  const api = await startChild(['--child-api', dataDir]);
  try {
    for (const t of tokens) {
      const res = await fetch(`${api.url}/api/paper-trading/reset`, { method: 'POST', headers: { 'x-session-token': t, 'content-type': 'application/json' }, body: JSON.stringify({ capital: CAPITAL_RUPEES }) });
      if (!res.ok) throw new Error(`reset answered ${res.status}`);
    }
    if (process.env.BENCH_ME) {
      rows.push(summary('API GET /api/health (no token)', await run({ url: `${api.url}/api/health` })));
      rows.push(summary('API GET /api/auth/me', await run({ url: `${api.url}/api/auth/me`, setupClient: tokenHeaders(tokens) })));
    }
    rows.push(summary('API GET /api/paper-trading/funds', await run({ url: `${api.url}/api/paper-trading/funds`, setupClient: tokenHeaders(tokens) })));
    const body = JSON.stringify({ tradingsymbol: 'ITC', transaction_type: 'BUY', quantity: 1 });
    if (!process.env.BENCH_READS_ONLY) rows.push(summary('API POST /api/paper-trading/orders', await run({ url: `${api.url}/api/paper-trading/orders`, method: 'POST', body, setupClient: tokenHeaders(tokens) })));
    const filled = await checkFunds(api.url, tokens);
    console.table(rows);
    const reads = rows.find((r) => r.name.includes('/funds'));
    const ratio = reads['req/s'] / rows[0]['req/s'];
    console.log(`reads: ${(ratio * 100).toFixed(1)}% of the bare server's throughput (aim: at least 30%)`);
    console.log(`writes: ${filled} orders filled; every one of the ${USERS} accounts' funds is exact to the paisa against its trades`);
    const errors = rows.reduce((n, r) => n + r.errors, 0);
    if (errors > 0) {
      console.error(`FAILED: ${errors} errors`);
      process.exitCode = 1;
    }
  } finally {
    await api.stop();
    if (process.env.BENCH_KEEP) console.log(`kept ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child-bare') await serveBare();
else if (process.argv[2] === '--child-api') await serveApi(process.argv[3]);
else await main();
