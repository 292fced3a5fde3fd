/** One request the sandbox answered. */
export interface LoggedRequest {
  method: string;
  /** The path without the query, e.g. `/quote`. */
  path: string;
  /** The query string as sent (without `?`). */
  query: string;
  status: number;
  /** Wall time it was answered (ms since epoch). */
  at: number;
}

const MAX_ENTRIES = 10_000;

/**
 * The requests a sandbox answered, newest last (the last 10,000): what a test or a benchmark reads
 * to count, say, the /quote calls of one command.
 */
export class RequestLog {
  private list: LoggedRequest[] = [];

  add(method: string, url: string, status: number): void {
    const q = url.indexOf('?');
    this.list.push({ method, path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1), status, at: Date.now() });
    if (this.list.length > MAX_ENTRIES) this.list = this.list.slice(-MAX_ENTRIES);
  }

  entries(): LoggedRequest[] {
    return [...this.list];
  }

  /** How many requests match: a path (exact, or a RegExp) and optionally a method. */
  count(path?: string | RegExp, method?: string): number {
    return this.list.filter((r) => (path === undefined || (typeof path === 'string' ? r.path === path : path.test(r.path))) && (!method || r.method === method)).length;
  }

  clear(): void {
    this.list = [];
  }
}
