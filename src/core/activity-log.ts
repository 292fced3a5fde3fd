import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { LinkRefusedError, openNoFollow, refuseLink } from './auth/fs-private.js';
import { describeError } from './errors.js';
import { USER_ID_RE } from './paths.js';

/**
 * One line of a user's activity log: never a token, never a body. A request answered 429 (rate
 * limited) gets no line of its own: they are counted, and one summary line per interval says how
 * many there were (`count`), since when (`since`), and per route (`routes`, "METHOD /pattern": n);
 * its method and route are "-", its ms 0.
 */
export const ActivityEntrySchema = z.object({
  time: z.string(),
  method: z.string(),
  route: z.string(),
  status: z.number().int(),
  ms: z.number(),
  count: z.number().int().positive().optional(),
  since: z.string().optional(),
  routes: z.record(z.string(), z.number().int()).optional(),
});
export type ActivityEntry = z.infer<typeof ActivityEntrySchema>;

export function activityDir(dataDir: string): string {
  return path.join(dataDir, 'activity');
}

export function activityFile(dataDir: string, userId: string): string {
  if (!USER_ID_RE.test(userId)) throw new RangeError('not a user id');
  return path.join(activityDir(dataDir), `${userId}.jsonl`);
}

/** The n-th rotated log of a user (1 = the newest): `<user_id>.<n>.jsonl`. */
export function rotatedActivityFile(dataDir: string, userId: string, n: number): string {
  if (!USER_ID_RE.test(userId)) throw new RangeError('not a user id');
  if (!Number.isInteger(n) || n < 1) throw new RangeError('not a rotation number');
  return path.join(activityDir(dataDir), `${userId}.${n}.jsonl`);
}

/** How much log a user may have, and how often the 429s are summed up. */
export interface ActivityLimits {
  /** The current file is rotated once it holds this many bytes (default 4 MiB). */
  maxBytes?: number;
  /** ...or once its first line is this much older than the newest line (default 7 days, by the entries' times). */
  maxAgeMs?: number;
  /** Rotated files kept, `<user_id>.1.jsonl` (newest) to `<user_id>.<keep>.jsonl` (default 3); older ones are deleted. */
  keep?: number;
  /** Requests answered 429 are counted and written as one line per user per this interval (default 60 s). */
  rateLimitedEveryMs?: number;
}

export const ACTIVITY_DEFAULTS = {
  maxBytes: 4 * 1024 * 1024,
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  keep: 3,
  rateLimitedEveryMs: 60_000,
} as const satisfies Required<ActivityLimits>;

/** A user's file kept open for appends: its size and the time of its first line, for rotation. */
interface OpenLog {
  fd: number;
  size: number;
  /** Date.parse of the first line's time; NaN when unknown (then only its size rotates it). */
  startedAt: number;
}

/** Lines waiting for the next batch of one user, with the times of the first and last. */
interface Pending {
  text: string;
  first: number;
  last: number;
}

/** The 429s of one user in the current interval. */
interface Limited {
  count: number;
  since: string;
  last: string;
  routes: Map<string, number>;
}

/** The time of the first line of a log file (read from its first 4 KiB), or NaN. */
function firstLineTime(file: string): number {
  let fd: number;
  try {
    fd = openNoFollow(file, fs.constants.O_RDONLY);
  } catch {
    return NaN;
  }
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const end = buf.subarray(0, n).indexOf(0x0a);
    if (end < 0) return NaN;
    const time = (JSON.parse(buf.subarray(0, end).toString('utf8')) as { time?: unknown }).time;
    return typeof time === 'string' ? Date.parse(time) : NaN;
  } catch {
    return NaN;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Appends activity lines per user to `<dataDir>/activity/<user_id>.jsonl` (mode 0600). Lines are
 * buffered and written in batches shortly after, one append per user per batch through files kept
 * open (at most `maxOpen`), so logging costs a request almost nothing; close() writes whatever is
 * left and closes them. The appends are synchronous: a few small writes to the page cache per
 * batch cost far less than a thread-pool round trip (and its wake-ups) per user per batch.
 *
 * Bounded: a file is rotated (`.jsonl` -> `.1.jsonl` -> ... -> `.<keep>.jsonl`, the oldest
 * deleted) before a batch would take it past `maxBytes`, or once its first line is `maxAgeMs`
 * older than the batch; so a user has at most (keep + 1) x maxBytes of log (16 MiB by default).
 * Requests answered 429 are not logged one line each (a client hammering the API would fill the
 * log with them): they are counted, and one summary line per user per `rateLimitedEveryMs` says
 * how many; close() writes the last count.
 */
export class ActivityLog {
  private readonly pending = new Map<string, Pending>();
  private readonly open = new Map<string, OpenLog>();
  private readonly limited = new Map<string, Limited>();
  /** Users whose log is a symbolic link (refused, said once). */
  private readonly refused = new Set<string>();
  private readonly limits: Required<ActivityLimits>;
  private timer: NodeJS.Timeout | undefined;
  private limitedTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly delayMs = 50,
    private readonly maxOpen = 256,
    limits: ActivityLimits = {},
  ) {
    this.limits = { ...ACTIVITY_DEFAULTS, ...limits };
  }

  record(userId: string, entry: ActivityEntry): void {
    if (entry.status === 429) return this.countLimited(userId, entry);
    this.queue(userId, JSON.stringify(entry) + '\n', Date.parse(entry.time));
  }

  private queue(userId: string, line: string, time: number): void {
    const p = this.pending.get(userId);
    if (p) {
      p.text += line;
      p.last = time;
    } else {
      this.pending.set(userId, { text: line, first: time, last: time });
    }
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
  }

  private countLimited(userId: string, entry: ActivityEntry): void {
    let l = this.limited.get(userId);
    if (!l) {
      l = { count: 0, since: entry.time, last: entry.time, routes: new Map() };
      this.limited.set(userId, l);
    }
    l.count++;
    l.last = entry.time;
    const key = `${entry.method} ${entry.route}`;
    l.routes.set(key, (l.routes.get(key) ?? 0) + 1);
    if (!this.limitedTimer) {
      this.limitedTimer = setTimeout(() => {
        this.limitedTimer = undefined;
        this.summarizeLimited();
      }, this.limits.rateLimitedEveryMs);
      this.limitedTimer.unref(); // close() writes what is left
    }
  }

  /** Queue one summary line per user for the 429s counted so far. */
  private summarizeLimited(): void {
    clearTimeout(this.limitedTimer);
    this.limitedTimer = undefined;
    const counted = [...this.limited];
    this.limited.clear();
    for (const [userId, l] of counted) {
      const line: ActivityEntry = {
        time: l.last,
        method: '-',
        route: '-',
        status: 429,
        ms: 0,
        count: l.count,
        since: l.since,
        routes: Object.fromEntries(l.routes),
      };
      this.queue(userId, JSON.stringify(line) + '\n', Date.parse(l.last));
    }
  }

  /** Write everything recorded so far (the 429s still being counted wait for their interval, or close()). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending];
    this.pending.clear();
    for (const [userId, p] of batch) this.write(userId, p);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.summarizeLimited();
    await this.flush();
    for (const log of this.open.values()) this.closeFd(log.fd);
    this.open.clear();
  }

  private closeFd(fd: number): void {
    try {
      fs.closeSync(fd);
    } catch {
      // already gone: nothing left to write to it
    }
  }

  private logOf(userId: string): OpenLog {
    const known = this.open.get(userId);
    if (known !== undefined) return known;
    const dir = activityDir(this.dataDir);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    refuseLink(dir);
    const file = activityFile(this.dataDir, userId);
    const { O_WRONLY, O_APPEND, O_CREAT } = fs.constants;
    const fd = openNoFollow(file, O_WRONLY | O_APPEND | O_CREAT, 0o600);
    let log: OpenLog;
    try {
      fs.fchmodSync(fd, 0o600);
      const size = fs.fstatSync(fd).size;
      log = { fd, size, startedAt: size > 0 ? firstLineTime(file) : NaN };
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    if (this.open.size >= this.maxOpen) {
      const [oldest, old] = this.open.entries().next().value!;
      this.open.delete(oldest);
      this.closeFd(old.fd);
    }
    this.open.set(userId, log);
    return log;
  }

  /** Close the user's file and shift the rotated ones: .jsonl -> .1.jsonl -> ... ; the one past `keep` is deleted. */
  private rotate(userId: string, log: OpenLog): void {
    this.closeFd(log.fd);
    this.open.delete(userId);
    const { keep } = this.limits;
    const file = activityFile(this.dataDir, userId);
    if (keep < 1) {
      fs.rmSync(file, { force: true });
      return;
    }
    for (let n = keep; n >= 1; n--) {
      const from = n === 1 ? file : rotatedActivityFile(this.dataDir, userId, n - 1);
      try {
        fs.renameSync(from, rotatedActivityFile(this.dataDir, userId, n)); // replaces (so deletes) the oldest
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }

  private write(userId: string, p: Pending): void {
    try {
      const bytes = Buffer.from(p.text);
      let log = this.logOf(userId);
      const tooBig = log.size > 0 && log.size + bytes.length > this.limits.maxBytes;
      const tooOld = log.size > 0 && p.last - log.startedAt > this.limits.maxAgeMs;
      if (tooBig || tooOld) {
        this.rotate(userId, log);
        log = this.logOf(userId);
      }
      if (log.size === 0) log.startedAt = p.first;
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(log.fd, bytes, done);
      log.size += bytes.length;
    } catch (err) {
      if (err instanceof LinkRefusedError) {
        // Said once per user, not once per batch: nothing is written through the link.
        if (this.refused.has(userId)) return;
        this.refused.add(userId);
        process.stderr.write(`algo serve: not writing the activity log of ${userId}: ${describeError(err)}\n`);
        return;
      }
      process.stderr.write(`algo serve: cannot write the activity log of ${userId}: ${(err as Error).message}\n`);
    }
  }
}

/** Read this much of a file at a time, from its end. */
const CHUNK = 64 * 1024;
/** A line longer than this is no activity entry (they are ~100 bytes): skipped without keeping it whole. */
const MAX_LINE = 64 * 1024;
/** Never look past this many rotated files. */
const MAX_ROTATED = 64;

/**
 * The lines of an open file from the last to the first, read backwards CHUNK bytes at a time: the
 * memory used is one buffer of a chunk and at most one line, whatever the size of the file (the
 * buffer is reused: the unfinished line is moved up behind the next chunk, nothing is allocated
 * per chunk but the lines given out).
 */
function* linesBackwards(fd: number): Generator<string> {
  let pos = fs.fstatSync(fd).size;
  const work = Buffer.allocUnsafe(Math.min(pos, CHUNK + MAX_LINE));
  let restLen = 0; // the start of a line read so far, at work[0, restLen)
  let skipping = false;
  while (pos > 0) {
    const len = Math.min(CHUNK, pos);
    pos -= len;
    if (restLen > 0) work.copy(work, len, 0, restLen); // memmove: the line's start goes behind this chunk
    let got = 0;
    while (got < len) {
      const n = fs.readSync(fd, work, got, len - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    if (got < len) work.copy(work, got, len, len + restLen); // a file that shrank meanwhile: close the gap
    const data = work.subarray(0, got + restLen);
    let end = data.length;
    for (let i = end > 0 ? data.lastIndexOf(0x0a, end - 1) : -1; i >= 0; i = end > 0 ? data.lastIndexOf(0x0a, end - 1) : -1) {
      if (skipping) skipping = false;
      else if (i + 1 < end) yield data.subarray(i + 1, end).toString('utf8');
      end = i;
    }
    restLen = end;
    if (restLen > MAX_LINE) {
      restLen = 0;
      skipping = true;
    }
  }
  if (restLen > 0 && !skipping) yield work.subarray(0, restLen).toString('utf8');
}

function parseEntry(line: string): ActivityEntry | undefined {
  if (line.trim() === '') return undefined;
  try {
    const parsed = ActivityEntrySchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // a torn last line from a crash
  }
}

/**
 * The last `limit` entries of a user's activity log, oldest first; a missing log is empty. The
 * files are read from their end, the current one first, then the rotated ones newest first, and
 * only as far back as needed: `--limit 3` reads a few KiB, however large the log. Lines that are
 * not entries (torn by a crash, damaged) are skipped and not counted.
 */
export async function readActivity(dataDir: string, userId: string, limit: number): Promise<ActivityEntry[]> {
  refuseLink(activityDir(dataDir));
  const files = [activityFile(dataDir, userId)];
  for (let n = 1; n <= MAX_ROTATED; n++) files.push(rotatedActivityFile(dataDir, userId, n));
  const newestFirst: ActivityEntry[] = [];
  for (const file of files) {
    if (newestFirst.length >= limit) break;
    let fd: number;
    try {
      fd = openNoFollow(file, fs.constants.O_RDONLY);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        if (file === files[0]) continue; // rotated files may remain after the current one was removed
        break;
      }
      throw err;
    }
    try {
      for (const line of linesBackwards(fd)) {
        const entry = parseEntry(line);
        if (entry) newestFirst.push(entry);
        if (newestFirst.length >= limit) break;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  return newestFirst.reverse();
}
