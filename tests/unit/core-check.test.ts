import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as v from 'valibot';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckError, checker, notList } from '../../src/core/check.js';
import { ConfigFileSchema, resolveSettings, SettingsSchema } from '../../src/core/config.js';
import { AlgoError } from '../../src/core/errors.js';
import { createSession, SessionSchema } from '../../src/core/auth/sessions.js';
import { parseOrderRequest } from '../../src/core/paper/validate.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function dataDir(config?: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-check-'));
  dirs.push(dir);
  if (config !== undefined) fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

describe('checker: the first bad field, by path', () => {
  const schema = checker(v.strictObject({ a: v.object({ b: v.pipe(v.number(), v.minValue(1, 'must be at least 1')) }), c: v.optional(v.string()) }));

  it('returns the checked value, or the first issue with its path', () => {
    expect(schema.safeParse({ a: { b: 2 } })).toEqual({ success: true, data: { a: { b: 2 } } });
    const r = schema.safeParse({ a: { b: 0 }, c: 5 });
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.error.issues).toHaveLength(1);
      expect(r.error.issues[0]).toEqual({ path: ['a', 'b'], message: 'must be at least 1' });
    }
  });

  it('says plainly when a field is missing or unknown', () => {
    const missing = schema.safeParse({});
    expect(!missing.success && missing.error.issues[0]).toEqual({ path: ['a'], message: 'is required' });
    const unknown = schema.safeParse({ a: { b: 1 }, zz: 1 });
    expect(!unknown.success && unknown.error.issues[0]).toEqual({ path: ['zz'], message: 'is not a known field' });
  });

  it('parse throws a CheckError (an AlgoError, exit code 1) naming the field', () => {
    expect(() => schema.parse({ a: { b: -1 } })).toThrow(CheckError);
    expect(() => schema.parse({ a: { b: -1 } })).toThrow('a.b must be at least 1');
    expect(() => schema.parse({ a: { b: -1 } })).toThrow(AlgoError);
  });

  it('notList refuses arrays, which object schemas would take', () => {
    const obj = checker(v.object({ x: v.optional(v.number()) }));
    expect(obj.safeParse([]).success).toBe(true);
    const strict = checker(notList(v.object({ x: v.optional(v.number()) })));
    const r = strict.safeParse([]);
    expect(!r.success && r.error.issues[0]!.message).toBe('must be an object, not a list');
  });
});

describe('config: what the schemas accept and how they normalise', () => {
  it('a list is not a config file, nor a list of profiles', () => {
    expect(() => resolveSettings({ dataDir: dataDir([]) }, {})).toThrow(/must be an object, not a list/);
    expect(() => resolveSettings({ dataDir: dataDir({ profiles: [] }) }, {})).toThrow(/profiles must be an object/);
    expect(() => resolveSettings({ dataDir: dataDir({ paper: [] }) }, {})).toThrow(/paper must be an object/);
  });

  it('names the unknown key and the bad profile name', () => {
    expect(() => resolveSettings({ dataDir: dataDir({ bogus: 1 }) }, {})).toThrow(/bogus is not a known field/);
    expect(() => resolveSettings({ dataDir: dataDir({ profiles: { 'a b': { apiKey: 'k' } } }) }, {})).toThrow(/profiles\.a b profile names are/);
  });

  it('reads the redirect port as Number() does, and URLs as new URL() does', () => {
    const { settings } = resolveSettings({ dataDir: dataDir(), port: '6000' }, { KITE_API_ROOT: '  http://127.0.0.1:9/\n' });
    expect(settings.redirectPort).toBe(6000);
    expect(settings.kiteApiRoot).toBe('http://127.0.0.1:9/');
    expect(() => resolveSettings({ dataDir: dataDir(), port: '5.5' }, {})).toThrow(/redirectPort \(--port \/ ALGO_REDIRECT_PORT\) must be a whole number/);
    expect(() => resolveSettings({ dataDir: dataDir() }, { KITE_LOGIN_URL: 'not a url' })).toThrow(/kiteLoginUrl \(KITE_LOGIN_URL\) must be a URL/);
  });

  it('numbers must be finite (JSON cannot hold Infinity, a caller can)', () => {
    const { settings } = resolveSettings({ dataDir: dataDir() }, {});
    expect(SettingsSchema.safeParse({ ...settings, capital: Infinity }).success).toBe(false);
    expect(ConfigFileSchema.safeParse({ paper: { capital: Infinity } }).success).toBe(false);
  });

  it('a missing profiles key becomes a fresh empty object each time', () => {
    const a = ConfigFileSchema.parse({});
    const b = ConfigFileSchema.parse({});
    expect(a.profiles).toEqual({});
    expect(a.profiles).not.toBe(b.profiles);
  });
});

describe('session files: strict formats', () => {
  const s = createSession({ user_id: 'AB1234', api_key: 'k', access_token: 'at', loginTime: Date.parse('2024-02-28T10:00:00+05:30'), sandbox: true, profile: 'default' });

  it('a fresh session checks, with a v4 session token', () => {
    expect(SessionSchema.parse(s)).toEqual(s);
    expect(s.session_token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses impossible dates, missing seconds or offsets, and non-RFC UUIDs', () => {
    const bad = (field: string, value: string) => SessionSchema.safeParse({ ...s, [field]: value }).success;
    expect(bad('login_time', '2024-02-29T10:00:00+05:30')).toBe(true);
    expect(bad('login_time', '2026-02-29T10:00:00+05:30')).toBe(false);
    expect(bad('login_time', '2026-04-31T10:00:00Z')).toBe(false);
    expect(bad('login_time', '2026-11-25T10:00+05:30')).toBe(false);
    expect(bad('login_time', '2026-11-25T10:00:00')).toBe(false);
    expect(bad('expires_at', '2026-11-25T10:00:00.123Z')).toBe(true);
    expect(bad('session_token', '6f1c1a52-3b0e-9c8e-9a6a-5b9d5d1f2e3a')).toBe(false);
    expect(bad('session_token', '00000000-0000-0000-0000-000000000000')).toBe(true);
  });
});

describe('order requests: a missing field is named', () => {
  it('says which field is required', () => {
    expect(() => parseOrderRequest({ exchange: 'NSE', tradingsymbol: 'INFY', quantity: 1, order_type: 'MARKET', product: 'CNC', validity: 'DAY' })).toThrow(
      /^transaction_type: is required$/,
    );
  });
});
