import { useEffect, useState } from 'react';
import type { Clock } from '../../core/clock.js';

/** The clock's time, read again every `everyMs` (the header's clock and countdown). */
export function useNow(clock: Clock, everyMs = 1000): number {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    const t = setInterval(() => setNow(clock.now()), everyMs);
    return () => clearInterval(t);
  }, [clock, everyMs]);
  return now;
}
