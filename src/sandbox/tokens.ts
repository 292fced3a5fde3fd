import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Clock } from '../core/clock.js';
import { AlgoError } from '../core/errors.js';
import { next0600Ist } from '../core/ist.js';

/** The HMAC key that signs access tokens: one per data folder, so every sandbox sharing it agrees. */
export const KEY_FILE = 'sandbox.key';
/** Revoked access tokens (by id, with their expiry), shared by every sandbox on the data folder. */
export const REVOKED_FILE = 'sandbox-revoked.json';
export const REQUEST_TOKEN_TTL_MS = 5 * 60_000;

export interface AccessClaims {
  userId: string;
  apiKey: string;
  issuedAt: number;
  /** The next 06:00 IST after issue, as on Kite. */
  expiresAt: number;
  /** A random id, so a token can be revoked without storing the token itself. */
  id: string;
}

/** Reads `<dataDir>/sandbox.key`, creating it (0600, folder 0700) on first use; safe against a racing process. */
export function loadSigningKey(dataDir: string): Buffer {
  const file = path.join(dataDir, KEY_FILE);
  try {
    createKeyIfMissing(dataDir, file);
  } catch (err) {
    throw new AlgoError(`cannot create the sandbox signing key ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, {
      hint: 'check that the data folder is writable, or pick another with --data-dir',
      cause: err,
    });
  }
  const hex = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new AlgoError(`the sandbox signing key ${file} is not 64 hex digits`, {
      hint: 'delete it to make a new one (sandbox sessions will need a new login)',
    });
  }
  return Buffer.from(hex, 'hex');
}

function createKeyIfMissing(dataDir: string, file: string): void {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    try {
      fs.linkSync(tmp, file); // atomic create-if-absent: another process may have won the race
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

export function signAccessToken(key: Buffer, claims: AccessClaims): string {
  const body = Buffer.from(
    JSON.stringify({ u: claims.userId, k: claims.apiKey, i: claims.issuedAt, e: claims.expiresAt, j: claims.id }),
  ).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** The claims of a well-signed, unexpired token issued for `apiKey`; null otherwise (revocation not checked). */
export function verifyAccessToken(key: Buffer, apiKey: string, token: string, now: number): AccessClaims | null {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 1024) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(key, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let p: { u?: unknown; k?: unknown; i?: unknown; e?: unknown; j?: unknown };
  try {
    p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof p;
  } catch {
    return null;
  }
  if (typeof p.u !== 'string' || typeof p.k !== 'string' || typeof p.i !== 'number' || typeof p.e !== 'number' || typeof p.j !== 'string') {
    return null;
  }
  if (p.k !== apiKey || now >= p.e) return null;
  return { userId: p.u, apiKey: p.k, issuedAt: p.i, expiresAt: p.e, id: p.j };
}

/** The revocation list in the data folder, re-read whenever another process has rewritten it. */
export class Revocations {
  private readonly file: string;
  private revoked = new Map<string, number>();
  private seen = '';

  constructor(dataDir: string) {
    this.file = path.join(dataDir, REVOKED_FILE);
  }

  private refresh(): void {
    let stamp = '';
    try {
      const st = fs.statSync(this.file);
      stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      stamp = 'missing';
    }
    if (stamp === this.seen) return;
    this.seen = stamp;
    this.revoked = new Map();
    if (stamp === 'missing') return;
    try {
      const json = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, unknown>;
      for (const [id, exp] of Object.entries(json)) if (typeof exp === 'number') this.revoked.set(id, exp);
    } catch {
      // A torn or hand-edited file revokes nothing; the next write replaces it.
    }
  }

  isRevoked(id: string): boolean {
    this.refresh();
    return this.revoked.has(id);
  }

  revoke(claims: AccessClaims, now: number): void {
    this.seen = '';
    this.refresh();
    this.revoked.set(claims.id, claims.expiresAt);
    const kept: Record<string, number> = {};
    for (const [id, exp] of this.revoked) if (exp > now) kept[id] = exp; // expired tokens need no entry
    writeFileAtomic.sync(this.file, JSON.stringify(kept), { mode: 0o600 });
  }
}

interface Pending {
  userId: string;
  apiKey: string;
  expiresAt: number;
}

/** Request tokens: random, single-use, valid five minutes, kept in this process's memory. */
export class RequestTokens {
  private readonly pending = new Map<string, Pending>();

  issue(userId: string, apiKey: string, now: number): string {
    for (const [t, p] of this.pending) if (p.expiresAt <= now) this.pending.delete(t);
    const token = randomBytes(16).toString('hex');
    this.pending.set(token, { userId, apiKey, expiresAt: now + REQUEST_TOKEN_TTL_MS });
    return token;
  }

  /** The live request token's owner, without using it up. */
  peek(token: string, now: number): Pending | undefined {
    const p = this.pending.get(token);
    return p && p.expiresAt > now ? p : undefined;
  }

  consume(token: string, now: number): Pending | undefined {
    const p = this.peek(token, now);
    this.pending.delete(token);
    return p;
  }
}

/** Everything about tokens one sandbox needs, on one data folder and one clock. */
export class SandboxTokens {
  readonly requests = new RequestTokens();
  private readonly key: Buffer;
  private readonly revocations: Revocations;

  constructor(
    dataDir: string,
    private readonly clock: Clock,
  ) {
    this.key = loadSigningKey(dataDir);
    this.revocations = new Revocations(dataDir);
  }

  issueAccessToken(userId: string, apiKey: string): { accessToken: string; claims: AccessClaims } {
    const issuedAt = this.clock.now();
    const claims = { userId, apiKey, issuedAt, expiresAt: next0600Ist(issuedAt), id: randomBytes(12).toString('base64url') };
    return { accessToken: signAccessToken(this.key, claims), claims };
  }

  /** The claims of a valid token: well signed, for this api key, unexpired and not revoked. */
  verify(apiKey: string, token: string): AccessClaims | null {
    const claims = verifyAccessToken(this.key, apiKey, token, this.clock.now());
    return claims && !this.revocations.isRevoked(claims.id) ? claims : null;
  }

  /** The user id of a valid token, or null (the ticker's check). */
  userOf(apiKey: string, token: string): string | null {
    return this.verify(apiKey, token)?.userId ?? null;
  }

  revoke(claims: AccessClaims): void {
    this.revocations.revoke(claims, this.clock.now());
  }
}

/** A random token for fields that only need to look like Kite's (public_token, enctoken). */
export function randomToken(): string {
  return randomBytes(16).toString('hex');
}
