// Signs in to a sandbox as a person would: the login page's form, the 302, then generateSession
// with the checksum. Shared by the benchmarks that need a real Kite session (run against dist/).
import { KiteConnect } from 'kiteconnect';

const { SANDBOX_APP, SANDBOX_PASSWORD } = await import(new URL('../dist/sandbox/types.js', import.meta.url).href);

/** A KiteConnect client signed in to the sandbox behind `handle` (startSandbox's), and its access token. */
export async function sandboxLogin(handle, userId = 'SB0001') {
  const page = await fetch(`${handle.loginUrl}?api_key=${SANDBOX_APP.apiKey}&v=3`);
  const html = await page.text();
  const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
  const res = await fetch(handle.loginUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hidden, user_id: userId, password: SANDBOX_PASSWORD }).toString(),
    redirect: 'manual',
  });
  const requestToken = new URL(res.headers.get('location')).searchParams.get('request_token');
  const kite = new KiteConnect({ api_key: SANDBOX_APP.apiKey, root: handle.apiRoot });
  const { access_token: accessToken } = await kite.generateSession(requestToken, SANDBOX_APP.apiSecret);
  return { kite, accessToken };
}
