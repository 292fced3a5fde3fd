import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * A sliding one-second window: at most `perSecond` request starts in any second. Callers over the
 * limit wait for their turn rather than fail. This is wall time between network calls, not market
 * time, so it reads a monotonic timer (injectable for tests) rather than the market Clock.
 */
export class RateGate {
  private readonly starts: number[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly windowMs = 1050,
  ) {}

  /** Resolves when one more request may start (and counts it). Turns are taken in call order. */
  take(): Promise<void> {
    const turn = this.chain.then(async () => {
      for (;;) {
        const t = this.now();
        while (this.starts.length > 0 && this.starts[0]! <= t - this.windowMs) this.starts.shift();
        if (this.starts.length < this.perSecond) break;
        await this.sleep(this.starts[0]! + this.windowMs - t);
      }
      const t = this.now();
      this.starts.push(t);
      this.open.push(t);
    });
    this.chain = turn.catch(() => undefined);
    return turn;
  }

  private readonly open: number[] = [];

  /**
   * A request taken earlier has been answered: it counts from now on. Kite counts a request when
   * it arrives, somewhere between its start and its answer; counting from the answer keeps a slow
   * request from letting the next one in too early.
   */
  finished(): void {
    const started = this.open.shift();
    if (started === undefined) return;
    const i = this.starts.indexOf(started);
    if (i >= 0) {
      this.starts.splice(i, 1);
      this.starts.push(this.now());
      this.starts.sort((a, b) => a - b);
    }
  }
}

export type RateCategory = 'quote' | 'historical' | 'other';

/** Kite's published limits, per second. */
export const KITE_RATE_LIMITS: Record<RateCategory, number> = { quote: 1, historical: 3, other: 10 };

/** What the client waits on before each request, and tells when the request was answered. */
export interface Gate {
  take(): Promise<void>;
  finished(): void;
}

/** A lock file older than this belongs to a process that died holding it. */
const STALE_LOCK_MS = 2000;
/** How long to wait before trying a busy lock again. */
const LOCK_RETRY_MS = 2;
/** Past this, a broken lock is taken over rather than waited for (the file is then only advisory). */
const LOCK_GIVE_UP_MS = 5000;

type Starts = Partial<Record<RateCategory, number[]>>;

/** `<dir>/ratelimit-<first 16 hex of sha256(api_key)>.json`: the api key itself is never written. */
export function rateLimitFile(dir: string, apiKey: string): string {
  return path.join(dir, `ratelimit-${createHash('sha256').update(apiKey).digest('hex').slice(0, 16)}.json`);
}

/**
 * The same sliding window as RateGate, kept in a small file shared by every process of one app
 * (the dashboard, a script, the API on one data folder): the request starts of the last window
 * per category, read and written under a lock file created with O_EXCL. Wall-clock time
 * (Date.now) is what every process agrees on; the lock is held only for one read and one write.
 * Within one process, turns are still taken in call order.
 */
export class SharedRateGate implements Gate {
  private chain: Promise<void> = Promise.resolve();
  private readonly lock: string;

  constructor(
    readonly file: string,
    readonly category: RateCategory,
    readonly perSecond: number = KITE_RATE_LIMITS[category],
    private readonly now: () => number = () => Date.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly windowMs = 1050,
  ) {
    this.lock = `${file}.lock`;
  }

  take(): Promise<void> {
    const turn = this.chain.then(async () => {
      const since = this.now();
      for (;;) {
        const wait = this.tryTake(this.now() - since > LOCK_GIVE_UP_MS);
        if (wait <= 0) return;
        await this.sleep(wait);
      }
    });
    this.chain = turn.catch(() => undefined);
    return turn;
  }

  /** 0 when a request may start now (and it is counted), else how long to wait before asking again. */
  private tryTake(force: boolean): number {
    if (!this.acquire(force)) return LOCK_RETRY_MS;
    try {
      const t = this.now();
      const all = this.read();
      const starts = (all[this.category] ?? []).filter((s) => s > t - this.windowMs && s <= t + this.windowMs);
      if (starts.length >= this.perSecond) return Math.max(1, Math.min(...starts) + this.windowMs - t);
      starts.push(t);
      all[this.category] = starts;
      this.write(all);
      this.open.push(t);
      return 0;
    } finally {
      this.release();
    }
  }

  private readonly open: number[] = [];

  /**
   * As RateGate.finished: the oldest request of this gate still out counts from its answer. Done
   * in turn with this process's takes, so the next one sees it.
   */
  finished(): void {
    const started = this.open.shift();
    if (started === undefined) return;
    const answered = this.now();
    const work = this.chain.then(async () => {
      const since = this.now();
      while (!this.acquire(this.now() - since > LOCK_GIVE_UP_MS)) await this.sleep(LOCK_RETRY_MS);
      try {
        const all = this.read();
        const starts = all[this.category] ?? [];
        const i = starts.indexOf(started);
        if (i < 0) return;
        starts[i] = Math.max(started, answered);
        all[this.category] = starts;
        this.write(all);
      } finally {
        this.release();
      }
    });
    this.chain = work.catch(() => undefined);
  }

  private acquire(force: boolean): boolean {
    try {
      fs.closeSync(fs.openSync(this.lock, 'wx', 0o600));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        fs.mkdirSync(path.dirname(this.lock), { recursive: true, mode: 0o700 });
        return false;
      }
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    try {
      if (force || this.now() - fs.statSync(this.lock).mtimeMs > STALE_LOCK_MS) fs.rmSync(this.lock, { force: true });
    } catch {
      // released meanwhile
    }
    return false;
  }

  private release(): void {
    fs.rmSync(this.lock, { force: true });
  }

  private read(): Starts {
    try {
      const json = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, unknown>;
      const out: Starts = {};
      for (const c of Object.keys(KITE_RATE_LIMITS) as RateCategory[]) {
        const v = json[c];
        if (Array.isArray(v)) out[c] = v.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
      }
      return out;
    } catch {
      return {}; // missing, or torn by a crash: nothing counted
    }
  }

  private write(all: Starts): void {
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}

const gates = new Map<string, Gate>();

/**
 * One gate per API key and category (Kite counts per app). With `dir` (the data folder's cache)
 * the gate is shared by every process on that folder through a file there; without it, by this
 * process only. A folder that cannot be written falls back to the in-process gate.
 */
export function gateFor(apiKey: string, category: RateCategory, dir?: string): Gate {
  const key = `${dir ?? ''}\u0000${apiKey}\u0000${category}`;
  let g = gates.get(key);
  if (!g) {
    g = dir ? sharedOrLocal(rateLimitFile(dir, apiKey), category) : new RateGate(KITE_RATE_LIMITS[category]);
    gates.set(key, g);
  }
  return g;
}

function sharedOrLocal(file: string, category: RateCategory): Gate {
  const shared = new SharedRateGate(file, category);
  const local = new RateGate(KITE_RATE_LIMITS[category]);
  let broken = false;
  let usedShared = 0;
  return {
    async take() {
      if (broken) return local.take();
      try {
        await shared.take();
        usedShared++;
      } catch {
        broken = true; // a read-only or vanished folder: keep this process under the limits at least
        await local.take();
      }
    },
    finished() {
      if (usedShared > 0) {
        usedShared--;
        shared.finished();
      } else {
        local.finished();
      }
    },
  };
}
