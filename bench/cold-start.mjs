#!/usr/bin/env node
// Cold-start wall time of the scripted commands, median of N runs each (default 20), as a ratio
// to `node -e 0` measured in the same run:
//   algo --version, algo whoami --json          target <= 2x
//   algo paper buy INFY 1, algo paper funds     target <= 3x
// All run against a sandbox login in a temp data folder, with the clock pinned to a weekday
// morning (ALGO_CLOCK) so the market is open; the paper account is reset with enough capital
// that the buys may accumulate. Runs against dist/: `npm run build` first.
// Usage: node bench/cold-start.mjs [runs]
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
for (const k of Object.keys(env)) if (/^(ALGO_|KITE_)/.test(k) && k !== 'ALGO_DATA_DIR') delete env[k];
env.ALGO_CLOCK = '2026-11-25T10:00:00+05:30';
const PROFILE = 'bench';

/** Run algo once for set-up; a failure stops the bench with its stderr. */
function setup(args) {
  const r = spawnSync(process.execPath, [main, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`algo ${args.join(' ')} failed: ${r.stderr}`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  setup(['login', '--sandbox', '--user', 'SB0001', '--profile', PROFILE, '--port', '0']);
  setup(['paper', 'reset', '--capital', '100000000', '--yes', '--profile', PROFILE]);

  const cases = {
    'node -e 0': { args: ['-e', '0'] },
    'algo --version': { args: [main, '--version'], target: 2 },
    'algo whoami --json': { args: [main, 'whoami', '--json', '--profile', PROFILE], target: 2 },
    'algo paper buy INFY 1': { args: [main, 'paper', 'buy', 'INFY', '1', '--profile', PROFILE], target: 3 },
    'algo paper funds --json': { args: [main, 'paper', 'funds', '--json', '--profile', PROFILE], target: 3 },
    // Reference: what importing zod alone costs.
    'node: import zod': { args: ['--input-type=module', '-e', `await import(${JSON.stringify(zodUrl)})`] },
  };
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const once = (args) => {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (const { args } of Object.values(cases)) once(args); // warm the file cache
  // Interleaved, so load from other processes falls on every case alike.
  for (let i = 0; i < runs; i++) for (const [name, { args }] of Object.entries(cases)) times[name].push(once(args));

  const base = median(times['node -e 0']);
  console.log(`cold start, median of ${runs} runs (node ${process.version}, ${os.cpus().length} cpus)`);
  console.log(`  baseline: node -e 0 ${base.toFixed(1)} ms`);
  let allMet = true;
  for (const [name, xs] of Object.entries(times)) {
    const m = median(xs);
    const ratio = m / base;
    const { target } = cases[name];
    let verdict = '';
    if (target) {
      verdict = `   target <= ${target}x: ${ratio <= target ? 'met' : 'NOT met'}`;
      allMet &&= ratio <= target;
    }
    console.log(`  ${name.padEnd(24)} ${m.toFixed(1).padStart(7)} ms   ${ratio.toFixed(2)}x node -e 0${verdict}`);
  }
  console.log(`all targets: ${allMet ? 'met' : 'NOT met'}`);
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
