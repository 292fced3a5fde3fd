import type { ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { readForm } from '../http.js';
import { errorPage, loginPage } from '../login-html.js';
import type { RequestContext, Route } from '../router.js';
import { SANDBOX_APP, SANDBOX_PASSWORD } from '../types.js';
import { DEMO_USERS, demoUser } from '../users.js';
import { secretOf } from './session.js';

/** Keys Kite itself puts on the redirect; `redirect_params` cannot override them. */
const RESERVED = new Set(['action', 'type', 'status', 'request_token']);

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

class LoginRefused extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly back?: string,
  ) {
    super(message);
  }
}

function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
    // form-action must allow the redirect to the app's loopback callback, where browsers enforce it.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:* http://localhost:*",
    ...headers,
  });
  res.end(html);
}

/**
 * Where to send the browser after login: the app's registered URL, or (a sandbox-only extension, so
 * tests and tools can use ephemeral ports) another http URL on 127.0.0.1 or localhost.
 */
export function redirectTarget(requested: string): URL {
  if (!requested) return new URL(SANDBOX_APP.redirectUrl);
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    throw new LoginRefused(400, 'Invalid redirect_url', 'redirect_url is not a URL.');
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname) || url.username || url.password) {
    throw new LoginRefused(400, 'Invalid redirect_url', 'redirect_url must be an http URL on 127.0.0.1 or localhost.');
  }
  return url;
}

function checkApiKey(apiKey: string): void {
  if (!secretOf(apiKey)) throw new LoginRefused(400, 'Invalid api_key', 'The api_key is missing or not a sandbox app.');
}

function loginUrlFor(apiKey: string, redirectParams: string, redirectUrl: string): string {
  const q = new URLSearchParams({ api_key: apiKey, v: '3' });
  if (redirectParams) q.set('redirect_params', redirectParams);
  if (redirectUrl) q.set('redirect_url', redirectUrl);
  return `/connect/login?${q.toString()}`;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function handled(ctx: RequestContext, fn: () => void | Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof LoginRefused)) throw err;
    sendHtml(ctx.res, err.status, errorPage(err.title, err.message, err.back));
  }
}

function showForm(ctx: RequestContext): Promise<void> {
  return handled(ctx, () => {
    const q = ctx.url.searchParams;
    const apiKey = q.get('api_key') ?? '';
    const redirectUrl = q.get('redirect_url') ?? '';
    checkApiKey(apiKey);
    redirectTarget(redirectUrl);
    const users = Object.values(DEMO_USERS).map((u) => ({ userId: u.user_id, name: u.user_name }));
    sendHtml(ctx.res, 200, loginPage({ apiKey, redirectParams: q.get('redirect_params') ?? '', redirectUrl, users, password: SANDBOX_PASSWORD }));
  });
}

function submit(ctx: RequestContext): Promise<void> {
  return handled(ctx, async () => {
    const form = await readForm(ctx.req);
    const apiKey = form.get('api_key') ?? '';
    const redirectParams = form.get('redirect_params') ?? '';
    const redirectUrl = form.get('redirect_url') ?? '';
    checkApiKey(apiKey);
    const target = redirectTarget(redirectUrl);
    const user = demoUser((form.get('user_id') ?? '').trim().toUpperCase());
    if (!user || !same(form.get('password') ?? '', SANDBOX_PASSWORD)) {
      throw new LoginRefused(403, 'Login failed', 'Invalid user ID or password.', loginUrlFor(apiKey, redirectParams, redirectUrl));
    }
    const requestToken = ctx.deps.tokens.requests.issue(user.user_id, apiKey, ctx.deps.clock.now());
    const q = target.searchParams;
    q.set('action', 'login');
    q.set('type', 'login');
    q.set('status', 'success');
    q.set('request_token', requestToken);
    for (const [k, v] of new URLSearchParams(redirectParams)) if (!RESERVED.has(k)) q.append(k, v);
    target.hash = '';
    ctx.res.writeHead(302, { Location: target.toString(), 'Cache-Control': 'no-store', 'Content-Length': 0 });
    ctx.res.end();
  });
}

export const loginRoutes: Route[] = [
  { method: 'GET', path: '/connect/login', auth: false, handle: showForm },
  { method: 'POST', path: '/connect/login', auth: false, handle: submit },
];
