import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { saveProfile } from '../../src/core/auth/profiles.js';
import { createSession, writeSession } from '../../src/core/auth/sessions.js';
import { cliFixture, ensureBuilt } from '../helpers/cli.js';

/**
 * 06:00 IST, as the CLI sees it: a sandbox session renews itself, so paper trading (and the
 * sandbox's own portfolio) go on; a live session says to sign in again, with the command that
 * profile needs.
 */
const AT = '2026-01-07T14:00:00+05:30';
const AFTER_EXPIRY = '2026-01-08T06:00:01+05:30';
const { dataDir, algo, sessionFile } = cliFixture(afterEach, AT, 'algo-renew-');
beforeAll(() => ensureBuilt(), 180_000);
const later = { ALGO_CLOCK: AFTER_EXPIRY, ALGO_ALWAYS_OPEN: '1' };

describe('a sandbox session at 06:00 IST', () => {
  it('renews itself: paper commands and the portfolio keep working, as the same user', async () => {
    const dir = dataDir();
    const login = await algo(dir, ['login', '--sandbox', '--user', 'SB0002', '--profile', 'sb', '--port', '0']);
    expect(login.code, login.stderr).toBe(0);
    const before = JSON.parse(fs.readFileSync(sessionFile(dir, 'SB0002'), 'utf8'));

    const buy = await algo(dir, ['paper', 'buy', 'INFY', '2', '--json'], later);
    expect(buy.code, buy.stderr).toBe(0);
    expect(JSON.parse(buy.stdout)).toMatchObject({ tradingsymbol: 'INFY', quantity: 2, status: 'COMPLETE' });
    const positions = await algo(dir, ['paper', 'positions', '--json'], later);
    expect(positions.code, positions.stderr).toBe(0);
    expect(JSON.parse(positions.stdout).net.map((p: { tradingsymbol: string; quantity: number }) => [p.tradingsymbol, p.quantity])).toEqual([['INFY', 2]]);
    // The sandbox's portfolio checks the token: the renewed one is good there.
    const holdings = await algo(dir, ['portfolio', 'holdings', '--json'], later);
    expect(holdings.code, holdings.stderr).toBe(0);

    const after = JSON.parse(fs.readFileSync(sessionFile(dir, 'SB0002'), 'utf8'));
    expect(after).toMatchObject({ user_id: 'SB0002', profile: 'sb', sandbox: true, expires_at: '2026-01-09T06:00:00+05:30' });
    expect(after.access_token).not.toBe(before.access_token);
    const all = await algo(dir, ['whoami', '--all', '--json'], later);
    expect(JSON.parse(all.stdout).map((i: { profile: string; user_id: string }) => `${i.profile}:${i.user_id}`)).toEqual(['sb:SB0002']);
  });

  it('cannot renew without the folder’s signing key: the hint is `--sandbox --user`, never a browser login', async () => {
    const dir = dataDir();
    expect((await algo(dir, ['login', '--sandbox', '--user', 'SB0001', '--profile', 'sb', '--port', '0'])).code).toBe(0);
    fs.rmSync(path.join(dir, 'sandbox.key'));
    const r = await algo(dir, ['paper', 'funds'], later);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('algo: session for sb expired at 2026-01-08 06:00:00 IST; run `algo login --profile sb --sandbox --user SB0001`\n');
    // The command in the hint does sign in again.
    const again = await algo(dir, ['login', '--profile', 'sb', '--sandbox', '--user', 'SB0001', '--port', '0'], later);
    expect(again.code, again.stderr).toBe(0);
    expect((await algo(dir, ['paper', 'funds'], later)).code).toBe(0);
  });
});

describe('a live session at 06:00 IST', () => {
  it('is not renewed: exit 3 with `algo login --profile P` and no sandbox flags', async () => {
    const dir = dataDir();
    await saveProfile(dir, 'work', { apiKey: 'live_key_1', apiSecret: 'live-secret-123456', userId: 'AB1234' });
    await writeSession(dir, createSession({ user_id: 'AB1234', api_key: 'live_key_1', access_token: 'live-token-abcdef', loginTime: Date.parse(AT), sandbox: false, profile: 'work' }), () => undefined);
    for (const args of [['paper', 'funds'], ['whoami'], ['portfolio', 'holdings']]) {
      const r = await algo(dir, [...args, '--profile', 'work'], later);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toBe('algo: session for work expired at 2026-01-08 06:00:00 IST; run `algo login --profile work`\n');
    }
    expect(JSON.parse(fs.readFileSync(sessionFile(dir, 'AB1234'), 'utf8')).access_token).toBe('live-token-abcdef');
  });
});
