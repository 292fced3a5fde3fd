import crypto from 'node:crypto';

const STYLE = 'body{font:16px system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{display:block;padding:.75rem;background:#f2f2f2;word-break:break-all;font-size:1.1rem}';
const STYLE_HASH = crypto.createHash('sha256').update(STYLE).digest('base64');

/** Headers for a page that holds a secret: never cached, never framed, no script, no referrer. */
export const SECRET_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
} as const;

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** The one place a session token is ever shown: right after login, once. */
export function sessionTokenPage(userId: string, userName: string, token: string): string {
  return page(
    'algo: logged in',
    `<h1>Logged in as ${escape(userName)} (${escape(userId)})</h1>` +
      `<p>Your API session token (send it as the <b>X-Session-Token</b> header). It is shown only this once; copy it now:</p>` +
      `<code>${escape(token)}</code>` +
      `<p>It ends when the Kite session does (06:00 IST). You can close this tab.</p>`,
  );
}

export function loginFailedPage(message: string): string {
  return page('algo: login failed', `<h1>Login failed</h1><p>${escape(message)}</p><p>Start again at <b>/api/auth/login</b>.</p>`);
}
