import type { Candle } from '../market/types.js';

/**
 * A fingerprint of every candle a run was fed (two FNV-1a lanes over the integer fields, cheap
 * enough for every minute): in the result, so the hash tells two runs over feeds that differ by
 * one paisa apart even when no fill moved.
 */
export class FeedDigest {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x5bd1e995;
  count = 0;

  private mix(x: number): void {
    const lo = x >>> 0;
    const hi = Math.floor(x / 4_294_967_296) >>> 0;
    this.a = Math.imul(this.a ^ lo, 0x01000193) >>> 0;
    this.a = Math.imul(this.a ^ hi, 0x01000193) >>> 0;
    this.b = Math.imul(this.b ^ lo, 0x5bd1e995) >>> 0;
    this.b = (this.b ^ (this.b >>> 13)) >>> 0;
    this.b = Math.imul(this.b ^ hi, 0x5bd1e995) >>> 0;
  }

  add(token: number, c: Candle): void {
    this.count++;
    this.mix(token);
    this.mix(c.t);
    this.mix(c.open);
    this.mix(c.high);
    this.mix(c.low);
    this.mix(c.close);
    this.mix(c.volume);
  }

  hex(): string {
    return `${this.a.toString(16).padStart(8, '0')}${this.b.toString(16).padStart(8, '0')}-${this.count}`;
  }
}
