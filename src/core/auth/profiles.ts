import fs from 'node:fs';
import { configPath, ConfigFileSchema, profileNamed, readConfigFile, type ConfigFile, type Profile } from '../config.js';
import { UsageError } from '../errors.js';
import { PROFILE_RE } from '../paths.js';
import { registerSecret } from '../redact.js';
import { writePrivateFile, stderrWarn, type Warn } from './fs-private.js';
import { expiresAt, isExpired, readSession, removeSession, type Session } from './sessions.js';

/**
 * Names the config schema could not keep: valibot's record drops the keys `constructor` and
 * `prototype` (as it does `__proto__`, which the pattern already refuses), so such a profile
 * would vanish on the next read. They are refused when a profile is made, and found by no lookup.
 */
const RESERVED_PROFILE_NAMES: ReadonlySet<string> = new Set(['constructor', 'prototype']);

export function assertProfileName(name: string): string {
  if (!PROFILE_RE.test(name)) {
    throw new UsageError(`"${name}" is not a valid profile name`, 'use letters, digits, _ and - (up to 32, starting with a letter or digit)');
  }
  if (RESERVED_PROFILE_NAMES.has(name)) throw new UsageError(`"${name}" cannot be a profile name`, 'it is reserved; pick another name');
  return name;
}

/** Read data/config.json and register its secrets for redaction. */
export function readConfig(dataDir: string): ConfigFile {
  const file = readConfigFile(dataDir);
  for (const p of Object.values(file.profiles)) registerSecret(p.apiSecret);
  return file;
}

/** Validate and write data/config.json atomically with mode 0600. */
export async function writeConfig(dataDir: string, file: ConfigFile): Promise<void> {
  const valid = ConfigFileSchema.parse(file);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  await writePrivateFile(configPath(dataDir), `${JSON.stringify(valid, null, 2)}\n`);
}

function unknownProfile(name: string): UsageError {
  return new UsageError(`no profile named "${name}"`, 'see `algo profile list`, or create it with `algo profile add NAME` or `algo login --profile NAME`');
}

/** Create or replace a profile. The first profile ever saved becomes the default. */
export async function saveProfile(dataDir: string, name: string, profile: Profile): Promise<void> {
  assertProfileName(name);
  const file = readConfig(dataDir);
  const first = Object.keys(file.profiles).length === 0 && !file.defaultProfile;
  file.profiles[name] = profile;
  if (first) file.defaultProfile = name;
  await writeConfig(dataDir, file);
}

/** Add a new profile; an existing one is refused. */
export async function addProfile(dataDir: string, name: string, profile: Profile): Promise<void> {
  assertProfileName(name);
  if (profileNamed(readConfig(dataDir), name)) {
    throw new UsageError(`profile "${name}" already exists`, `remove it first with \`algo profile remove ${name}\``);
  }
  await saveProfile(dataDir, name, profile);
}

/** Make a profile the default. */
export async function useProfile(dataDir: string, name: string): Promise<void> {
  const file = readConfig(dataDir);
  if (!profileNamed(file, name)) throw unknownProfile(name);
  file.defaultProfile = name;
  await writeConfig(dataDir, file);
}

/**
 * Remove a profile from config.json and its session file (unless another profile signs in as the
 * same user). The paper account is never touched.
 */
export async function removeProfile(dataDir: string, name: string): Promise<{ removedSession: boolean }> {
  const file = readConfig(dataDir);
  const profile = profileNamed(file, name);
  if (!profile) throw unknownProfile(name);
  delete file.profiles[name];
  if (file.defaultProfile === name) delete file.defaultProfile;
  const shared = Object.values(file.profiles).some((p) => p.userId !== undefined && p.userId === profile.userId);
  await writeConfig(dataDir, file);
  const removedSession = profile.userId !== undefined && !shared ? removeSession(dataDir, profile.userId) : false;
  return { removedSession };
}

export function getProfile(file: ConfigFile, name: string): Profile {
  const p = profileNamed(file, name);
  if (!p) throw unknownProfile(name);
  return p;
}

/** The stored session of a profile: its user's session made with its API key, or undefined. */
export function sessionOfProfile(dataDir: string, profile: Profile, warn: Warn = stderrWarn): Session | undefined {
  if (!profile.userId) return undefined;
  const s = readSession(dataDir, profile.userId, warn);
  return s && s.api_key === profile.apiKey ? s : undefined;
}

export type SessionState = 'active' | 'expired' | 'none';

export interface ProfileRow {
  name: string;
  isDefault: boolean;
  apiKey: string;
  userId: string | null;
  sandbox: boolean;
  state: SessionState;
  /** Instant the session expires (or expired); null without a session. */
  expiresAt: number | null;
}

/** Every profile with the state of its session at `now`, sorted by name. */
export function listProfiles(dataDir: string, now: number, warn: Warn = stderrWarn): ProfileRow[] {
  const file = readConfig(dataDir);
  return Object.entries(file.profiles)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, p]) => {
      const s = sessionOfProfile(dataDir, p, warn);
      return {
        name,
        isDefault: file.defaultProfile === name,
        apiKey: p.apiKey,
        userId: p.userId ?? null,
        sandbox: p.sandbox === true,
        state: s ? (isExpired(s, now) ? 'expired' : 'active') : 'none',
        expiresAt: s ? expiresAt(s) : null,
      };
    });
}
