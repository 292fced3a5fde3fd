import { ensureBuilt, tempDataDir } from './cli.js';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { KiteConnect, type Connect } from 'kiteconnect';
import { ManualClock, type Clock } from '../../src/core/clock.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { SandboxPlan } from '../../src/core/kite/plans.js';
import { SANDBOX_APP, SANDBOX_PASSWORD, type SandboxHandle } from '../../src/sandbox/types.js';

/** Wednesday 7 January 2026, 14:00 IST: a trading day, after every demo order of the day. */
export const SANDBOX_TEST_TIME = Date.parse('2026-01-07T14:00:00+05:30');

export { tempDataDir };

export interface TestSandbox {
  handle: SandboxHandle;
  clock: ManualClock;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestSandboxOptions {
  at?: number;
  dataDir?: string;
  alwaysOpen?: boolean;
  /** Default false here, so tests can call /quote more than once a second. */
  rateLimits?: boolean;
  rateLimitClock?: Clock;
  seed?: number;
  /** The Kite Connect plan the sandbox imitates (default connect). */
  plan?: SandboxPlan;
}

/** A sandbox on 127.0.0.1 port 0 with a temp data folder (removed on close unless given) and a ManualClock. */
export async function startTestSandbox(opts: TestSandboxOptions = {}): Promise<TestSandbox> {
  const clock = new ManualClock(opts.at ?? SANDBOX_TEST_TIME);
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? tempDataDir();
  const handle = await startSandbox({
    port: 0,
    dataDir,
    clock,
    alwaysOpen: opts.alwaysOpen,
    rateLimits: opts.rateLimits ?? false,
    rateLimitClock: opts.rateLimitClock,
    seed: opts.seed,
    plan: opts.plan,
  });
  return {
    handle,
    clock,
    dataDir,
    close: async () => {
      await handle.close();
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The hidden and named inputs of the login page's form. */
export function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*\bname="([^"]+)"[^>]*>/g)) {
    const value = /\bvalue="([^"]*)"/.exec(m[0])?.[1] ?? '';
    fields[m[1]!] = value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  }
  return fields;
}

/** Sign in on a sandbox login page as a person would (its form, user and password); where the sandbox redirects. */
export async function signInOnPage(loginUrl: URL, user: string, password = SANDBOX_PASSWORD): Promise<URL> {
  const page = await fetch(loginUrl);
  const form = { ...formFields(await page.text()), user_id: user, password };
  const res = await fetch(new URL('/connect/login', loginUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  if (res.status !== 302) throw new Error(`the sandbox login page answered ${res.status}, not 302`);
  return new URL(res.headers.get('location')!);
}

export interface LoginResult {
  status: number;
  location: URL | null;
  requestToken: string | null;
  body: string;
}

/**
 * Logs in as a person would: GET the login page, fill its form (keeping its hidden fields),
 * POST it, and read the redirect (not followed).
 */
export async function loginViaPage(
  handle: SandboxHandle,
  userId: string,
  opts: { password?: string; redirectParams?: string; redirectUrl?: string; apiKey?: string } = {},
): Promise<LoginResult> {
  const q = new URLSearchParams({ api_key: opts.apiKey ?? SANDBOX_APP.apiKey, v: '3' });
  if (opts.redirectParams !== undefined) q.set('redirect_params', opts.redirectParams);
  if (opts.redirectUrl !== undefined) q.set('redirect_url', opts.redirectUrl);
  const page = await fetch(`${handle.loginUrl}?${q.toString()}`);
  const html = await page.text();
  if (page.status !== 200) return { status: page.status, location: null, requestToken: null, body: html };
  const form = { ...formFields(html), user_id: userId, password: opts.password ?? SANDBOX_PASSWORD };
  const res = await fetch(handle.loginUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  const body = await res.text();
  const raw = res.headers.get('location');
  const location = raw ? new URL(raw) : null;
  return { status: res.status, location, requestToken: location?.searchParams.get('request_token') ?? null, body };
}

export function checksumOf(requestToken: string, apiKey: string = SANDBOX_APP.apiKey, secret: string = SANDBOX_APP.apiSecret): string {
  return createHash('sha256').update(apiKey + requestToken + secret).digest('hex');
}

/** A real kiteconnect client pointed at the sandbox, logged in through the login page and generateSession. */
export async function loggedInKite(handle: SandboxHandle, userId = 'SB0001'): Promise<{ kite: Connect; accessToken: string }> {
  const login = await loginViaPage(handle, userId);
  if (!login.requestToken) throw new Error(`login as ${userId} failed with HTTP ${login.status}`);
  const kite = new KiteConnect({ api_key: SANDBOX_APP.apiKey, root: handle.apiRoot });
  const session = await kite.generateSession(login.requestToken, SANDBOX_APP.apiSecret);
  return { kite, accessToken: session.access_token };
}

/** A sandbox plus a kiteconnect client logged in as `userId`. */
export async function startSandboxWithUser(
  userId = 'SB0001',
  opts: TestSandboxOptions = {},
): Promise<TestSandbox & { kite: Connect; accessToken: string }> {
  const sandbox = await startTestSandbox(opts);
  try {
    return { ...sandbox, ...(await loggedInKite(sandbox.handle, userId)) };
  } catch (err) {
    await sandbox.close();
    throw err;
  }
}

/** Raw authorised GET against the sandbox: status, content type and parsed body. */
export async function sandboxGet(
  handle: SandboxHandle,
  pathAndQuery: string,
  accessToken: string,
): Promise<{ status: number; contentType: string | null; body: unknown; text: string }> {
  const res = await fetch(`${handle.apiRoot}${pathAndQuery}`, {
    headers: { Authorization: `token ${SANDBOX_APP.apiKey}:${accessToken}`, 'X-Kite-Version': '3' },
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type');
  let body: unknown = text;
  if (contentType?.includes('application/json')) body = JSON.parse(text);
  return { status: res.status, contentType, body, text };
}

/** dist/cli/main.js, built first when stale (`npm test` builds anyway; this keeps `npx vitest run` on one file honest). */
export function builtCli(): string {
  ensureBuilt();
  return path.resolve(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');
}
