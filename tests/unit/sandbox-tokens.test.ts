import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { AlgoError } from '../../src/core/errors.js';
import {
  KEY_FILE,
  loadSigningKey,
  REQUEST_TOKEN_TTL_MS,
  RequestTokens,
  REVOKED_FILE,
  SandboxTokens,
  signAccessToken,
  verifyAccessToken,
} from '../../src/sandbox/tokens.js';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { tempDataDir } from '../helpers/sandbox.js';

const ISSUED = Date.parse('2026-01-07T14:00:00+05:30');
const NEXT_0600 = Date.parse('2026-01-08T06:00:00+05:30');
const KEY = SANDBOX_APP.apiKey;

const dirs: string[] = [];
function dir(): string {
  const d = tempDataDir('algo-sandbox-tokens-');
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('the signing key', () => {
  it('is created on first use with mode 0600, in a 0700 folder made if missing, and then kept', () => {
    const data = path.join(dir(), 'nested', 'data');
    const key = loadSigningKey(data);
    expect(key).toHaveLength(32);
    expect(mode(path.join(data, KEY_FILE))).toBe(0o600);
    expect(mode(data)).toBe(0o700);
    expect(loadSigningKey(data).equals(key)).toBe(true);
    expect(fs.readdirSync(data)).toEqual([KEY_FILE]); // no temp file left behind
  });

  it('says which file it cannot create when the data folder is unusable', () => {
    const notAFolder = path.join(dir(), 'file');
    fs.writeFileSync(notAFolder, '');
    expect(() => loadSigningKey(path.join(notAFolder, 'data'))).toThrow(/cannot create the sandbox signing key .*file\/data\/sandbox\.key \(ENOTDIR\)/);
  });

  it('refuses a damaged key file with a hint', () => {
    const data = dir();
    fs.writeFileSync(path.join(data, KEY_FILE), 'not a key\n');
    expect(() => loadSigningKey(data)).toThrow(AlgoError);
    expect(() => loadSigningKey(data)).toThrow(/not 64 hex digits/);
  });
});

describe('access tokens', () => {
  it('carry user, api key and an expiry at the next 06:00 IST, and verify until then', () => {
    const clock = new ManualClock(ISSUED);
    const tokens = new SandboxTokens(dir(), clock);
    const { accessToken, claims } = tokens.issueAccessToken('SB0002', KEY);
    expect(claims).toMatchObject({ userId: 'SB0002', apiKey: KEY, issuedAt: ISSUED, expiresAt: NEXT_0600 });
    expect(tokens.userOf(KEY, accessToken)).toBe('SB0002');
    clock.set(NEXT_0600 - 1);
    expect(tokens.userOf(KEY, accessToken)).toBe('SB0002');
    clock.set(NEXT_0600);
    expect(tokens.userOf(KEY, accessToken)).toBeNull();
  });

  it('are refused when tampered with, for another api key, or garbage', () => {
    const tokens = new SandboxTokens(dir(), new ManualClock(ISSUED));
    const { accessToken } = tokens.issueAccessToken('SB0001', KEY);
    const [body, sig] = accessToken.split('.') as [string, string];
    const forged = Buffer.from(Buffer.from(body, 'base64url').toString().replace('SB0001', 'SB0003')).toString('base64url');
    expect(tokens.verify(KEY, `${forged}.${sig}`)).toBeNull();
    expect(tokens.verify('other_key', accessToken)).toBeNull();
    for (const junk of ['', '.', 'abc', `${body}.`, `${body}.${sig}x`, 'a'.repeat(5000)]) expect(tokens.verify(KEY, junk)).toBeNull();
  });

  it('verify in another sandbox on the same data folder, and not on another folder', () => {
    const clock = new ManualClock(ISSUED);
    const shared = dir();
    const { accessToken } = new SandboxTokens(shared, clock).issueAccessToken('SB0001', KEY);
    expect(new SandboxTokens(shared, clock).userOf(KEY, accessToken)).toBe('SB0001');
    expect(new SandboxTokens(dir(), clock).userOf(KEY, accessToken)).toBeNull();
  });

  it('signed by hand with the same key verify (the format is just claims + HMAC)', () => {
    const key = loadSigningKey(dir());
    const claims = { userId: 'SB0003', apiKey: KEY, issuedAt: ISSUED, expiresAt: NEXT_0600, id: 'x1' };
    expect(verifyAccessToken(key, KEY, signAccessToken(key, claims), ISSUED)).toEqual(claims);
  });

  it('once revoked are refused by every sandbox on the folder; the list is 0600 and forgets expired tokens', () => {
    const clock = new ManualClock(ISSUED);
    const shared = dir();
    const a = new SandboxTokens(shared, clock);
    const b = new SandboxTokens(shared, clock);
    const first = a.issueAccessToken('SB0001', KEY);
    const second = a.issueAccessToken('SB0001', KEY);
    expect(b.userOf(KEY, first.accessToken)).toBe('SB0001');
    a.revoke(first.claims);
    expect(a.userOf(KEY, first.accessToken)).toBeNull();
    expect(b.userOf(KEY, first.accessToken)).toBeNull();
    expect(b.userOf(KEY, second.accessToken)).toBe('SB0001');
    const file = path.join(shared, REVOKED_FILE);
    expect(mode(file)).toBe(0o600);
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')))).toEqual([first.claims.id]);
    clock.set(NEXT_0600 + 1); // a day later both are expired
    const third = b.issueAccessToken('SB0002', KEY);
    b.revoke(third.claims);
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')))).toEqual([third.claims.id]);
  });
});

describe('request tokens', () => {
  it('work once, and only for five minutes', () => {
    const requests = new RequestTokens();
    const t = requests.issue('SB0001', KEY, ISSUED);
    expect(t).toMatch(/^[0-9a-f]{32}$/);
    expect(requests.peek(t, ISSUED)).toMatchObject({ userId: 'SB0001', apiKey: KEY });
    expect(requests.consume(t, ISSUED + 1000)).toMatchObject({ userId: 'SB0001' });
    expect(requests.consume(t, ISSUED + 2000)).toBeUndefined();
    const late = requests.issue('SB0002', KEY, ISSUED);
    expect(requests.peek(late, ISSUED + REQUEST_TOKEN_TTL_MS - 1)).toBeDefined();
    expect(requests.consume(late, ISSUED + REQUEST_TOKEN_TTL_MS)).toBeUndefined();
    expect(requests.issue('SB0001', KEY, ISSUED)).not.toBe(requests.issue('SB0001', KEY, ISSUED));
  });
});
