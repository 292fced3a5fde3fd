import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assertUserId,
  createSession,
  findSessionByToken,
  isExpired,
  listSessions,
  readSession,
  removeSession,
  SessionSchema,
  sessionIdentity,
  sessionPath,
  writeSession,
  type NewSession,
} from '../../src/core/auth/sessions.js';
import { redact } from '../../src/core/redact.js';
import { UsageError } from '../../src/core/errors.js';

const LOGIN = Date.parse('2026-11-25T10:00:00+05:30');

function fresh(over: Partial<NewSession> = {}): NewSession {
  return {
    user_id: 'AB1234',
    user_name: 'Test User',
    email: 't@example.invalid',
    broker: 'ZERODHA',
    api_key: 'key123',
    access_token: 'access-token-value-1',
    public_token: 'public-token-value-1',
    loginTime: LOGIN,
    sandbox: false,
    profile: 'main',
    ...over,
  };
}

let dir: string;
let warnings: string[];
const warn = (l: string): void => void warnings.push(l);
const mode = (p: string): number => fs.statSync(p).mode & 0o777;

/** Put a file where AB1234's session goes, with private modes (so only content problems are reported). */
function plant(text: string): void {
  fs.mkdirSync(path.join(dir, 'sessions'), { recursive: true, mode: 0o700 });
  fs.writeFileSync(sessionPath(dir, 'AB1234'), text, { mode: 0o600 });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-auth-'));
  warnings = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('session schema', () => {
  it('creates a session with a v4 uuid, IST times and expiry at the next 06:00 IST', () => {
    const s = createSession(fresh());
    expect(s.session_token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(s.login_time).toBe('2026-11-25T10:00:00+05:30');
    expect(s.expires_at).toBe('2026-11-26T06:00:00+05:30');
    expect(SessionSchema.parse(s)).toEqual(s);
  });

  it('a login before 06:00 IST expires the same morning', () => {
    const s = createSession(fresh({ loginTime: Date.parse('2026-11-25T05:59:00+05:30') }));
    expect(s.expires_at).toBe('2026-11-25T06:00:00+05:30');
  });

  it('is expired exactly from expires_at', () => {
    const s = createSession(fresh());
    const exp = Date.parse(s.expires_at);
    expect(isExpired(s, exp - 1)).toBe(false);
    expect(isExpired(s, exp)).toBe(true);
  });

  it('registers its tokens for redaction', () => {
    const s = createSession(fresh({ access_token: 'zz-access-secret-9', public_token: 'zz-public-secret-9' }));
    const line = redact(`got zz-access-secret-9 and zz-public-secret-9 and ${s.session_token}`);
    expect(line).not.toContain('zz-access-secret-9');
    expect(line).not.toContain('zz-public-secret-9');
    expect(line).not.toContain(s.session_token);
  });

  it('identity never carries a token', () => {
    const s = createSession(fresh());
    const text = JSON.stringify(sessionIdentity(s));
    expect(text).not.toContain(s.access_token);
    expect(text).not.toContain(s.public_token);
    expect(text).not.toContain(s.session_token);
    expect(sessionIdentity(s, 'other').profile).toBe('other');
  });
});

describe('user ids', () => {
  it.each(['../x', '..', 'AB/12', 'ab1234', 'A', 'ABCDEFGHIJKLM', '', 'AB 12', 'AB1234.json', '/etc/passwd'])('refuses %j before it becomes a path', (id) => {
    expect(() => assertUserId(id)).toThrow(UsageError);
    expect(() => sessionPath(dir, id)).toThrow(/not a Kite user id/);
  });

  it('accepts Kite-shaped ids', () => {
    expect(sessionPath(dir, 'SB0001')).toBe(path.join(dir, 'sessions', 'SB0001.json'));
  });

  it('createSession refuses a path-like user id', () => {
    expect(() => createSession(fresh({ user_id: '../../evil' }))).toThrow(UsageError);
  });
});

describe('storage', () => {
  it('writes atomically with mode 0600 in a 0700 folder and reads it back', async () => {
    const s = createSession(fresh());
    await writeSession(dir, s, warn);
    const file = sessionPath(dir, 'AB1234');
    expect(mode(file)).toBe(0o600);
    expect(mode(path.dirname(file))).toBe(0o700);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['AB1234.json']); // no temp file left
    expect(readSession(dir, 'AB1234', warn)).toEqual(s);
    expect(warnings).toEqual([]);
  });

  it('tightens looser modes it finds and says so', async () => {
    const s = createSession(fresh());
    await writeSession(dir, s, warn);
    const file = sessionPath(dir, 'AB1234');
    fs.chmodSync(file, 0o644);
    fs.chmodSync(path.dirname(file), 0o755);
    expect(readSession(dir, 'AB1234', warn)).toEqual(s);
    expect(mode(file)).toBe(0o600);
    expect(mode(path.dirname(file))).toBe(0o700);
    expect(warnings.length).toBe(2);
  });

  it('replaces an existing session whole', async () => {
    await writeSession(dir, createSession(fresh()), warn);
    const second = createSession(fresh({ access_token: 'second-token-xyz' }));
    await writeSession(dir, second, warn);
    expect(readSession(dir, 'AB1234', warn)?.access_token).toBe('second-token-xyz');
  });

  it('a missing file is simply signed out', () => {
    expect(readSession(dir, 'AB1234', warn)).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('a corrupt file is reported in one line and treated as signed out', () => {
    plant('{"user_id": "AB12');
    expect(readSession(dir, 'AB1234', warn)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/damaged \(not JSON\).*signed out/);
    expect(warnings[0]).not.toContain('\n');
  });

  it('a file of the wrong shape is reported and treated as signed out', () => {
    plant(JSON.stringify({ hello: 'world' }));
    expect(readSession(dir, 'AB1234', warn)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not an algo session/);
  });

  it("another user's session under this name is foreign", async () => {
    const other = createSession(fresh({ user_id: 'CD5678' }));
    plant(JSON.stringify(other));
    expect(readSession(dir, 'AB1234', warn)).toBeUndefined();
    expect(warnings[0]).toMatch(/another user/);
  });

  it('lists, finds by session token, and removes', async () => {
    const a = createSession(fresh());
    const b = createSession(fresh({ user_id: 'CD5678', access_token: 'other-access-token' }));
    await writeSession(dir, a, warn);
    await writeSession(dir, b, warn);
    fs.writeFileSync(path.join(dir, 'sessions', '.gitkeep'), '');
    fs.writeFileSync(path.join(dir, 'sessions', 'notes.txt'), 'x');
    expect(listSessions(dir, warn).map((s) => s.user_id)).toEqual(['AB1234', 'CD5678']);
    expect(findSessionByToken(dir, b.session_token, warn)?.user_id).toBe('CD5678');
    expect(findSessionByToken(dir, `${b.session_token}x`, warn)).toBeUndefined();
    expect(findSessionByToken(dir, '', warn)).toBeUndefined();
    expect(removeSession(dir, 'AB1234')).toBe(true);
    expect(removeSession(dir, 'AB1234')).toBe(false);
    expect(listSessions(dir, warn).map((s) => s.user_id)).toEqual(['CD5678']);
  });
});
