import fs from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliFixture, ensureBuilt, spawnCli, type CliProcess } from '../helpers/cli.js';
import { signInOnPage } from '../helpers/sandbox.js';

/**
 * What `algo login` says about the way it signs in: `--sandbox --user` uses no browser and prints
 * no URL, and a profile that belongs to another user is refused in words that fit the way the
 * sign-in was made (the browser, a pasted URL, a demo user), always offering `--profile NEW`.
 */
const AT = '2026-01-07T14:00:00+05:30';
const { dataDir, algo, sessionFile } = cliFixture(afterEach, AT, 'algo-login-words-');
const children: CliProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
});
beforeAll(() => ensureBuilt(), 180_000);

async function signIn(dir: string, user: string, profile: string) {
  const r = await algo(dir, ['login', '--sandbox', '--user', user, '--profile', profile, '--port', '0']);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

function start(dir: string, args: string[]): CliProcess {
  const proc = spawnCli(args, { dataDir: dir, env: { ALGO_CLOCK: AT } });
  children.push(proc);
  return proc;
}

describe('algo login --sandbox --user', () => {
  it('prints no login URL: only the result', async () => {
    const dir = dataDir();
    const r = await signIn(dir, 'SB0001', 'a');
    expect(r.stdout).toBe('Signed in as SB0001 (Asha Rao) for profile a (sandbox); session valid until 2026-01-08 06:00:00 IST\n');
    expect(r.stderr).toBe('created profile a\n');
    expect(r.stderr + r.stdout).not.toMatch(/http:|connect\/login|Sign in to/);
  });

  it('another demo user for the profile: refused before signing in, no browser named, --profile NEW offered', async () => {
    const dir = dataDir();
    await signIn(dir, 'SB0001', 'a');
    const before = fs.readFileSync(sessionFile(dir, 'SB0001'), 'utf8');
    const r = await algo(dir, ['login', '--sandbox', '--user', 'SB0002', '--profile', 'a', '--port', '0']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'algo: profile a belongs to SB0001, not SB0002; nothing was signed in; sign SB0002 in to a profile of its own with `algo login --sandbox --user SB0002 --profile NEW`, sign profile a in as SB0001 with `algo login --sandbox --user SB0001 --profile a`, or add --force to make profile a SB0002\'s\n',
    );
    expect(r.stderr).not.toContain('browser');
    expect(r.stderr).not.toContain('http:');
    expect(fs.existsSync(sessionFile(dir, 'SB0002'))).toBe(false);
    expect(fs.readFileSync(sessionFile(dir, 'SB0001'), 'utf8')).toBe(before);

    // The suggestion works as written.
    const other = await signIn(dir, 'SB0002', 'b');
    expect(other.stdout).toContain('Signed in as SB0002 (Vikram Mehta) for profile b (sandbox)');
  });
});

describe('another user in the browser or in a pasted URL', () => {
  it('the browser: named, with --profile NEW; nothing is saved', async () => {
    const dir = dataDir();
    await signIn(dir, 'SB0001', 'a');
    const proc = start(dir, ['login', '--sandbox', '--no-browser', '--port', '0', '--profile', 'a']);
    const [, text] = await proc.waitFor(/^\s+(http:\S+)$/m);
    const landed = await signInOnPage(new URL(text!), 'SB0002');
    await fetch(landed).then((r) => r.arrayBuffer());
    const r = await proc.done;
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      "algo: profile a belongs to SB0001 but the browser signed in as SB0002; to use SB0002, sign in to a profile of its own with `algo login --sandbox --profile NEW`; to stay with SB0001, log out of Kite in the browser and sign in as SB0001; or add --force to make profile a SB0002's\n",
    );
    expect(fs.existsSync(sessionFile(dir, 'SB0002'))).toBe(false);
  });

  it('a pasted URL (--manual): says it was the pasted sign-in, with --profile NEW', async () => {
    const dir = dataDir();
    await signIn(dir, 'SB0001', 'a');
    // --manual starts no listener: sign in on the page of the sandbox this login started, then paste where it landed.
    const proc = start(dir, ['login', '--sandbox', '--manual', '--port', '0', '--profile', 'a']);
    const [, text] = await proc.waitFor(/^\s+(http:\S+)$/m);
    const landed = await signInOnPage(new URL(text!), 'SB0002');
    proc.child.stdin!.end(`${landed.toString()}\n`);
    const r = await proc.done;
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      "algo: profile a belongs to SB0001 but the pasted URL is a sign-in as SB0002; to use SB0002, sign in to a profile of its own with `algo login --sandbox --profile NEW`; to stay with SB0001, log out of Kite in the browser and sign in as SB0001; or add --force to make profile a SB0002's\n",
    );
    expect(fs.existsSync(sessionFile(dir, 'SB0002'))).toBe(false);
  });
});
