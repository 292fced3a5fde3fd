import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { formFields, loginViaPage, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

describe('the sandbox login page', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(() => sb.close());

  const page = (query: Record<string, string>) => fetch(`${sb.handle.loginUrl}?${new URLSearchParams(query).toString()}`);

  it('shows a form with the demo users and hidden fields carrying api_key, redirect_params and redirect_url', async () => {
    const res = await page({ api_key: SANDBOX_APP.apiKey, v: '3', redirect_params: 'state=abc&x=1', redirect_url: 'http://127.0.0.1:40000/cb' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/connect/login">');
    for (const name of ['SB0001', 'SB0002', 'SB0003', 'Asha Rao', 'Vikram Mehta', 'Priya Nair']) expect(html).toContain(name);
    expect(formFields(html)).toEqual({
      api_key: SANDBOX_APP.apiKey,
      redirect_params: 'state=abc&x=1',
      redirect_url: 'http://127.0.0.1:40000/cb',
      user_id: '',
      password: '',
    });
  });

  it("redirects to the app's registered URL with Kite's parameters and the decoded redirect_params", async () => {
    const login = await loginViaPage(sb.handle, 'sb0002', { redirectParams: 'state=s%20t&next=/x' });
    expect(login.status).toBe(302);
    const url = login.location!;
    expect(`${url.origin}${url.pathname}`).toBe(SANDBOX_APP.redirectUrl);
    expect([...url.searchParams.keys()]).toEqual(['action', 'type', 'status', 'request_token', 'state', 'next']);
    expect(url.searchParams.get('action')).toBe('login');
    expect(url.searchParams.get('type')).toBe('login');
    expect(url.searchParams.get('status')).toBe('success');
    expect(url.searchParams.get('request_token')).toMatch(/^[0-9a-f]{32}$/);
    expect(url.searchParams.get('state')).toBe('s t');
    expect(url.searchParams.get('next')).toBe('/x');
  });

  it('lets redirect_params not override the request token', async () => {
    const login = await loginViaPage(sb.handle, 'SB0001', { redirectParams: 'request_token=evil&status=failed&state=1' });
    expect(login.location!.searchParams.getAll('request_token')).toEqual([login.requestToken]);
    expect(login.requestToken).not.toBe('evil');
    expect(login.location!.searchParams.getAll('status')).toEqual(['success']);
  });

  it('redirects to another loopback URL when asked (sandbox-only extension)', async () => {
    const login = await loginViaPage(sb.handle, 'SB0003', { redirectUrl: 'http://localhost:41234/callback?keep=1' });
    expect(login.status).toBe(302);
    expect(login.location!.host).toBe('localhost:41234');
    expect(login.location!.searchParams.get('keep')).toBe('1');
    expect(login.requestToken).toBeTruthy();
  });

  it('refuses a redirect_url that is not http on loopback, on the page and on the form post', async () => {
    const res = await page({ api_key: SANDBOX_APP.apiKey, v: '3', redirect_url: 'https://evil.example/cb' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Invalid redirect_url');
    const post = await fetch(sb.handle.loginUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: SANDBOX_APP.apiKey, user_id: 'SB0001', password: 'sandbox', redirect_url: 'http://evil.example/' }).toString(),
      redirect: 'manual',
    });
    expect(post.status).toBe(400);
    expect(post.headers.get('location')).toBeNull();
  });

  it('refuses an unknown api_key with an HTML error page', async () => {
    const res = await page({ api_key: 'nope', v: '3' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Invalid api_key');
  });

  it('refuses a wrong password or an unknown user with 403 and no redirect', async () => {
    for (const [user, password] of [['SB0001', 'wrong'], ['SB9999', 'sandbox'], ['SB0001', '']]) {
      const login = await loginViaPage(sb.handle, user!, { password: password!, redirectParams: 'state=q' });
      expect(login.status).toBe(403);
      expect(login.location).toBeNull();
      expect(login.body).toContain('Invalid user ID or password');
      expect(login.body).toContain('redirect_params=state%3Dq'); // the way back keeps the flow's parameters
    }
  });

  it('escapes what it echoes', async () => {
    const evil = '"><script>alert(1)</script>';
    const html = await (await page({ api_key: SANDBOX_APP.apiKey, redirect_params: evil })).text();
    expect(html).not.toContain('<script>');
    expect(formFields(html).redirect_params).toBe(evil);
  });
});
