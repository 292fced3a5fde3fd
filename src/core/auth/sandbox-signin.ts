import fs from 'node:fs';
import path from 'node:path';
import { AuthError, KiteError } from '../errors.js';
import { next0600Ist } from '../ist.js';
import { nodeCrypto } from './crypto.js';

const TIMEOUT_MS = 10_000;

/**
 * Sign in on the sandbox's login page without a browser: fetch the page, post its form as a
 * person would (user id and password, plus the hidden fields from the URL), and follow the
 * redirect, which lands on the login listener like a browser would.
 */
export async function signInToSandbox(loginUrl: string, userId: string, password: string): Promise<void> {
  const url = new URL(loginUrl);
  const pageRes = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch((e: Error) => {
    throw new KiteError('NetworkException', `cannot reach the sandbox login page at ${url.origin}: ${e.message}`);
  });
  await pageRes.arrayBuffer();
  if (!pageRes.ok) throw new KiteError('NetworkException', `the sandbox login page answered HTTP ${pageRes.status}`);

  const form = new URLSearchParams({ user_id: userId, password });
  for (const field of ['api_key', 'redirect_params', 'redirect_url']) {
    const v = url.searchParams.get(field);
    if (v !== null) form.set(field, v);
  }
  const postRes = await fetch(new URL(url.pathname, url.origin), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await postRes.arrayBuffer();
  const location = postRes.headers.get('location');
  if (postRes.status < 300 || postRes.status >= 400 || !location) {
    throw new AuthError(`the sandbox refused the sign-in as ${userId} (HTTP ${postRes.status})`, 'demo users are SB0001, SB0002 and SB0003');
  }
  // The redirect goes to our own listener; its answer is the listener's business.
  const cb = await fetch(new URL(location, url), { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  await cb.arrayBuffer();
}

/*
 * The sandbox's access tokens, as far as a data folder's own sessions need them. The sandbox app
 * and its signing key are local (`<dataDir>/sandbox.key`, made by the first sandbox on the folder),
 * so a sandbox session can be re-issued without any server, and a token can be checked against
 * the folder's key. The format is the sandbox's (src/sandbox/tokens.ts: base64url JSON claims
 * {u, k, i, e, j}, a dot, and its HMAC-SHA256 under the key); core may not import the sandbox, and
 * tests/unit/auth-sandbox-renew.test.ts holds the two to each other.
 */

/** The sandbox's signing key file in a data folder (src/sandbox/tokens.ts KEY_FILE). */
export const SANDBOX_KEY_FILE = 'sandbox.key';

/** The folder's signing key, or undefined when no sandbox has made one (or it is not 64 hex digits). */
export function readSandboxKey(dataDir: string): Buffer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, SANDBOX_KEY_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
  return /^[0-9a-f]{64}$/.test(text) ? Buffer.from(text, 'hex') : undefined;
}

function mac(key: Buffer, body: string): Buffer {
  return nodeCrypto().createHmac('sha256', key).update(body).digest();
}

/** A new access token for a demo user, as the sandbox on this folder would issue it at `now` (until the next 06:00 IST). */
export function issueSandboxToken(key: Buffer, userId: string, apiKey: string, now: number): string {
  const claims = { u: userId, k: apiKey, i: now, e: next0600Ist(now), j: nodeCrypto().randomBytes(12).toString('base64url') };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** Whether a token was signed with this key for this user and app (its expiry and revocation are not looked at). */
export function signedWith(key: Buffer, token: string, userId: string, apiKey: string): boolean {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 1024) return false;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(key, body);
  if (given.length !== expected.length || !nodeCrypto().timingSafeEqual(given, expected)) return false;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { u?: unknown; k?: unknown };
    return claims.u === userId && claims.k === apiKey;
  } catch {
    return false;
  }
}
