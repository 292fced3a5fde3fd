import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli, tempDataDir } from '../helpers/sandbox.js';

let cli: string;
const dataDir = tempDataDir('algo-sandbox-cli-');

beforeAll(() => {
  cli = builtCli();
}, 120_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function run(args: string[]): { child: ChildProcessWithoutNullStreams; out: () => string; err: () => string; exit: Promise<number | null> } {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dataDir, NO_COLOR: '1', ALGO_DATA_DIR: dataDir, ALGO_CLOCK: '2026-01-07T11:00:00+05:30' };
  const child = spawn(process.execPath, [cli, ...args], { env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

async function waitFor(read: () => string, text: string): Promise<void> {
  for (let i = 0; i < 400 && !read().includes(text); i++) await new Promise((r) => setTimeout(r, 25));
  if (!read().includes(text)) throw new Error(`no "${text}" in: ${read()}`);
}

describe('algo sandbox', () => {
  it('prints where it listens and the demo users, serves, and stops cleanly on SIGINT', async () => {
    const p = run(['sandbox', '--port', '0']);
    await waitFor(p.out, 'Press Ctrl-C');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(p.out())![1]!;
    for (const text of ['SB0001  Asha Rao', 'SB0002  Vikram Mehta', 'SB0003  Priya Nair', 'password "sandbox"', `${url}/connect/login`, 'ws://127.0.0.1:']) {
      expect(p.out()).toContain(text);
    }
    expect(p.out()).not.toContain('sandbox_api_secret');
    const page = await fetch(`${url}/connect/login?api_key=sandbox_api_key&v=3`);
    expect(page.status).toBe(200);
    await page.text();
    p.child.kill('SIGINT');
    expect(await p.exit).toBe(0);
    expect(p.out()).toContain('Sandbox stopped (SIGINT).');
    expect(p.err()).toBe('');
    await expect(fetch(`${url}/connect/login`)).rejects.toThrow();
  });

  it('prints one JSON document with --json, makes the signing key, and stops on SIGTERM', async () => {
    const p = run(['--json', 'sandbox', '--port', '0', '--always-open']);
    await waitFor(p.out, '\n');
    const info = JSON.parse(p.out()) as { url: string; port: number; alwaysOpen: boolean; users: Array<{ userId: string }> };
    expect(info.alwaysOpen).toBe(true);
    expect(info.url).toBe(`http://127.0.0.1:${info.port}`);
    expect(info.users.map((u) => u.userId)).toEqual(['SB0001', 'SB0002', 'SB0003']);
    const key = fs.readFileSync(`${dataDir}/sandbox.key`, 'utf8');
    expect(key).toMatch(/^[0-9a-f]{64}\n$/);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    expect(p.out().trim().split('\n')).toHaveLength(1);
  });

  it('says in one line which port is taken and what to do', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const p = run(['sandbox', '--port', String(port)]);
      expect(await p.exit).toBe(1);
      const lines = p.err().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${port}`);
      expect(lines[0]).toContain('--port');
      expect(p.out()).toBe('');
    } finally {
      blocker.close();
    }
  });

  it('imitates a Kite Connect plan with --plan, and says which', async () => {
    const p = run(['--json', 'sandbox', '--port', '0', '--plan', 'no-historical']);
    await waitFor(p.out, '\n');
    const info = JSON.parse(p.out()) as { url: string; plan: string };
    expect(info.plan).toBe('no-historical');
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    const text = run(['sandbox', '--port', '0', '--plan', 'personal']);
    await waitFor(text.out, 'Press Ctrl-C');
    expect(text.out()).toContain('app plan     personal (orders and portfolio only');
    expect(text.out()).toContain('ALGO_SANDBOX_PLAN=personal algo login --sandbox');
    text.child.kill('SIGINT');
    expect(await text.exit).toBe(0);
    const bad = run(['sandbox', '--port', '0', '--plan', 'gold']);
    expect(await bad.exit).toBe(2);
    expect(bad.err()).toContain('--plan must be one of connect, no-historical, personal, got "gold"');
  });

  it('refuses a bad --port as a usage error', async () => {
    const p = run(['sandbox', '--port', 'http']);
    expect(await p.exit).toBe(2);
    expect(p.err()).toContain('--port must be a whole number 0-65535');
  });
});
