/** Reconnect delays: 1 s, 2 s, 4 s ... capped, with up to 20% jitter so clients do not stampede. */
export function backoffDelay(attempt: number, opts: { initialMs?: number; maxMs?: number; random?: () => number } = {}): number {
  const initial = opts.initialMs ?? 1000;
  const max = opts.maxMs ?? 30_000;
  const base = Math.min(max, initial * 2 ** Math.max(attempt - 1, 0));
  const jitter = 1 + (opts.random ?? Math.random)() * 0.2;
  return Math.min(max, Math.round(base * jitter));
}
