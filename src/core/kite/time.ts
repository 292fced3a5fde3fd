import { parseIst } from '../ist.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * kiteconnect turns Kite's IST "YYYY-MM-DD HH:MM:SS" strings into Dates read in the host's zone.
 * Read the Date's local wall-clock fields back and interpret them as IST. (A wall time that falls
 * in a host-zone daylight-saving gap is shifted by the host; Kite strings are handled exactly.)
 */
export function hostLocalAsIst(d: Date): number {
  return parseIst(
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`,
  );
}

/** Any Kite timestamp as the client hands it over (Date or IST string) to an instant, else null. */
export function kiteTime(v: unknown): number | null {
  if (v instanceof Date) {
    const t = hostLocalAsIst(v);
    return Number.isNaN(t) ? null : t;
  }
  if (typeof v === 'string' && v.length === 19) {
    const t = parseIst(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/** Replace the named timestamp fields of a record with instants. */
export function withInstants<T>(row: Record<string, unknown>, fields: readonly string[]): T {
  const out: Record<string, unknown> = { ...row };
  for (const f of fields) if (f in out) out[f] = kiteTime(out[f]);
  return out as T;
}
