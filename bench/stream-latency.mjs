// Fill-to-client latency of GET /api/stream: one user's SSE stream open, 100 market orders placed
// one after another through POST /api/paper-trading/orders; for each, the time from sending the
// request to the stream delivering its `fill` event (and its first `order` event). Baseline: the
// same POST's own HTTP round trip. The server (sandbox, SQLite in a temp folder) runs in this
// process. A write through the stream's own server wakes the stream at once; the second run places
// the orders through a second server on the same SQLite file (as another process would), whose
// changes reach the stream only by its 250 ms poll.
//
//   npm run build && node bench/stream-latency.mjs [orders=100]
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const MARKET_OPEN = Date.parse('2026-11-25T10:00:00+05:30');
const N = Number(process.argv[2] ?? 100);

const [{ startApiServer }, { ManualClock }, { resolveSettings }, { createSession, writeSession }, { SANDBOX_APP }] = await Promise.all([
  import(dist('server/start.js')),
  import(dist('core/clock.js')),
  import(dist('core/config.js')),
  import(dist('core/auth/sessions.js')),
  import(dist('sandbox/types.js')),
]);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-stream-bench-'));
const clock = new ManualClock(MARKET_OPEN);
const { settings, file } = resolveSettings({ dataDir: dir, sandbox: true }, {});
const serve = () => startApiServer({ settings, configFile: file, clock, port: 0, readRate: 1_000_000, writeRate: 1_000_000 });
const server = await serve();
const second = await serve();
const session = createSession({ user_id: 'BENCH1', user_name: 'Bench', api_key: SANDBOX_APP.apiKey, access_token: 'paper-only-bench-0000000000', loginTime: clock.now(), sandbox: true, profile: 'default' });
await writeSession(dir, session);
const token = session.session_token;
const url = new URL(server.url);

// The stream: resolve waiters by order id as its events arrive.
const waiting = new Map(); // order_id -> { order?: fn, fill?: fn }
const early = new Map(); // order_id -> { order?: ms, fill?: ms } seen before the POST answered
let buf = '';
await new Promise((resolve, reject) => {
  const req = http.request({ host: url.hostname, port: url.port, path: '/api/stream', headers: { 'x-session-token': token }, agent: false }, (res) => {
    if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!type || !data) continue;
        const id = JSON.parse(data).order_id;
        const now = performance.now();
        const w = waiting.get(id);
        if (w?.[type]) {
          w[type](now);
          delete w[type];
        } else {
          const e = early.get(id) ?? {};
          e[type] ??= now;
          early.set(id, e);
        }
      }
    });
    resolve();
  });
  req.on('error', reject);
  req.end();
});

function post(body, to = url) {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: to.hostname, port: to.port, method: 'POST', path: '/api/paper-trading/orders', headers: { 'x-session-token': token, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d) => (text += d)).on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const arrival = (orderId, type) => {
  const seen = early.get(orderId)?.[type];
  if (seen !== undefined) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const w = waiting.get(orderId) ?? {};
    w[type] = resolve;
    waiting.set(orderId, w);
  });
};

async function run(to) {
  const rtt = [];
  const toOrder = [];
  const toFill = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const r = await post({ tradingsymbol: 'ITC', transaction_type: i % 2 ? 'SELL' : 'BUY', quantity: 1 }, to);
    const t1 = performance.now();
    if (r.status !== 200) throw new Error(`order ${i} answered ${r.status}: ${JSON.stringify(r.json)}`);
    const id = r.json.data.order_id;
    const [o, f] = await Promise.all([arrival(id, 'order'), arrival(id, 'fill')]);
    rtt.push(t1 - t0);
    toOrder.push(o - t0);
    toFill.push(f - t0);
  }
  return { rtt, toOrder, toFill };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const row = (name, xs) => ({ name, 'p50 ms': +pct(xs, 50).toFixed(1), 'p99 ms': +pct(xs, 99).toFixed(1), 'max ms': +Math.max(...xs).toFixed(1) });
const same = await run(url);
const other = await run(new URL(second.url));
console.log(`${N} market orders per run, one at a time, ${os.cpus().length} cores, Node ${process.version}`);
console.table([
  row('POST round trip (baseline)', same.rtt),
  row('place -> order event', same.toOrder),
  row('place -> fill event', same.toFill),
  row('2nd server: POST round trip', other.rtt),
  row('2nd server: place -> fill event (poll)', other.toFill),
]);

await second.close();
await server.close();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
