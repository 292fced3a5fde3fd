import type { RouteSpec } from './route-spec.js';

/** A route matched on the raw path, with its path parameters as they were sent (not decoded). */
export interface RawMatch {
  spec: RouteSpec;
  params: Record<string, string>;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The routes' patterns matched against a raw request path, for the requests fastify's router turns
 * away before any hook runs (a path parameter that is not valid percent-encoding, or too long):
 * they still get the Host check and, on a user route, the session check.
 */
export function rawRouteMatcher(routes: readonly RouteSpec[]): (method: string, url: string) => RawMatch | null {
  const compiled = routes.map((spec) => {
    const names: string[] = [];
    const source = spec.url
      .split('/')
      .map((part) => {
        if (!part.startsWith(':')) return escape(part);
        names.push(part.slice(1));
        return '([^/]*)';
      })
      .join('/');
    return { spec, names, re: new RegExp(`^${source}$`) };
  });
  return (method, url) => {
    const path = url.split('?')[0]!;
    for (const c of compiled) {
      if (c.spec.method !== method) continue;
      const m = c.re.exec(path);
      if (m) return { spec: c.spec, params: Object.fromEntries(c.names.map((n, i) => [n, m[i + 1]!])) };
    }
    return null;
  };
}

/** The first parameter that does not decode, or is longer than `max` once decoded; undefined if none. */
export function badParam(params: Record<string, string>, max: number): { name: string; problem: 'encoding' | 'length' } | undefined {
  for (const [name, raw] of Object.entries(params)) {
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      return { name, problem: 'encoding' };
    }
    if (value.length > max) return { name, problem: 'length' };
  }
  return undefined;
}
