// Sandbox /quote latency through the real kiteconnect client: 1,000 sequential getQuote(['NSE:INFY'])
// calls against a sandbox with rate limits off, logged in through the real login page.
// Baseline (same run, same client call path): a bare node http server answering a constant quote JSON.
//
//   npm run build && node bench/quote-latency.mjs [calls]
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { KiteConnect } from 'kiteconnect';
import { sandboxLogin } from './sandbox-login.mjs';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const { startSandbox } = await import(dist('sandbox/server.js'));
const { systemClock } = await import(dist('core/clock.js'));

const N = Number(process.argv[2] ?? 1000);
const WARMUP = 100;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(kite) {
  for (let i = 0; i < WARMUP; i++) await kite.getQuote(['NSE:INFY']);
  const ms = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const q = await kite.getQuote(['NSE:INFY']);
    ms.push(performance.now() - t0);
    if (!q['NSE:INFY']) throw new Error('no quote for NSE:INFY');
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), mean: ms.reduce((a, b) => a + b, 0) / ms.length };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bench-quote-'));
const handle = await startSandbox({ port: 0, dataDir, clock: systemClock, rateLimits: false });
const { kite: sandboxKite } = await sandboxLogin(handle);
const sample = JSON.stringify({ status: 'success', data: await sandboxKite.getQuote(['NSE:INFY']) });

// Baseline: the same client call path against a server that only writes a constant body.
const bare = http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(sample) });
  res.end(sample);
});
bare.listen(0, '127.0.0.1');
await once(bare, 'listening');
const bareKite = new KiteConnect({ api_key: 'bench', root: `http://127.0.0.1:${bare.address().port}`, access_token: crypto.randomBytes(8).toString('hex') });

const baseline = await measure(bareKite);
const sandbox = await measure(sandboxKite);

const fmt = (r) => `p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms  mean ${r.mean.toFixed(3)} ms`;
console.log(`getQuote(['NSE:INFY']) x ${N} via kiteconnect ${os.cpus().length} cpus, node ${process.version}`);
console.log(`  baseline (bare http, constant JSON)  ${fmt(baseline)}`);
console.log(`  sandbox                              ${fmt(sandbox)}`);
console.log(`  sandbox overhead at p50              ${(sandbox.p50 - baseline.p50).toFixed(3)} ms`);

await handle.close();
bare.close();
fs.rmSync(dataDir, { recursive: true, force: true });
