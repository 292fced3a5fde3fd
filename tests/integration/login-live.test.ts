import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, spawnCli, tempDataDir, type CliProcess } from '../helpers/cli.js';
import { loginViaPage, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * A "live" profile (not sandbox mode) whose Kite is a sandbox this test runs: KITE_API_ROOT and
 * KITE_LOGIN_URL point at it. Live mode sends no redirect_url, so the sandbox redirects to the
 * app's registered 127.0.0.1:5959/callback, and the person pastes that URL (--manual).
 */
const AT = '2026-01-07T14:00:00+05:30';
let sandbox: TestSandbox;
const dirs: string[] = [];
const children: CliProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  sandbox = await startTestSandbox({ at: Date.parse(AT) });
}, 180_000);
afterAll(async () => sandbox.close());
afterEach(() => {
  for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function liveEnv(secret: string): Record<string, string> {
  return {
    ALGO_CLOCK: AT,
    KITE_API_ROOT: sandbox.handle.apiRoot,
    KITE_LOGIN_URL: sandbox.handle.loginUrl,
    KITE_API_KEY: 'sandbox_api_key',
    KITE_API_SECRET: secret,
  };
}

/** Start `algo login --manual`, sign in on the page as a person would, paste what the browser ended on. */
async function manualLogin(secret: string, opts: { user?: string; tamper?: (u: URL) => void } = {}) {
  const dir = tempDataDir('algo-live-');
  dirs.push(dir);
  const proc = spawnCli(['login', '--profile', 'live', '--manual'], { dataDir: dir, env: liveEnv(secret) });
  children.push(proc);
  const [, text] = await proc.waitFor(/^\s+(http:\S+)$/m);
  const url = new URL(text!);
  expect(url.searchParams.has('redirect_url')).toBe(false);
  const redirectParams = url.searchParams.get('redirect_params')!;
  const result = await loginViaPage(sandbox.handle, opts.user ?? 'SB0001', { redirectParams });
  const landed = result.location!;
  expect(landed.origin + landed.pathname).toBe('http://127.0.0.1:5959/callback');
  opts.tamper?.(landed);
  proc.child.stdin!.end(`${landed.toString()}\n`);
  return { dir, result: await proc.done, requestToken: result.requestToken! };
}

describe('login against a live-style Kite, pasting the redirect (--manual)', () => {
  it('signs in and stores a live session and profile', async () => {
    const { dir, result } = await manualLogin('sandbox_api_secret');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Signed in as SB0001 (Asha Rao) for profile live; session valid until 2026-01-08 06:00:00 IST\n');
    const session = JSON.parse(fs.readFileSync(path.join(dir, 'sessions', 'SB0001.json'), 'utf8'));
    expect(session.sandbox).toBe(false);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(config.profiles.live).toEqual({ apiKey: 'sandbox_api_key', apiSecret: 'sandbox_api_secret', userId: 'SB0001' });
    const who = await runCli(['whoami', '--json'], { dataDir: dir, env: { ALGO_CLOCK: AT } });
    expect(JSON.parse(who.stdout)).toMatchObject({ profile: 'live', user_id: 'SB0001', sandbox: false });
  });

  it('a bad API secret: Kite refuses the exchange, exit 3, nothing saved', async () => {
    const { dir, result, requestToken } = await manualLogin('not-the-secret-1234');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      "algo: Kite refused the sign-in for profile live (Invalid checksum.); check the profile's API secret (algo profile remove live, then algo profile add live) and run `algo login --profile live` again\n",
    );
    expect(result.stderr + result.stdout).not.toContain('not-the-secret-1234');
    expect(result.stderr + result.stdout).not.toContain(requestToken);
    expect(fs.existsSync(path.join(dir, 'sessions', 'SB0001.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'config.json'))).toBe(false);
  });

  it('a pasted URL with another state is refused', async () => {
    const { dir, result } = await manualLogin('sandbox_api_secret', { tamper: (u) => u.searchParams.set('state', 'someone-elses-state') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('algo: the pasted URL does not belong to this login (its state does not match)');
    expect(fs.existsSync(path.join(dir, 'sessions'))).toBe(false);
  });
});
