import { AuthError, KiteError } from '../errors.js';

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
