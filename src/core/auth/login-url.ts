import { UsageError } from '../errors.js';

/**
 * Kite's login URL built from a configurable base (kiteconnect's getLoginURL ignores custom roots):
 * BASE?v=3&api_key=KEY&redirect_params=state%3DSTATE, plus redirect_url for the sandbox only.
 */
export function buildLoginUrl(base: string, apiKey: string, state: string, redirectUrl?: string): string {
  const url = new URL(base);
  url.searchParams.set('v', '3');
  url.searchParams.set('api_key', apiKey);
  url.searchParams.set('redirect_params', new URLSearchParams({ state }).toString());
  if (redirectUrl) url.searchParams.set('redirect_url', redirectUrl);
  return url.toString();
}

/** What Kite's redirect carries. */
export interface CallbackParams {
  state: string | null;
  requestToken: string | null;
  status: string | null;
}

export function callbackParams(query: URLSearchParams): CallbackParams {
  return { state: query.get('state'), requestToken: query.get('request_token'), status: query.get('status') };
}

/** Parse a redirected URL a person pasted (from the browser's address bar). */
export function parsePastedUrl(text: string): CallbackParams {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError('that is not a URL', 'paste the whole address the browser ended on, starting with http');
  }
  return callbackParams(url.searchParams);
}
