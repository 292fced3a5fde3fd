import { describeError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import { toApiError } from '../api-error.js';
import { loginFailedPage, SECRET_PAGE_HEADERS, sessionTokenPage } from '../callback-page.js';
import { clientKey, type LoginStates } from '../login-states.js';
import { CallbackQuery, LoginQuery } from '../schemas.js';
import { publicRoute, userRoute, type RouteSpec } from '../route-spec.js';
import { z } from 'zod';

const TAG = 'auth';
export const CALLBACK_PATH = '/api/auth/callback';

const MeData = z
  .object({
    user_id: z.string(),
    user_name: z.string(),
    email: z.string(),
    broker: z.string(),
    profile: z.string(),
    sandbox: z.boolean(),
    login_time: z.string().describe('ISO 8601, +05:30'),
    expires_at: z.string().describe('ISO 8601, +05:30'),
  })
  .meta({ id: 'Me' });

export function authRoutes(states: LoginStates): RouteSpec[] {
  return [
    publicRoute({
      method: 'GET',
      url: '/api/auth/login',
      summary: "Redirect to Kite's (or the sandbox's) login page; Kite comes back to /api/auth/callback",
      tag: TAG,
      query: LoginQuery,
      raw: { status: 302, contentType: 'text/html', description: 'redirect to the login page' },
      failures: { 400: 'no profile of that name, or a profile of the other kind (live on a sandbox server, or the reverse) (InputException)' },
      handler: async ({ deps, query, request, reply, baseUrl }) => {
        const profile = query.profile ?? deps.defaultProfile;
        const url = deps.login.loginUrl(profile, () => states.issue(profile, clientKey(request.ip)), `${baseUrl}${CALLBACK_PATH}`);
        return reply.header('cache-control', 'no-store').redirect(url, 302);
      },
    }),
    publicRoute({
      method: 'GET',
      url: CALLBACK_PATH,
      summary: 'Where Kite sends the browser after login: checks the state, writes the session, shows the session token once',
      tag: TAG,
      query: CallbackQuery,
      raw: { status: 200, contentType: 'text/html', description: 'a page that shows the new session token once' },
      failures: {
        400: 'a page: the state is unknown, used or expired, or the profile is gone',
        403: "a page: Kite refused the request token, or the sign-in was another user than the profile's (nothing is saved)",
      },
      handler: async ({ deps, query, reply }) => {
        reply.headers(SECRET_PAGE_HEADERS);
        const profile = states.take(query.state);
        if (profile === null) {
          return reply.code(400).send(loginFailedPage('This login link is unknown, used or expired.'));
        }
        try {
          const session = await deps.login.complete(profile, query.request_token);
          return reply.code(200).send(sessionTokenPage(session.user_id, session.user_name, session.session_token));
        } catch (err) {
          const e = toApiError(err);
          return reply.code(e.status === 401 ? 403 : e.status).send(loginFailedPage(redact(describeError(e))));
        }
      },
    }),
    userRoute({
      method: 'POST',
      url: '/api/auth/logout',
      summary: 'Invalidate the access token at Kite and delete the session',
      tag: TAG,
      limit: 'write',
      data: z.object({ logged_out: z.boolean(), kite_invalidated: z.boolean() }),
      handler: async ({ deps }, s) => {
        let kiteInvalidated = true;
        try {
          await deps.login.logout(s);
        } catch {
          kiteInvalidated = false; // the local session goes anyway
        }
        await deps.sessions.remove(s);
        return { logged_out: true, kite_invalidated: kiteInvalidated };
      },
    }),
    userRoute({
      method: 'GET',
      url: '/api/auth/me',
      summary: 'Who the token belongs to (profile fields, never tokens)',
      tag: TAG,
      limit: 'read',
      data: MeData,
      handler: async (_ctx, s) => ({
        user_id: s.user_id,
        user_name: s.user_name,
        email: s.email,
        broker: s.broker,
        profile: s.profile,
        sandbox: s.sandbox,
        login_time: s.login_time,
        expires_at: s.expires_at,
      }),
    }),
  ];
}

