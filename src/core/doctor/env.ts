import { fail, ok, type DoctorCheck } from './check.js';
import type { Settings } from '../config.js';

/** Node's version and whether the Kite roots answer. */

export const MIN_NODE = [20, 19, 0] as const;

export function checkNode(version: string = process.versions.node): DoctorCheck {
  const parts = version.replace(/^v/, '').split('.').map((n) => Number.parseInt(n, 10));
  let older = false;
  for (let i = 0; i < MIN_NODE.length; i++) {
    const have = parts[i] ?? 0;
    if (have !== MIN_NODE[i]) {
      older = have < MIN_NODE[i]!;
      break;
    }
  }
  const want = MIN_NODE.slice(0, 2).join('.');
  return older ? fail('node', `Node ${version} is older than ${want}`, `install Node ${want} or newer`) : ok('node', `Node ${version}`);
}

/** Any HTTP answer within the timeout counts: the point is that the host is there. */
async function answers(url: string, timeoutMs: number): Promise<{ status: number } | { error: string }> {
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel().catch(() => undefined);
    return { status: res.status };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { error: `no answer within ${timeoutMs / 1000} s` };
    return { error: e.cause?.code ?? e.cause?.message ?? e.message };
  }
}

function origin(url: string): string {
  return url.replace(/^ws(s?):\/\//, 'http$1://');
}

export async function checkKite(settings: Pick<Settings, 'sandbox' | 'kiteApiRoot' | 'kiteLoginUrl' | 'kiteTickerUrl'>, timeoutMs = 3000): Promise<DoctorCheck[]> {
  if (settings.sandbox) {
    return [ok('kite', 'sandbox mode: commands use the offline Kite sandbox, Kite itself is not contacted')];
  }
  const roots: Array<[string, string, string]> = [
    ['kite api', settings.kiteApiRoot, 'KITE_API_ROOT'],
    ['kite login', settings.kiteLoginUrl, 'KITE_LOGIN_URL'],
    ['kite ticker', settings.kiteTickerUrl, 'KITE_TICKER_URL'],
  ];
  return Promise.all(
    roots.map(async ([name, url, variable]) => {
      const res = await answers(origin(url), timeoutMs);
      if ('status' in res) return ok(name, `${url} answers (HTTP ${res.status})`);
      return fail(name, `${url} cannot be reached (${res.error})`, `check the network, or ${variable}`);
    }),
  );
}
