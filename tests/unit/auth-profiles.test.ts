import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addProfile,
  getProfile,
  listProfiles,
  readConfig,
  removeProfile,
  saveProfile,
  sessionOfProfile,
  useProfile,
  writeConfig,
} from '../../src/core/auth/profiles.js';
import { createSession, writeSession } from '../../src/core/auth/sessions.js';
import { requireSession } from '../../src/core/auth/require.js';
import { ManualClock } from '../../src/core/clock.js';
import { AuthError, UsageError } from '../../src/core/errors.js';
import { profileNamed, readConfigFile, resolveSettings } from '../../src/core/config.js';

let dir: string;
const quiet = (): void => undefined;
const LOGIN = Date.parse('2026-11-25T10:00:00+05:30');

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-profiles-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function signIn(userId: string, profile: string, apiKey = 'key1'): Promise<void> {
  await writeSession(
    dir,
    createSession({ user_id: userId, api_key: apiKey, access_token: `tok-${userId}-abcdef`, loginTime: LOGIN, sandbox: false, profile }),
    quiet,
  );
}

describe('config.json', () => {
  it('round-trips through write and read, with mode 0600', async () => {
    const file = { defaultProfile: 'a', profiles: { a: { apiKey: 'k1', apiSecret: 's1-secret', userId: 'AB1234' }, b: { apiKey: 'sandbox_api_key', sandbox: true } }, redirectPort: 6000 };
    await writeConfig(dir, file);
    expect(readConfigFile(dir)).toEqual(file);
    expect(fs.statSync(path.join(dir, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses to write an invalid config', async () => {
    await expect(writeConfig(dir, { profiles: { a: { apiKey: 'k', userId: '../x' } } })).rejects.toThrow();
    expect(fs.existsSync(path.join(dir, 'config.json'))).toBe(false);
  });

  it('the first profile becomes the default; later ones do not', async () => {
    await saveProfile(dir, 'first', { apiKey: 'k1' });
    await saveProfile(dir, 'second', { apiKey: 'k2' });
    expect(readConfig(dir).defaultProfile).toBe('first');
  });
});

describe('profiles', () => {
  it('add refuses a duplicate and a bad name', async () => {
    await addProfile(dir, 'main', { apiKey: 'k1' });
    await expect(addProfile(dir, 'main', { apiKey: 'k2' })).rejects.toThrow(/already exists/);
    await expect(addProfile(dir, '../evil', { apiKey: 'k2' })).rejects.toThrow(UsageError);
    expect(readConfig(dir).profiles.main?.apiKey).toBe('k1');
  });

  it('use sets the default, and refuses an unknown name', async () => {
    await addProfile(dir, 'a', { apiKey: 'k1' });
    await addProfile(dir, 'b', { apiKey: 'k2' });
    await useProfile(dir, 'b');
    expect(readConfig(dir).defaultProfile).toBe('b');
    await expect(useProfile(dir, 'zz')).rejects.toThrow(/no profile named "zz"/);
  });

  it('names of Object.prototype members (valueOf, constructor, toString...) are no profile until one is saved', async () => {
    await addProfile(dir, 'a', { apiKey: 'k1', userId: 'AB1234' });
    const inherited = ['valueOf', 'constructor', 'toString', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'];
    for (const name of inherited) {
      await expect(useProfile(dir, name)).rejects.toThrow(`no profile named "${name}"`);
      await expect(removeProfile(dir, name)).rejects.toThrow(`no profile named "${name}"`);
      expect(() => getProfile(readConfig(dir), name)).toThrow(`no profile named "${name}"`);
      expect(profileNamed(readConfig(dir), name)).toBeUndefined();
      expect(readConfig(dir).profiles[name]).toBeUndefined();
      const { settings } = resolveSettings({ dataDir: dir, profile: name }, {});
      expect(settings.profile).toBe(name);
      await expect(requireSession({ settings, configFile: readConfig(dir), clock: new ManualClock(LOGIN) }, quiet)).rejects.toThrow(
        `no profile named "${name}"`,
      );
    }
    expect(readConfig(dir).defaultProfile).toBe('a');
    expect(Object.getPrototypeOf(readConfigFile(dir).profiles)).toBeNull();
    expect(Object.getPrototypeOf(readConfigFile(path.join(dir, 'none')).profiles)).toBeNull();
    // Kept names work as ever; `constructor` and `prototype` cannot be kept by the config schema, so are refused up front.
    await addProfile(dir, 'valueOf', { apiKey: 'k2' });
    await useProfile(dir, 'valueOf');
    expect(getProfile(readConfig(dir), 'valueOf')).toEqual({ apiKey: 'k2' });
    expect(listProfiles(dir, LOGIN, quiet).map((p) => [p.name, p.isDefault])).toEqual([
      ['a', false],
      ['valueOf', true],
    ]);
    for (const name of ['constructor', 'prototype']) {
      await expect(addProfile(dir, name, { apiKey: 'k3' })).rejects.toThrow(`"${name}" cannot be a profile name`);
      await expect(saveProfile(dir, name, { apiKey: 'k3' })).rejects.toThrow(UsageError);
    }
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).profiles)).toEqual(['a', 'valueOf']);
  });

  it('remove drops the profile, its default and its session, never another profile', async () => {
    await saveProfile(dir, 'a', { apiKey: 'key1', userId: 'AB1234' });
    await saveProfile(dir, 'b', { apiKey: 'key1', userId: 'CD5678' });
    await signIn('AB1234', 'a');
    await signIn('CD5678', 'b');
    const paper = path.join(dir, 'algo.db');
    fs.writeFileSync(paper, 'paper account');
    expect(await removeProfile(dir, 'a')).toEqual({ removedSession: true });
    const cfg = readConfig(dir);
    expect(Object.keys(cfg.profiles)).toEqual(['b']);
    expect(cfg.defaultProfile).toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'sessions', 'AB1234.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'sessions', 'CD5678.json'))).toBe(true);
    expect(fs.readFileSync(paper, 'utf8')).toBe('paper account');
  });

  it('remove keeps a session another profile still signs in with', async () => {
    await saveProfile(dir, 'a', { apiKey: 'key1', userId: 'AB1234' });
    await saveProfile(dir, 'a2', { apiKey: 'key1', userId: 'AB1234' });
    await signIn('AB1234', 'a');
    expect(await removeProfile(dir, 'a')).toEqual({ removedSession: false });
    expect(fs.existsSync(path.join(dir, 'sessions', 'AB1234.json'))).toBe(true);
  });

  it('a session made with another API key is not the profile\'s', async () => {
    await saveProfile(dir, 'a', { apiKey: 'key1', userId: 'AB1234' });
    await signIn('AB1234', 'x', 'other-key');
    expect(sessionOfProfile(dir, readConfig(dir).profiles.a!, quiet)).toBeUndefined();
  });

  it('lists each profile with its session state', async () => {
    await saveProfile(dir, 'b', { apiKey: 'key1', userId: 'CD5678' });
    await saveProfile(dir, 'a', { apiKey: 'key1', userId: 'AB1234' });
    await saveProfile(dir, 'c', { apiKey: 'sandbox_api_key', sandbox: true });
    await signIn('AB1234', 'a');
    const before = listProfiles(dir, LOGIN + 1000, quiet);
    expect(before.map((r) => [r.name, r.state, r.isDefault, r.sandbox])).toEqual([
      ['a', 'active', false, false],
      ['b', 'none', true, false],
      ['c', 'none', false, true],
    ]);
    expect(before[0]!.expiresAt).toBe(Date.parse('2026-11-26T06:00:00+05:30'));
    const after = listProfiles(dir, Date.parse('2026-11-26T06:00:00+05:30'), quiet);
    expect(after[0]!.state).toBe('expired');
  });
});

describe('requireSession', () => {
  const ctx = (profile: string, now: number) => ({
    settings: { dataDir: dir, profile },
    configFile: readConfig(dir),
    clock: new ManualClock(now),
  });

  it('returns the live session of the selected profile only', async () => {
    await saveProfile(dir, 'a', { apiKey: 'key1', userId: 'AB1234' });
    await saveProfile(dir, 'b', { apiKey: 'key1', userId: 'CD5678' });
    await signIn('AB1234', 'a');
    expect((await requireSession(ctx('a', LOGIN), quiet)).user_id).toBe('AB1234');
    await expect(requireSession(ctx('b', LOGIN), quiet)).rejects.toThrow(/profile b is not signed in/);
  });

  it('an expired session is exit 3 with the time in IST and the login command', async () => {
    await saveProfile(dir, 'a', { apiKey: 'key1', userId: 'AB1234' });
    await signIn('AB1234', 'a');
    const err = await requireSession(ctx('a', Date.parse('2026-11-26T07:00:00+05:30')), quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).exitCode).toBe(3);
    expect((err as AuthError).message).toBe('session for a expired at 2026-11-26 06:00:00 IST');
    expect((err as AuthError).hint).toBe('run `algo login --profile a`');
  });

  it('an unknown profile is exit 3 with the login hint', async () => {
    await saveProfile(dir, 'a', { apiKey: 'key1' });
    const err = await requireSession(ctx('ghost', LOGIN), quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).hint).toContain('algo login --profile ghost');
  });

  it('no profiles at all: exit 3 pointing at algo login', async () => {
    const err = await requireSession(ctx('default', LOGIN), quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).message).toBe('not signed in (no profiles yet)');
    expect((err as AuthError).hint).toMatch(/^run `algo login`/);
  });
});
