import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig, saveProfile } from '../../src/core/auth/profiles.js';
import { currentSession, requireSession } from '../../src/core/auth/require.js';
import { issueSandboxToken, readSandboxKey, signedWith } from '../../src/core/auth/sandbox-signin.js';
import { createSession, readSession, sessionPath, writeSession, type Session } from '../../src/core/auth/sessions.js';
import { ManualClock } from '../../src/core/clock.js';
import { AuthError } from '../../src/core/errors.js';
import { loadSigningKey, signAccessToken, SandboxTokens, verifyAccessToken } from '../../src/sandbox/tokens.js';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { loggedInKite, sandboxGet, startTestSandbox, tempDataDir } from '../helpers/sandbox.js';

/**
 * A sandbox session renews itself at its 06:00 IST expiry: the sandbox app and the data folder's
 * signing key are local, so requireSession re-issues it for the same user, and the sandbox on that
 * folder (the real one, in src/sandbox) takes the new token. A live session is never renewed: its
 * expiry names the login command for that profile.
 */

const LOGIN = Date.parse('2026-01-07T14:00:00+05:30');
const EXPIRY = Date.parse('2026-01-08T06:00:00+05:30');
const AFTER = Date.parse('2026-01-08T06:00:01+05:30');
const NEXT_EXPIRY = Date.parse('2026-01-09T06:00:00+05:30');
const quiet = (): void => undefined;

const dirs: string[] = [];
function dataDir(): string {
  const d = tempDataDir('algo-renew-');
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const ctx = (dir: string, profile: string, now: number) => ({ settings: { dataDir: dir, profile }, configFile: readConfig(dir), clock: new ManualClock(now) });

/** A data folder signed in to the sandbox as SB0001 for profile sb, the way `algo login --sandbox --user` does it (a real sandbox issues the token). */
async function sandboxSignedIn(): Promise<{ dir: string; session: Session }> {
  const dir = dataDir();
  const sandbox = await startTestSandbox({ dataDir: dir, at: LOGIN });
  try {
    const { accessToken } = await loggedInKite(sandbox.handle, 'SB0001');
    const session = createSession({ user_id: 'SB0001', user_name: 'Asha Rao', email: 'asha.rao@sandbox.invalid', broker: 'ZERODHA', api_key: SANDBOX_APP.apiKey, access_token: accessToken, public_token: 'pub-abcdef', loginTime: LOGIN, sandbox: true, profile: 'sb' });
    await writeSession(dir, session, quiet);
    await saveProfile(dir, 'sb', { apiKey: SANDBOX_APP.apiKey, sandbox: true, userId: 'SB0001' });
    return { dir, session };
  } finally {
    await sandbox.close();
  }
}

describe('sandbox tokens made in core', () => {
  it('are the sandbox’s own: each side verifies what the other signed', () => {
    const dir = dataDir();
    const key = loadSigningKey(dir);
    expect(readSandboxKey(dir)).toEqual(key);
    const ours = issueSandboxToken(key, 'SB0002', SANDBOX_APP.apiKey, LOGIN);
    expect(verifyAccessToken(key, SANDBOX_APP.apiKey, ours, LOGIN)).toMatchObject({ userId: 'SB0002', apiKey: SANDBOX_APP.apiKey, issuedAt: LOGIN, expiresAt: EXPIRY });
    expect(verifyAccessToken(key, SANDBOX_APP.apiKey, ours, EXPIRY)).toBeNull();
    const theirs = signAccessToken(key, { userId: 'SB0003', apiKey: SANDBOX_APP.apiKey, issuedAt: LOGIN, expiresAt: EXPIRY, id: 'abc' });
    expect(signedWith(key, theirs, 'SB0003', SANDBOX_APP.apiKey)).toBe(true);
    expect(signedWith(key, theirs, 'SB0001', SANDBOX_APP.apiKey)).toBe(false);
    expect(signedWith(Buffer.alloc(32, 7), theirs, 'SB0003', SANDBOX_APP.apiKey)).toBe(false);
    expect(signedWith(key, 'forged-token', 'SB0003', SANDBOX_APP.apiKey)).toBe(false);
    expect(new SandboxTokens(dir, new ManualClock(LOGIN)).userOf(SANDBOX_APP.apiKey, ours)).toBe('SB0002');
  });

  it('no key in the folder (no sandbox ran there yet): nothing to sign with', () => {
    expect(readSandboxKey(dataDir())).toBeUndefined();
  });
});

describe('requireSession at 06:00 IST', () => {
  it('re-issues an expired sandbox session for the same user; the sandbox takes the new token', async () => {
    const { dir, session: old } = await sandboxSignedIn();
    const s = await requireSession(ctx(dir, 'sb', AFTER), quiet);
    expect(s).toMatchObject({ user_id: 'SB0001', user_name: 'Asha Rao', profile: 'sb', sandbox: true, login_time: '2026-01-08T06:00:01+05:30', expires_at: '2026-01-09T06:00:00+05:30' });
    expect(s.access_token).not.toBe(old.access_token);
    expect(s.session_token).not.toBe(old.session_token);
    expect(readSession(dir, 'SB0001', quiet)).toEqual(s);
    expect(fs.statSync(sessionPath(dir, 'SB0001')).mode & 0o777).toBe(0o600);

    const sandbox = await startTestSandbox({ dataDir: dir, at: AFTER });
    try {
      const me = await sandboxGet(sandbox.handle, '/user/profile', s.access_token);
      expect(me.status).toBe(200);
      expect((me.body as { data: { user_id: string } }).data.user_id).toBe('SB0001');
      expect((await sandboxGet(sandbox.handle, '/user/profile', old.access_token)).status).toBe(403);
    } finally {
      await sandbox.close();
    }
    // Renewed once: the next call gets the same session until the next 06:00.
    expect((await requireSession(ctx(dir, 'sb', NEXT_EXPIRY - 1), quiet)).session_token).toBe(s.session_token);
  });

  it('a session that has not expired is left alone', async () => {
    const { dir, session } = await sandboxSignedIn();
    expect(await requireSession(ctx(dir, 'sb', EXPIRY - 1), quiet)).toEqual(session);
    expect(await currentSession(dir, readConfig(dir).profiles.sb!, EXPIRY - 1, quiet)).toEqual(session);
  });

  it('a live session is not renewed: the expiry names `algo login --profile P` and nothing more', async () => {
    const dir = dataDir();
    loadSigningKey(dir); // even with a sandbox key in the folder
    await saveProfile(dir, 'work', { apiKey: 'live_key', apiSecret: 'live-secret-123', userId: 'AB1234' });
    const live = createSession({ user_id: 'AB1234', api_key: 'live_key', access_token: 'live-token-abcdef', loginTime: LOGIN, sandbox: false, profile: 'work' });
    await writeSession(dir, live, quiet);
    const err = await requireSession(ctx(dir, 'work', AFTER), quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).message).toBe('session for work expired at 2026-01-08 06:00:00 IST');
    expect((err as AuthError).hint).toBe('run `algo login --profile work`');
    expect(readSession(dir, 'AB1234', quiet)).toEqual(live);
  });

  it('a sandbox session that cannot be renewed (no signing key here) names --sandbox --user', async () => {
    const { dir } = await sandboxSignedIn();
    fs.rmSync(`${dir}/sandbox.key`);
    const err = await requireSession(ctx(dir, 'sb', AFTER), quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).message).toBe('session for sb expired at 2026-01-08 06:00:00 IST');
    expect((err as AuthError).hint).toBe('run `algo login --profile sb --sandbox --user SB0001`');
  });

  it('a sandbox profile that is not signed in names --sandbox --user too', async () => {
    const dir = dataDir();
    await saveProfile(dir, 'sb', { apiKey: SANDBOX_APP.apiKey, sandbox: true, userId: 'SB0002' });
    await saveProfile(dir, 'fresh', { apiKey: SANDBOX_APP.apiKey, sandbox: true });
    await expect(requireSession(ctx(dir, 'sb', LOGIN), quiet)).rejects.toMatchObject({ message: 'profile sb is not signed in', hint: 'run `algo login --profile sb --sandbox --user SB0002`' });
    await expect(requireSession(ctx(dir, 'fresh', LOGIN), quiet)).rejects.toMatchObject({ hint: 'run `algo login --profile fresh --sandbox --user SB0001`' });
  });
});
