import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, spawnCli, tempDataDir, type CliProcess } from '../helpers/cli.js';
import { signInOnPage } from '../helpers/sandbox.js';

const AT = '2026-01-07T14:00:00+05:30';
const dirs: string[] = [];
const children: CliProcess[] = [];
function dataDir(): string {
  const d = tempDataDir('algo-listener-');
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
beforeAll(() => ensureBuilt(), 180_000);

/** `algo login --sandbox --no-browser --port 0`, waiting for a person: its URL, listener and state. */
async function waitingLogin(dir: string, extra: string[] = []) {
  const proc = spawnCli(['login', '--sandbox', '--no-browser', '--port', '0', '--profile', 'p', ...extra], { dataDir: dir, env: { ALGO_CLOCK: AT } });
  children.push(proc);
  const [, text] = await proc.waitFor(/^\s+(http:\S+)$/m);
  await proc.waitFor(/waiting up to \d+ s for the sign-in/);
  const loginUrl = new URL(text!);
  const callback = new URL(loginUrl.searchParams.get('redirect_url')!);
  const state = new URLSearchParams(loginUrl.searchParams.get('redirect_params')!).get('state')!;
  return { proc, loginUrl, callback, state, port: Number(callback.port) };
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(url: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

describe('the login listener under fire', () => {
  it('ignores forged callbacks, takes the real one, then refuses connections', async () => {
    const dir = dataDir();
    const w = await waitingLogin(dir);
    expect(w.callback.hostname).toBe('127.0.0.1');
    expect(w.callback.pathname).toBe('/callback');

    const noState = await get(`http://127.0.0.1:${w.port}/callback?status=success&request_token=forged`);
    const wrongState = await get(`http://127.0.0.1:${w.port}/callback?status=success&request_token=forged&state=${w.state.slice(1)}x`);
    const wrongPath = await get(`http://127.0.0.1:${w.port}/other?status=success&request_token=forged&state=${w.state}`);
    expect([noState.status, wrongState.status, wrongPath.status]).toEqual([400, 400, 404]);
    await w.proc.waitFor(/ignored a request for \/other/);
    expect(w.proc.stderr()).toContain('algo: ignored a callback without a state\n');
    expect(w.proc.stderr()).toContain('algo: ignored a callback with the wrong state\n');
    expect(w.proc.child.exitCode).toBeNull(); // still waiting

    const redirect = await signInOnPage(w.loginUrl, 'SB0002');
    expect(redirect.origin).toBe(w.callback.origin);
    const page = await get(redirect.toString());
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(page.body).toContain('Signed in to the Kite sandbox as SB0002 for profile p');
    expect(await refused(w.port)).toBe(true); // a second callback finds the listener gone

    const r = await w.proc.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Signed in as SB0002');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'sessions', 'SB0002.json'), 'utf8')).profile).toBe('p');
  });

  it('--timeout 1: gives up, closes the port, saves nothing', async () => {
    const dir = dataDir();
    const w = await waitingLogin(dir, ['--timeout', '1']);
    const r = await w.proc.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('algo: no sign-in arrived within 1 s; run `algo login` again (--timeout SECONDS gives more time; --manual lets you paste the redirected URL)\n');
    expect(await refused(w.port)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'sessions'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'config.json'))).toBe(false);
  });

  it('Ctrl-C while waiting: exits non-zero, closes the port, saves nothing', async () => {
    const dir = dataDir();
    const w = await waitingLogin(dir);
    w.proc.child.kill('SIGINT');
    const r = await w.proc.done;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('algo: login cancelled\n');
    expect(await refused(w.port)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'sessions'))).toBe(false);
  });

  it('a port in use says how to pick another', async () => {
    const dir = dataDir();
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const r = await runCli(['login', '--sandbox', '--user', 'SB0001', '--port', String(port)], { dataDir: dir, env: { ALGO_CLOCK: AT } });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`algo: port ${port} is in use; pick another with --port N (and register http://127.0.0.1:N/callback in your Kite app)\n`);
    } finally {
      await new Promise<void>((r) => busy.close(() => r()));
    }
  });

  it('no secret appears in any output or listener response of a full login', async () => {
    const dir = dataDir();
    const seen: string[] = [];
    const w = await waitingLogin(dir, ['--json']);
    seen.push((await get(`http://127.0.0.1:${w.port}/callback?state=wrong&request_token=x&status=success`)).body);
    const redirect = await signInOnPage(w.loginUrl, 'SB0001');
    const requestToken = redirect.searchParams.get('request_token')!;
    const page = await get(redirect.toString());
    seen.push(page.body, JSON.stringify(page.headers));
    const login = await w.proc.done;
    expect(login.code).toBe(0);
    seen.push(login.stdout, login.stderr);

    const session = JSON.parse(fs.readFileSync(path.join(dir, 'sessions', 'SB0001.json'), 'utf8'));
    const env = { ALGO_CLOCK: AT };
    for (const args of [['whoami', '--json'], ['whoami', '--all'], ['profile', 'list'], ['profile', 'list', '--json']]) {
      const r = await runCli(args, { dataDir: dir, env });
      seen.push(r.stdout, r.stderr);
    }
    // Error paths too: a refused user and an expired session.
    const refusedUser = await runCli(['login', '--sandbox', '--user', 'SB0002', '--port', '0', '--profile', 'p'], { dataDir: dir, env });
    // (A sandbox session renews itself with the folder's signing key: without it, it stays expired.)
    const key = path.join(dir, 'sandbox.key');
    fs.renameSync(key, `${key}.away`);
    const expired = await runCli(['whoami'], { dataDir: dir, env: { ALGO_CLOCK: '2026-01-09T10:00:00+05:30' } });
    fs.renameSync(`${key}.away`, key);
    const debug = await runCli(['whoami', '--profile', 'nobody'], { dataDir: dir, env: { ...env, ALGO_DEBUG: '1' } });
    expect([refusedUser.code, expired.code, debug.code]).toEqual([3, 3, 3]);
    seen.push(refusedUser.stdout, refusedUser.stderr, expired.stderr, debug.stderr);
    const logout = await runCli(['logout'], { dataDir: dir, env });
    expect(logout.code).toBe(0);
    seen.push(logout.stdout, logout.stderr);

    const all = seen.join('\n');
    expect(all).toContain('SB0001'); // the outputs are really here
    for (const secret of [session.access_token, session.public_token, session.session_token, requestToken, 'sandbox_api_secret']) {
      expect(secret.length).toBeGreaterThan(5);
      expect(all).not.toContain(secret);
    }
  });
});
