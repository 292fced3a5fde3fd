import type { Bar } from './bars.js';
import type { BarWindow } from './types.js';

/** The last `size` closed bars in a ring; the strategy reads them only through BarWindow. */
export class RingWindow implements BarWindow {
  private readonly ring: Bar[] = [];
  private next = 0;
  constructor(readonly size: number) {}

  push(bar: Bar): void {
    if (this.ring.length < this.size) this.ring.push(bar);
    else this.ring[this.next] = bar;
    this.next = (this.next + 1) % this.size;
  }

  get count(): number {
    return this.ring.length;
  }

  at(k: number): Bar {
    if (!Number.isInteger(k) || k >= 0 || -k > this.size) throw new RangeError(`bars.at(${k}): k must be from -1 (the bar just closed) to -${this.size} (the warm-up)`);
    if (-k > this.ring.length) throw new RangeError(`bars.at(${k}): only ${this.ring.length} closed bars so far`);
    const i = (((this.next + k) % this.size) + this.size) % this.size;
    return this.ring.length < this.size ? this.ring[this.ring.length + k]! : this.ring[i]!;
  }

  last(n: number): readonly Bar[] {
    if (!Number.isInteger(n) || n < 1 || n > this.size) throw new RangeError(`bars.last(${n}): n must be from 1 to ${this.size} (the warm-up)`);
    const m = Math.min(n, this.ring.length);
    const out: Bar[] = [];
    for (let k = -m; k <= -1; k++) out.push(this.at(k));
    return Object.freeze(out);
  }
}
