/**
 * Retrying SQLite work that another process has locked. SQLite's own busy timeout already waits
 * inside each call; these loops cover what it does not (a lock held longer than the timeout,
 * WAL recovery after a crash) with a few spaced retries, then give up with the caller's error.
 */

export interface BusyPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First pause between attempts; doubles each time (with jitter), at most 1 s. */
  baseDelayMs: number;
}

/** The extended result code of a better-sqlite3 error (e.g. SQLITE_BUSY_RECOVERY), or null. */
export function sqliteCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && err.name === 'SqliteError' && typeof code === 'string' ? code : null;
}

export function isBusyError(err: unknown): boolean {
  return sqliteCode(err)?.startsWith('SQLITE_BUSY') ?? false;
}

function delayMs(policy: BusyPolicy, attempt: number): number {
  const base = Math.min(1000, policy.baseDelayMs * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

export async function retryWhileBusy<T>(policy: BusyPolicy, attempt: () => T, giveUp: (err: unknown) => Error): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return attempt();
    } catch (err) {
      if (!isBusyError(err)) throw err;
      if (i >= policy.retries) throw giveUp(err);
      await new Promise((resolve) => setTimeout(resolve, delayMs(policy, i)));
    }
  }
}

/** The same for synchronous callers (opening the store); sleeps the thread between attempts. */
export function retryWhileBusySync<T>(policy: BusyPolicy, attempt: () => T, giveUp: (err: unknown) => Error): T {
  for (let i = 0; ; i++) {
    try {
      return attempt();
    } catch (err) {
      if (!isBusyError(err)) throw err;
      if (i >= policy.retries) throw giveUp(err);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delayMs(policy, i));
    }
  }
}
