import { createHash, timingSafeEqual } from 'node:crypto';
import { formatIst } from '../../core/ist.js';
import { inputError, tokenError } from '../errors.js';
import { readForm } from '../http.js';
import type { RequestContext, Route } from '../router.js';
import { randomToken } from '../tokens.js';
import { SANDBOX_APP } from '../types.js';
import { demoUser } from '../users.js';
import { kiteProfile } from './user.js';

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The app's secret for an api key; the sandbox has one app. */
export function secretOf(apiKey: string): string | undefined {
  return apiKey === SANDBOX_APP.apiKey ? SANDBOX_APP.apiSecret : undefined;
}

/** POST /session/token: request token + checksum -> a session shaped like generate_session.json. */
async function exchange(ctx: RequestContext) {
  const form = await readForm(ctx.req);
  const apiKey = form.get('api_key') ?? '';
  const requestToken = form.get('request_token') ?? '';
  const checksum = form.get('checksum') ?? '';
  if (!apiKey || !requestToken || !checksum) throw inputError('`api_key`, `request_token` and `checksum` are required.');
  const secret = secretOf(apiKey);
  if (!secret) throw tokenError('Invalid `api_key`.');
  const { tokens, clock } = ctx.deps;
  const pending = tokens.requests.peek(requestToken, clock.now());
  if (!pending || pending.apiKey !== apiKey) throw tokenError('Token is invalid or has expired.');
  const expected = createHash('sha256').update(apiKey + requestToken + secret).digest('hex');
  if (!sameText(checksum.toLowerCase(), expected)) throw tokenError('Invalid checksum.');
  tokens.requests.consume(requestToken, clock.now());
  const user = demoUser(pending.userId)!;
  const { accessToken, claims } = tokens.issueAccessToken(user.user_id, apiKey);
  return {
    ...kiteProfile(user),
    avatar_url: '',
    api_key: apiKey,
    access_token: accessToken,
    public_token: randomToken(),
    enctoken: randomToken(),
    refresh_token: '',
    silo: '',
    login_time: formatIst(claims.issuedAt),
  };
}

/** DELETE /session/token?api_key=..&access_token=..: revokes the token in every sandbox on this data folder. */
function logout(ctx: RequestContext) {
  const apiKey = ctx.url.searchParams.get('api_key') ?? '';
  const accessToken = ctx.url.searchParams.get('access_token') ?? '';
  const claims = ctx.deps.tokens.verify(apiKey, accessToken);
  if (!claims) throw tokenError();
  ctx.deps.tokens.revoke(claims);
  return true;
}

export const sessionRoutes: Route[] = [
  { method: 'POST', path: '/session/token', auth: false, handle: exchange },
  { method: 'DELETE', path: '/session/token', auth: false, handle: logout },
];
