import fs from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { checker, type CheckedType } from '../check.js';
import { UsageError } from '../errors.js';
import { isoIst, next0600Ist } from '../ist.js';
import { PROFILE_RE, sessionsDir, USER_ID_RE } from '../paths.js';
import { registerSecret } from '../redact.js';
import { constantTimeEqual } from './compare.js';
import { nodeCrypto } from './crypto.js';
import { ensurePrivateDir, LinkRefusedError, readPrivateFile, stderrWarn, writePrivateFile, type Warn } from './fs-private.js';

/** An RFC 9562 UUID (any version), or the nil and max UUIDs. */
const UUID_RE = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
/** RFC 3339 date-time with seconds and a Z or ±hh:mm offset; the date is checked separately. */
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function isCalendarDate(y: number, m: number, d: number): boolean {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return days !== undefined && d >= 1 && d <= days;
}

function isDateTime(s: string): boolean {
  const m = DATETIME_RE.exec(s);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

const dateTime = () => v.pipe(v.string(), v.check(isDateTime, 'must be an ISO date-time with an offset'));

/** data/sessions/<user_id>.json */
export const SessionSchema = checker(
  v.object({
    session_token: v.pipe(v.string(), v.regex(UUID_RE, 'must be a UUID')),
    user_id: v.pipe(v.string(), v.regex(USER_ID_RE)),
    user_name: v.string(),
    email: v.string(),
    broker: v.string(),
    api_key: v.pipe(v.string(), v.minLength(1)),
    access_token: v.pipe(v.string(), v.minLength(1)),
    public_token: v.string(),
    /** ISO 8601 with the +05:30 offset. */
    login_time: dateTime(),
    /** The next 06:00 IST after login_time. */
    expires_at: dateTime(),
    sandbox: v.boolean(),
    profile: v.pipe(v.string(), v.regex(PROFILE_RE)),
  }),
);
export type Session = CheckedType<typeof SessionSchema>;

/** A user id is checked before it becomes part of a path. */
export function assertUserId(userId: string): string {
  if (!USER_ID_RE.test(userId)) {
    throw new UsageError(`"${userId}" is not a Kite user id`, 'user ids are 2-12 capital letters or digits, e.g. AB1234');
  }
  return userId;
}

export function sessionPath(dataDir: string, userId: string): string {
  return path.join(sessionsDir(dataDir), `${assertUserId(userId)}.json`);
}

function registerTokens(s: Session): Session {
  registerSecret(s.access_token);
  registerSecret(s.public_token);
  registerSecret(s.session_token);
  return s;
}

/** What a login produced, before it becomes a stored session. */
export interface NewSession {
  user_id: string;
  user_name?: string | null;
  email?: string | null;
  broker?: string | null;
  api_key: string;
  access_token: string;
  public_token?: string | null;
  loginTime: number;
  sandbox: boolean;
  profile: string;
}

export function createSession(n: NewSession): Session {
  assertUserId(n.user_id);
  return registerTokens(
    SessionSchema.parse({
      session_token: nodeCrypto().randomUUID(),
      user_id: n.user_id,
      user_name: n.user_name ?? '',
      email: n.email ?? '',
      broker: n.broker ?? '',
      api_key: n.api_key,
      access_token: n.access_token,
      public_token: n.public_token ?? '',
      login_time: isoIst(n.loginTime, false),
      expires_at: isoIst(next0600Ist(n.loginTime), false),
      sandbox: n.sandbox,
      profile: n.profile,
    }),
  );
}

export function expiresAt(s: Session): number {
  return Date.parse(s.expires_at);
}

export function isExpired(s: Session, now: number): boolean {
  return now >= expiresAt(s);
}

export async function writeSession(dataDir: string, s: Session, warn: Warn = stderrWarn): Promise<void> {
  const file = sessionPath(dataDir, s.user_id);
  ensurePrivateDir(path.dirname(file), warn);
  registerTokens(s);
  await writePrivateFile(file, `${JSON.stringify(s, null, 2)}\n`);
}

/**
 * The stored session of a user, or undefined when there is none. A damaged or foreign file
 * is reported in one line and treated as signed out; it never throws for bad content. A symbolic
 * link in place of the file or of the sessions folder is refused (LinkRefusedError, one line
 * naming it): it is never followed, and nothing is chmod-ed through it.
 */
export function readSession(dataDir: string, userId: string, warn: Warn = stderrWarn): Session | undefined {
  const file = sessionPath(dataDir, userId);
  const dir = path.dirname(file);
  let text: string | undefined;
  try {
    const dirStat = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (!dirStat) return undefined;
    if (dirStat.isSymbolicLink()) throw new LinkRefusedError(dir);
    text = readPrivateFile(file, { tighten: true, warn });
    if (text === undefined) return undefined;
    ensurePrivateDir(dir, warn);
  } catch (e) {
    if (e instanceof LinkRefusedError) throw e;
    warn(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}); treating ${userId} as signed out`);
    return undefined;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    warn(`${file} is damaged (not JSON); treating ${userId} as signed out`);
    return undefined;
  }
  const parsed = SessionSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    warn(`${file} is not an algo session (${issue.path.join('.') || 'root'}: ${issue.message}); treating ${userId} as signed out`);
    return undefined;
  }
  if (parsed.data.user_id !== userId) {
    warn(`${file} holds the session of another user; treating ${userId} as signed out`);
    return undefined;
  }
  return registerTokens(parsed.data);
}

/** Remove a user's session file; true when there was one. */
export function removeSession(dataDir: string, userId: string): boolean {
  try {
    fs.unlinkSync(sessionPath(dataDir, userId));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Every readable session in the folder (damaged ones are reported and skipped). */
export function listSessions(dataDir: string, warn: Warn = stderrWarn): Session[] {
  const dir = sessionsDir(dataDir);
  if (fs.lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) {
    warn(`${new LinkRefusedError(dir).message}; no session is read through it`);
    return [];
  }
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: Session[] = [];
  for (const name of names.sort()) {
    const m = /^([A-Z0-9]{2,12})\.json$/.exec(name);
    if (!m) continue;
    let s: Session | undefined;
    try {
      s = readSession(dataDir, m[1]!, warn);
    } catch (e) {
      // One planted link must not stop every other session from being found: skip it, say so.
      if (!(e instanceof LinkRefusedError)) throw e;
      warn(`${e.message}; skipping it`);
    }
    if (s) out.push(s);
  }
  return out;
}

/** The session whose session_token this is (for the REST API); every candidate is compared in constant time. */
export function findSessionByToken(dataDir: string, token: string, warn: Warn = stderrWarn): Session | undefined {
  let found: Session | undefined;
  for (const s of listSessions(dataDir, warn)) {
    if (constantTimeEqual(s.session_token, token) && !found) found = s;
  }
  return found;
}

/** What may be shown about a session: everything but its tokens. */
export interface SessionIdentity {
  profile: string;
  user_id: string;
  user_name: string;
  email: string;
  broker: string;
  login_time: string;
  expires_at: string;
  sandbox: boolean;
}

export function sessionIdentity(s: Session, profile: string = s.profile): SessionIdentity {
  return {
    profile,
    user_id: s.user_id,
    user_name: s.user_name,
    email: s.email,
    broker: s.broker,
    login_time: s.login_time,
    expires_at: s.expires_at,
    sandbox: s.sandbox,
  };
}
