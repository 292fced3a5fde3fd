import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliFixture, ensureBuilt } from '../helpers/cli.js';
import { sandboxGet, startTestSandbox } from '../helpers/sandbox.js';

const AT = '2026-01-07T14:00:00+05:30';
const { dataDir, algo, sessionFile } = cliFixture(afterEach, AT, 'algo-profiles-');
beforeAll(() => ensureBuilt(), 180_000);
const readJson = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8'));

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('algo profile', () => {
  it('add (secret from KITE_API_SECRET), list, use, remove', async () => {
    const dir = dataDir();
    const secret = 'live-secret-value-123456';
    const add = await algo(dir, ['profile', 'add', 'live', '--api-key', 'live_key_1'], { KITE_API_SECRET: secret });
    expect(add.code).toBe(0);
    expect(add.stdout).toBe('Added profile live; sign in with `algo login --profile live`\n');
    expect(readJson(path.join(dir, 'config.json')).profiles.live).toEqual({ apiKey: 'live_key_1', apiSecret: secret });
    expect(fs.statSync(path.join(dir, 'config.json')).mode & 0o777).toBe(0o600);

    expect((await algo(dir, ['profile', 'add', 'sb', '--sandbox'])).code).toBe(0);
    const dup = await algo(dir, ['profile', 'add', 'sb', '--sandbox']);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toBe('algo: profile "sb" already exists; remove it first with `algo profile remove sb`\n');

    expect((await algo(dir, ['login', '--profile', 'sb', '--user', 'SB0003', '--port', '0'])).code).toBe(0);
    const list = await algo(dir, ['profile', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([
      { name: 'live', default: true, api_key: 'live_key_1', user_id: null, sandbox: false, session: 'none', expires_at: null },
      { name: 'sb', default: false, api_key: 'sandbox_api_key', user_id: 'SB0003', sandbox: true, session: 'active', expires_at: '2026-01-08T00:30:00.000Z' },
    ]);
    expect(list.stdout).not.toContain(secret);
    const human = await algo(dir, ['profile', 'list']);
    expect(human.stdout).toMatch(/^ +PROFILE +USER +MODE +SESSION +EXPIRES \(IST\)\n\* +live +- +live +none +-\n +sb +SB0003 +sandbox +active +2026-01-08 06:00:00\n$/);
    expect(human.stdout).not.toContain(secret);

    const use = await algo(dir, ['profile', 'use', 'sb']);
    expect(use.stdout).toBe('Default profile is now sb\n');
    expect(JSON.parse((await algo(dir, ['whoami', '--json'])).stdout).user_id).toBe('SB0003');
    expect((await algo(dir, ['profile', 'use', 'nope'])).code).toBe(2);

    const noTty = await algo(dir, ['profile', 'remove', 'sb']);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toBe('algo: cannot ask for confirmation without a terminal; add --yes to remove profile sb\n');
    expect(fs.existsSync(sessionFile(dir, 'SB0003'))).toBe(true);

    fs.mkdirSync(path.join(dir, 'paper'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'algo.db'), 'paper');
    const rm = await algo(dir, ['profile', 'remove', 'sb', '--yes']);
    expect(rm.code).toBe(0);
    expect(rm.stdout).toBe('Removed profile sb and its session; its paper account is kept\n');
    expect(fs.existsSync(sessionFile(dir, 'SB0003'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'algo.db'), 'utf8')).toBe('paper');
    expect(Object.keys(readJson(path.join(dir, 'config.json')).profiles)).toEqual(['live']);
  });

  it('names of Object.prototype members are no profile: the normal "no profile named" answer, and nothing breaks', async () => {
    const dir = dataDir();
    expect((await algo(dir, ['login', '--sandbox', '--user', 'SB0001', '--profile', 'a', '--port', '0'])).code).toBe(0);
    const config = fs.readFileSync(path.join(dir, 'config.json'), 'utf8');

    const use = await algo(dir, ['profile', 'use', 'valueOf']);
    expect(use.code).toBe(2);
    expect(use.stderr).toBe('algo: no profile named "valueOf"; see `algo profile list`, or create it with `algo profile add NAME` or `algo login --profile NAME`\n');
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      const who = await algo(dir, ['whoami', '--profile', name]);
      expect(who.code).toBe(3);
      expect(who.stderr).toContain(`no profile named "${name}"`);
      const out = await algo(dir, ['logout', '--profile', name]);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain(`no profile named "${name}"`);
      const rm = await algo(dir, ['profile', 'remove', name, '--yes']);
      expect(rm.code).toBe(2);
      expect(rm.stderr).toContain(`no profile named "${name}"`);
    }
    const activity = await algo(dir, ['activity', '--profile', 'constructor']);
    expect(activity.code).toBe(2);
    expect(activity.stderr).toBe('algo: profile constructor has no user yet; run `algo login --profile constructor`, or pass --user ID\n');
    expect(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(config);

    // Every command still works on the real profile.
    expect(JSON.parse((await algo(dir, ['whoami', '--json'])).stdout).user_id).toBe('SB0001');
    expect(JSON.parse((await algo(dir, ['profile', 'list', '--json'])).stdout).map((p: { name: string }) => p.name)).toEqual(['a']);

    // `constructor` cannot be made a profile (the config could not keep it): refused before anything is signed in.
    const login = await algo(dir, ['login', '--sandbox', '--user', 'SB0002', '--profile', 'constructor', '--port', '0']);
    expect(login.code).toBe(2);
    expect(login.stderr).toBe('algo: "constructor" cannot be a profile name; it is reserved; pick another name\n');
    expect(fs.existsSync(sessionFile(dir, 'SB0002'))).toBe(false);
    expect((await algo(dir, ['profile', 'add', 'prototype', '--sandbox'])).code).toBe(2);
    expect(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(config);
  });

  it('never prompts without a terminal: names the flag or variable instead', async () => {
    const dir = dataDir();
    const add = await algo(dir, ['profile', 'add', 'live', '--api-key', 'k1']);
    expect(add.code).toBe(2);
    expect(add.stderr).toBe('algo: cannot ask for the API secret without a terminal; set KITE_API_SECRET (a secret is never taken as an argument)\n');
    const addNoKey = await algo(dir, ['profile', 'add', 'live']);
    expect(addNoKey.stderr).toBe('algo: cannot ask for the API key without a terminal; pass --api-key KEY or set KITE_API_KEY\n');

    const login = await algo(dir, ['login', '--profile', 'live', '--no-browser', '--port', '0'], { ALGO_SANDBOX: '0' });
    expect(login.code).toBe(2);
    expect(login.stderr).toBe('algo: cannot ask for the API key of new profile live without a terminal; set KITE_API_KEY and KITE_API_SECRET, or run `algo profile add` in a terminal\n');
    const loginNoSecret = await algo(dir, ['login', '--profile', 'live', '--no-browser', '--port', '0'], { KITE_API_KEY: 'k1' });
    expect(loginNoSecret.code).toBe(2);
    expect(loginNoSecret.stderr).toBe('algo: cannot ask for the API secret of profile live without a terminal; set KITE_API_SECRET\n');
    expect(fs.existsSync(path.join(dir, 'config.json'))).toBe(false);

    // There is no flag that takes a secret.
    const flag = await algo(dir, ['profile', 'add', 'live', '--api-key', 'k1', '--api-secret', 's']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--api-secret'");
  });
});

describe('algo logout', () => {
  it('ends the session at Kite and removes the file', async () => {
    const dir = dataDir();
    expect((await algo(dir, ['login', '--sandbox', '--user', 'SB0001', '--profile', 'a', '--port', '0'])).code).toBe(0);
    const token = readJson(sessionFile(dir, 'SB0001')).access_token as string;
    const r = await algo(dir, ['logout', '--profile', 'a']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Signed out SB0001 from profile a\n');
    expect(r.stderr).toBe('');
    expect(fs.existsSync(sessionFile(dir, 'SB0001'))).toBe(false);
    // The token is revoked for every sandbox on this data folder.
    const sandbox = await startTestSandbox({ dataDir: dir, at: Date.parse(AT) });
    try {
      const res = await sandboxGet(sandbox.handle, '/user/profile', token);
      expect(res.status).toBe(403);
    } finally {
      await sandbox.close();
    }
    const again = await algo(dir, ['logout', '--profile', 'a']);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('profile a was not signed in\n');
    expect((await algo(dir, ['whoami', '--profile', 'a'])).code).toBe(3);
  });

  it('Kite unreachable: still removes the file and says so', async () => {
    const dir = dataDir();
    expect((await algo(dir, ['login', '--sandbox', '--user', 'SB0001', '--profile', 'a', '--port', '0'])).code).toBe(0);
    expect((await algo(dir, ['login', '--sandbox', '--user', 'SB0002', '--profile', 'b', '--port', '0'])).code).toBe(0);
    const port = await closedPort();
    const r = await algo(dir, ['logout', '--all'], { KITE_API_ROOT: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Signed out SB0001 from profile a\nSigned out SB0002 from profile b\n');
    expect(r.stderr).toContain(
      `algo: could not end the session at Kite (cannot reach Kite at http://127.0.0.1:${port} (ECONNREFUSED); check the network connection (or KITE_API_ROOT) and try again); removed the local session anyway\n`,
    );
    expect(fs.readdirSync(path.join(dir, 'sessions'))).toEqual([]);
  });

  it('a session shared by two profiles of one user: only the named profile is signed out, and the output says who keeps it', async () => {
    const dir = dataDir();
    for (const p of ['sb', 'sb2']) expect((await algo(dir, ['login', '--sandbox', '--user', 'SB0001', '--profile', p, '--port', '0'])).code).toBe(0);
    const token = readJson(sessionFile(dir, 'SB0001')).access_token as string;

    const r = await algo(dir, ['logout', '--profile', 'sb']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Signed out SB0001 from profile sb; the session stays for profile sb2 (the same user), so it was not ended at Kite\n');
    expect(r.stderr).toBe('');
    expect((await algo(dir, ['whoami', '--profile', 'sb'])).code).toBe(3);
    const other = await algo(dir, ['whoami', '--profile', 'sb2', '--json']);
    expect(other.code, other.stderr).toBe(0);
    expect(JSON.parse(other.stdout)).toMatchObject({ profile: 'sb2', user_id: 'SB0001' });
    expect(readJson(sessionFile(dir, 'SB0001'))).toMatchObject({ access_token: token, profile: 'sb2' });
    expect(readJson(path.join(dir, 'config.json')).profiles).toEqual({
      sb: { apiKey: 'sandbox_api_key', sandbox: true },
      sb2: { apiKey: 'sandbox_api_key', userId: 'SB0001', sandbox: true },
    });
    // The token still works at the sandbox, for sb2.
    const sandbox = await startTestSandbox({ dataDir: dir, at: Date.parse(AT) });
    try {
      expect((await sandboxGet(sandbox.handle, '/user/profile', token)).status).toBe(200);
    } finally {
      await sandbox.close();
    }

    // The last profile of the session ends it.
    const last = await algo(dir, ['logout', '--profile', 'sb2', '--json']);
    expect(JSON.parse(last.stdout)).toEqual({ profile: 'sb2', user_id: 'SB0001', signed_out: true, kite: 'ended' });
    expect(fs.existsSync(sessionFile(dir, 'SB0001'))).toBe(false);
  });

  it('--json names the profiles that keep a shared session; --all signs every sharer out at once', async () => {
    const dir = dataDir();
    for (const p of ['a', 'b', 'c']) expect((await algo(dir, ['login', '--sandbox', '--user', 'SB0001', '--profile', p, '--port', '0'])).code).toBe(0);
    const one = await algo(dir, ['logout', '--profile', 'a', '--json']);
    expect(JSON.parse(one.stdout)).toEqual({ profile: 'a', user_id: 'SB0001', signed_out: true, kite: 'kept', kept_for: ['b', 'c'] });
    expect((await algo(dir, ['login', '--sandbox', '--user', 'SB0002', '--profile', 'a', '--port', '0'])).code).toBe(0);

    const all = await algo(dir, ['logout', '--all']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toBe('Signed out SB0002 from profile a\nSigned out SB0001 from profile b\nSigned out SB0001 from profile c\n');
    expect(fs.readdirSync(path.join(dir, 'sessions'))).toEqual([]);
  });

  it('an unknown profile is a usage error', async () => {
    const dir = dataDir();
    const r = await algo(dir, ['logout', '--profile', 'ghost']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no profile named "ghost"');
  });
});
