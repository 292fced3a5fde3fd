import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliFixture, ensureBuilt } from '../helpers/cli.js';

/** A pinned clock: 14:00 IST on a Wednesday; sessions made now expire at 06:00 IST on the 8th. */
const AT = '2026-01-07T14:00:00+05:30';
const AFTER_EXPIRY = '2026-01-08T06:00:01+05:30';

const { dataDir, algo, sessionFile } = cliFixture(afterEach, AT, 'algo-login-');
beforeAll(() => ensureBuilt(), 180_000);
const mode = (p: string) => fs.statSync(p).mode & 0o777;

/** Sign in as a demo user; a failure shows what the CLI said. */
async function signIn(dir: string, user: string, profile: string, extra: string[] = []) {
  const r = await algo(dir, ['login', '--sandbox', '--user', user, '--profile', profile, '--port', '0', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe('algo login --sandbox --user', () => {
  it('signs two profiles in as two users; each sees only its own', async () => {
    const dir = dataDir();
    const a = await signIn(dir, 'SB0001', 'a', ['--json']);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout)).toEqual({
      profile: 'a',
      user_id: 'SB0001',
      user_name: 'Asha Rao',
      email: 'asha.rao@sandbox.invalid',
      broker: 'ZERODHA',
      login_time: '2026-01-07T14:00:00+05:30',
      expires_at: '2026-01-08T06:00:00+05:30',
      sandbox: true,
    });
    const b = await signIn(dir, 'SB0002', 'b');
    expect(b.code).toBe(0);
    expect(b.stdout).toBe('Signed in as SB0002 (Vikram Mehta) for profile b (sandbox); session valid until 2026-01-08 06:00:00 IST\n');

    const wa = await algo(dir, ['whoami', '--profile', 'a', '--json']);
    const wb = await algo(dir, ['whoami', '--profile', 'b', '--json']);
    expect([wa.code, wb.code]).toEqual([0, 0]);
    expect(JSON.parse(wa.stdout).user_id).toBe('SB0001');
    expect(JSON.parse(wb.stdout).user_id).toBe('SB0002');
    expect(JSON.parse(wb.stdout).profile).toBe('b');

    // Without --profile: the first profile became the default.
    expect(JSON.parse((await algo(dir, ['whoami', '--json'])).stdout).profile).toBe('a');
    const all = await algo(dir, ['whoami', '--all', '--json']);
    expect(JSON.parse(all.stdout).map((i: { profile: string; user_id: string }) => `${i.profile}:${i.user_id}`)).toEqual(['a:SB0001', 'b:SB0002']);
    const human = await algo(dir, ['whoami', '--profile', 'b']);
    expect(human.stdout).toMatch(/^PROFILE +USER +NAME +BROKER +MODE +SIGNED IN \(IST\) +EXPIRES \(IST\)\nb +SB0002 +Vikram Mehta +ZERODHA +sandbox +2026-01-07 14:00:00 +2026-01-08 06:00:00\n$/);

    for (const u of ['SB0001', 'SB0002']) {
      const s = JSON.parse(fs.readFileSync(sessionFile(dir, u), 'utf8'));
      expect(Object.keys(s).sort()).toEqual(
        ['access_token', 'api_key', 'broker', 'email', 'expires_at', 'login_time', 'profile', 'public_token', 'sandbox', 'session_token', 'user_id', 'user_name'].sort(),
      );
      expect(s.user_id).toBe(u);
      expect(s.api_key).toBe('sandbox_api_key');
      expect(mode(sessionFile(dir, u))).toBe(0o600);
    }
    expect(mode(path.join(dir, 'sessions'))).toBe(0o700);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(config).toEqual({
      defaultProfile: 'a',
      profiles: { a: { apiKey: 'sandbox_api_key', userId: 'SB0001', sandbox: true }, b: { apiKey: 'sandbox_api_key', userId: 'SB0002', sandbox: true } },
    });
    expect(mode(path.join(dir, 'config.json'))).toBe(0o600);
  });

  it('refuses a different user for a profile unless --force', async () => {
    const dir = dataDir();
    expect((await signIn(dir, 'SB0001', 'a')).code).toBe(0);
    const before = fs.readFileSync(sessionFile(dir, 'SB0001'), 'utf8');
    const r = await algo(dir, ['login', '--sandbox', '--user', 'SB0002', '--profile', 'a', '--port', '0']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('algo: profile a belongs to SB0001, not SB0002; nothing was signed in; ');
    expect(r.stderr).toContain('`algo login --sandbox --user SB0002 --profile NEW`');
    expect(fs.existsSync(sessionFile(dir, 'SB0002'))).toBe(false);
    expect(fs.readFileSync(sessionFile(dir, 'SB0001'), 'utf8')).toBe(before);

    const forced = await signIn(dir, 'SB0002', 'a', ['--force']);
    expect(forced.code).toBe(0);
    expect(JSON.parse((await algo(dir, ['whoami', '--profile', 'a', '--json'])).stdout).user_id).toBe('SB0002');
  });

  it('an expired session renews itself for the same user (the sandbox is local): whoami shows the next expiry', async () => {
    const dir = dataDir();
    await signIn(dir, 'SB0001', 'a');
    const list = await algo(dir, ['profile', 'list', '--json'], { ALGO_CLOCK: AFTER_EXPIRY });
    expect(JSON.parse(list.stdout)[0].session).toBe('expired');
    const r = await algo(dir, ['whoami', '--profile', 'a', '--json'], { ALGO_CLOCK: AFTER_EXPIRY });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ profile: 'a', user_id: 'SB0001', login_time: '2026-01-08T06:00:01+05:30', expires_at: '2026-01-09T06:00:00+05:30', sandbox: true });
    const after = await algo(dir, ['profile', 'list', '--json'], { ALGO_CLOCK: AFTER_EXPIRY });
    expect(JSON.parse(after.stdout)[0].session).toBe('active');
  });

  it('a corrupt session file: one warning, then signed out', async () => {
    const dir = dataDir();
    await signIn(dir, 'SB0001', 'a');
    fs.writeFileSync(sessionFile(dir, 'SB0001'), '{ not json');
    const r = await algo(dir, ['whoami', '--profile', 'a']);
    expect(r.code).toBe(3);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^algo: warning: .*SB0001\.json is damaged \(not JSON\); treating SB0001 as signed out$/);
    expect(lines[1]).toBe('algo: profile a is not signed in; run `algo login --profile a --sandbox --user SB0001`');
    // A fresh login repairs it.
    expect((await signIn(dir, 'SB0001', 'a')).code).toBe(0);
    expect((await algo(dir, ['whoami', '--profile', 'a'])).code).toBe(0);
  });

  it('a path-like user id is refused before it touches the disk', async () => {
    const dir = dataDir();
    const r = await algo(dir, ['login', '--sandbox', '--user', '../../etc/passwd', '--profile', 'a', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('algo: "../../etc/passwd" is not a Kite user id; user ids are 2-12 capital letters or digits, e.g. AB1234\n');
    expect(fs.readdirSync(dir)).toEqual([]);

    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ profiles: { a: { apiKey: 'k', userId: '../../x' } } }));
    const w = await algo(dir, ['whoami', '--profile', 'a']);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/^algo: invalid .*config\.json: profiles\.a\.userId must be 2-12 capital letters or digits; /);
  });

  it('an unknown profile is exit 3 with the login hint', async () => {
    const dir = dataDir();
    await signIn(dir, 'SB0001', 'a');
    const r = await algo(dir, ['whoami', '--profile', 'ghost']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('algo: no profile named "ghost" (not signed in); run `algo login --profile ghost`, or see `algo profile list`\n');
  });

  it('an unknown demo user is refused by the sandbox', async () => {
    const dir = dataDir();
    const r = await algo(dir, ['login', '--sandbox', '--user', 'SB0009', '--profile', 'a', '--port', '0']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the sandbox refused the sign-in as SB0009 (HTTP 403)');
    expect(fs.existsSync(path.join(dir, 'sessions', 'SB0009.json'))).toBe(false);
  });
});
