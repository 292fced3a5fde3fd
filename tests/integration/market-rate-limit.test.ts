import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { ensureBuilt, tempDataDir } from '../helpers/cli.js';
import { startSandboxWithUser, type TestSandbox } from '../helpers/sandbox.js';

const WORKER = path.resolve(import.meta.dirname, '..', 'helpers', 'quote-worker.mjs');
const CLIENT = pathToFileURL(path.resolve(import.meta.dirname, '..', '..', 'dist', 'core', 'kite', 'client.js')).href;

let kite: TestSandbox & { accessToken: string };
let dataDir: string;

beforeAll(async () => {
  ensureBuilt();
  // Kite's limits on (1 quote a second per app), on the system clock.
  kite = await startSandboxWithUser('SB0001', { rateLimits: true });
  dataDir = tempDataDir('algo-shared-limit-');
});
afterAll(async () => {
  await kite?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** `n` processes of one app asking for `each` quotes at once, sharing (or not) a rate-limit folder. */
async function race(n: number, each: number, dirOf: (i: number) => string): Promise<string[][]> {
  const kids = Array.from({ length: n }, (_, i) =>
    spawn(process.execPath, [WORKER, CLIENT, kite.handle.apiRoot, SANDBOX_APP.apiKey, kite.accessToken, dirOf(i), String(each)], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const outputs = kids.map((k) => {
    let out = '';
    k.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    return { k, out: () => out };
  });
  for (const o of outputs) while (!o.out().includes('ready')) await once(o.k.stdout!, 'data');
  for (const o of outputs) o.k.stdin!.write('go\n');
  await Promise.all(kids.map((k) => once(k, 'close')));
  return outputs.map((o) => o.out().trim().split('\n').slice(1));
}

describe('Kite rate limits shared by every process of one app', () => {
  it('three processes asking for quotes at once stay under 1 a second together: no 429', async () => {
    kite.handle.requests.clear();
    const lines = await race(3, 2, () => path.join(dataDir, 'cache'));
    expect(lines.flat().filter((l) => !l.startsWith('ok'))).toEqual([]);
    const quotes = kite.handle.requests.entries().filter((r) => r.path === '/quote');
    expect(quotes.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const at = quotes.map((r) => r.at).sort((a, b) => a - b);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(950);
    expect(fs.readdirSync(path.join(dataDir, 'cache')).filter((f) => f.startsWith('ratelimit-'))).toHaveLength(1);
  }, 30_000);

  it('the control: each process counting only its own requests gets 429s from Kite', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    kite.handle.requests.clear();
    await race(3, 1, (i) => path.join(dataDir, `own-${i}`));
    expect(kite.handle.requests.entries().filter((r) => r.path === '/quote' && r.status === 429).length).toBeGreaterThan(0);
  }, 30_000);
});
