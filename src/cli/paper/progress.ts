import { formatIst } from '../../core/ist.js';
import type { CatchUpProgress } from '../../core/paper/catchup.js';
import type { OutStream } from '../io.js';

const DAY = 86_400_000;

/**
 * Prints a catch-up's progress on stderr once it has taken more than a moment (`afterMs` of real
 * time, not the account's clock, which ALGO_CLOCK may hold still), then at most every `everyMs`,
 * and a last line when it is done. A quick catch-up prints nothing.
 */
export function catchUpReporter(err: OutStream, opts: { afterMs?: number; everyMs?: number; now?: () => number } = {}): (p: CatchUpProgress) => void {
  const now = opts.now ?? (() => performance.now());
  const afterMs = opts.afterMs ?? 1000;
  const everyMs = opts.everyMs ?? 1000;
  const began = now();
  let last = -Infinity;
  let said = false;
  return (p) => {
    const t = now();
    if (p.at >= p.to) {
      if (said) err.write(`caught up to ${formatIst(p.to)}\n`);
      return;
    }
    if (t - began < afterMs || t - last < everyMs) return;
    if (!said) {
      const days = Math.max(1, Math.round((p.to - p.from) / DAY));
      err.write(`catching up the paper account from ${formatIst(p.from)} (${days} day${days === 1 ? '' : 's'} of candles, a trading day at a time)\n`);
    }
    said = true;
    last = t;
    const pct = Math.floor(((p.at - p.from) / (p.to - p.from)) * 100);
    err.write(`  up to ${formatIst(p.at).slice(0, 10)} (${pct}%)\n`);
  };
}
