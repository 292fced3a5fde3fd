/**
 * Entries grouped by price level, levels kept in a sorted array: the entries at or above (or at or
 * below) a price are read without looking at any other level. Insert and remove cost a binary
 * search plus, for a new or emptied level, an array splice over the levels (not the entries).
 */
export class Ladder<E> {
  private readonly levels: number[] = [];
  private readonly at = new Map<number, Map<string, E>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** First index whose level is >= x. */
  private lowerBound(x: number): number {
    let lo = 0;
    let hi = this.levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.levels[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(level: number, id: string, entry: E): void {
    let bucket = this.at.get(level);
    if (!bucket) {
      bucket = new Map();
      this.at.set(level, bucket);
      this.levels.splice(this.lowerBound(level), 0, level);
    }
    if (!bucket.has(id)) this.count++;
    bucket.set(id, entry);
  }

  remove(level: number, id: string): boolean {
    const bucket = this.at.get(level);
    if (!bucket?.delete(id)) return false;
    this.count--;
    if (bucket.size === 0) {
      this.at.delete(level);
      this.levels.splice(this.lowerBound(level), 1);
    }
    return true;
  }

  /** Push the entries at levels >= x (highest first); returns how many. */
  atOrAbove(x: number, out: E[]): number {
    const n = out.length;
    const levels = this.levels;
    if (levels.length === 0 || levels[levels.length - 1]! < x) return 0;
    for (let i = levels.length - 1; i >= 0 && levels[i]! >= x; i--) for (const e of this.at.get(levels[i]!)!.values()) out.push(e);
    return out.length - n;
  }

  /** Push the entries at levels <= x (lowest first); returns how many. */
  atOrBelow(x: number, out: E[]): number {
    const n = out.length;
    const levels = this.levels;
    if (levels.length === 0 || levels[0]! > x) return 0;
    for (let i = 0; i < levels.length && levels[i]! <= x; i++) for (const e of this.at.get(levels[i]!)!.values()) out.push(e);
    return out.length - n;
  }
}
