import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliFixture, ensureBuilt, spawnCli, type CliProcess } from '../helpers/cli.js';

/**
 * A session made against a foreground `algo sandbox` that runs on another data folder: its token is
 * signed with that folder's key, so this folder's own (in-process) sandbox refuses it. That is said
 * as it is, by whoami too, and not as an expiry; the same for the other way round.
 */
const AT = '2026-01-07T14:00:00+05:30';
const { dataDir, algo } = cliFixture(afterEach, AT, 'algo-foreign-');
const children: CliProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGTERM');
});
beforeAll(() => ensureBuilt(), 180_000);

/** `algo sandbox --port 0 --json` in the foreground on its own data folder; its URL. */
async function foregroundSandbox(): Promise<string> {
  const proc = spawnCli(['--json', 'sandbox', '--port', '0'], { dataDir: dataDir(), env: { ALGO_CLOCK: AT } });
  children.push(proc);
  const [line] = await proc.waitFor(/^\{.*\}$/m, 'stdout');
  return (JSON.parse(line) as { url: string }).url;
}

describe('a session issued by a sandbox on another data folder', () => {
  it('whoami shows it with a warning; a command that reaches this folder’s sandbox says what is wrong, not "expired"', async () => {
    const url = await foregroundSandbox();
    const dir = dataDir();
    const login = await algo(dir, ['login', '--sandbox', '--user', 'SB0001', '--profile', 'sb', '--port', '0'], { KITE_API_ROOT: url });
    expect(login.code, login.stderr).toBe(0);

    const problem =
      `the session of profile sb (valid until 2026-01-08 06:00:00 IST) was issued by a sandbox on another data folder: its token does not verify with this data folder's key (${dir}/sandbox.key); ` +
      'sign in again here with `algo login --profile sb --sandbox --user SB0001`, or point KITE_API_ROOT at the sandbox that issued it';
    const who = await algo(dir, ['whoami', '--json']);
    expect(who.code).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ profile: 'sb', user_id: 'SB0001', expires_at: '2026-01-08T06:00:00+05:30' });
    expect(who.stderr).toBe(`algo: warning: ${problem}\n`);

    const holdings = await algo(dir, ['portfolio', 'holdings']);
    expect(holdings.code).toBe(3);
    expect(holdings.stderr).toBe(`algo: ${problem}\n`);
    expect(holdings.stderr).not.toContain('expired');

    // Pointed at the sandbox that issued it, it works; and the suggested sign-in makes it work here.
    expect((await algo(dir, ['portfolio', 'holdings'], { KITE_API_ROOT: url })).code).toBe(0);
    const again = await algo(dir, ['login', '--profile', 'sb', '--sandbox', '--user', 'SB0001', '--port', '0']);
    expect(again.code, again.stderr).toBe(0);
    const fixed = await algo(dir, ['portfolio', 'holdings']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect((await algo(dir, ['whoami'])).stderr).toBe('');
  }, 60_000);

  it('the other way round: a session issued here, refused by a sandbox on another folder, is not "expired" either', async () => {
    const url = await foregroundSandbox();
    const dir = dataDir();
    expect((await algo(dir, ['login', '--sandbox', '--user', 'SB0002', '--profile', 'here', '--port', '0'])).code).toBe(0);
    const r = await algo(dir, ['portfolio', 'holdings'], { KITE_API_ROOT: url });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `algo: the sandbox at ${url} refused the session of profile here, valid until 2026-01-08 06:00:00 IST: the session was issued on this data folder (${dir}), and that sandbox runs on another one; ` +
        "sign in to that sandbox with `algo login --profile here --sandbox --user SB0002` (KITE_API_ROOT set as now), or unset KITE_API_ROOT to use this data folder's own sandbox\n",
    );
    expect((await algo(dir, ['whoami'], { KITE_API_ROOT: url })).stderr).toBe('');
  }, 60_000);
});
