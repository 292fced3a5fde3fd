#!/usr/bin/env node
// Cold-start wall time of `algo --version` and `algo whoami --json` (after a sandbox login in a
// temp data folder), median of 20 runs each, as a ratio to `node -e 0` measured in the same run.
// Runs against dist/: `npm run build` first.  Usage: node bench/cold-start.mjs [runs]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const main = path.join(root, 'dist', 'cli', 'main.js');
if (!fs.existsSync(main)) {
  console.error('dist/cli/main.js is missing: run `npm run build` first');
  process.exit(1);
}
const runs = Number(process.argv[2] ?? 20);
const zodUrl = pathToFileURL(path.join(root, 'node_modules', 'zod', 'index.js')).href;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-bench-'));
const env = { ...process.env, ALGO_DATA_DIR: dataDir, NO_COLOR: '1' };
for (const k of Object.keys(env)) if (/^(ALGO_CLOCK|ALGO_PROFILE|ALGO_SANDBOX|KITE_)/.test(k)) delete env[k];

try {
  const login = spawnSync(process.execPath, [main, 'login', '--sandbox', '--user', 'SB0001', '--port', '0'], { env, encoding: 'utf8' });
  if (login.status !== 0) throw new Error(`sandbox login failed: ${login.stderr}`);

  const cases = {
    'node -e 0': ['-e', '0'],
    'algo --version': [main, '--version'],
    'algo whoami --json': [main, 'whoami', '--json'],
    // Reference: what importing zod alone costs (config.ts and the session schema need it).
    'node: import zod': ['--input-type=module', '-e', `await import(${JSON.stringify(zodUrl)})`],
  };
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const once = (args) => {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (const args of Object.values(cases)) once(args); // warm the file cache
  // Interleaved, so load from other processes falls on every case alike.
  for (let i = 0; i < runs; i++) for (const [name, args] of Object.entries(cases)) times[name].push(once(args));

  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const base = median(times['node -e 0']);
  console.log(`cold start, median of ${runs} runs (node ${process.version}, ${os.cpus().length} cpus)`);
  for (const [name, xs] of Object.entries(times)) {
    const m = median(xs);
    console.log(`  ${name.padEnd(20)} ${m.toFixed(1).padStart(7)} ms   ${(m / base).toFixed(2)}x node -e 0`);
  }
  const worst = Math.max(median(times['algo --version']), median(times['algo whoami --json'])) / base;
  console.log(`target <= 2.00x: ${worst <= 2 ? 'met' : 'NOT met'} (${worst.toFixed(2)}x)`);
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
