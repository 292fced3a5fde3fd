/** The sandbox's login pages: small, self-contained HTML; everything echoed is escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f5f5f5;color:#222;margin:0}
main{max-width:380px;margin:8vh auto;background:#fff;padding:28px 32px;border-radius:6px;box-shadow:0 1px 4px #0002}
h1{font-size:20px;margin:0 0 4px}p.sub{color:#777;margin:0 0 20px;font-size:13px}
label{display:block;font-size:13px;margin:12px 0 4px}input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:9px;border:1px solid #ccc;border-radius:3px}
button{margin-top:18px;width:100%;padding:10px;background:#ff5722;color:#fff;border:0;border-radius:3px;font-size:15px}
table{width:100%;font-size:13px;border-collapse:collapse;margin-top:18px}td{padding:3px 0}.err{color:#c62828}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>
`;
}

export interface LoginForm {
  apiKey: string;
  redirectParams: string;
  redirectUrl: string;
  users: Array<{ userId: string; name: string }>;
  password: string;
}

export function loginPage(form: LoginForm): string {
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const rows = form.users.map((u) => `<tr><td><code>${escapeHtml(u.userId)}</code></td><td>${escapeHtml(u.name)}</td></tr>`).join('');
  const options = form.users.map((u) => `<option value="${escapeHtml(u.userId)}">${escapeHtml(u.name)}</option>`).join('');
  return page(
    'Login - Kite sandbox',
    `<h1>Kite sandbox</h1><p class="sub">An offline stand-in for Kite. Log in as one of the demo users.</p>
<form method="post" action="/connect/login">
${hidden('api_key', form.apiKey)}${hidden('redirect_params', form.redirectParams)}${hidden('redirect_url', form.redirectUrl)}
<label for="user_id">User ID</label><input type="text" id="user_id" name="user_id" list="demo-users" autocomplete="username" required autofocus>
<datalist id="demo-users">${options}</datalist>
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Login</button>
</form>
<table><tr><th align="left">Demo user</th><th align="left">Name</th></tr>${rows}</table>
<p class="sub">The password of every demo user is <code>${escapeHtml(form.password)}</code>.</p>`,
  );
}

/** Kite's kind of error page: a title, one line, and optionally a way back. */
export function errorPage(title: string, message: string, back?: string): string {
  const link = back ? `<p><a href="${escapeHtml(back)}">Back to login</a></p>` : '';
  return page(`${title} - Kite sandbox`, `<h1 class="err">${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${link}`);
}
