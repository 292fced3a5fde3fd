import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { LinkRefusedError, openNoFollow, refuseLink } from './auth/fs-private.js';
import { describeError } from './errors.js';
import { USER_ID_RE } from './paths.js';

/** One line of a user's activity log: never a token, never a body. */
export const ActivityEntrySchema = z.object({
  time: z.string(),
  method: z.string(),
  route: z.string(),
  status: z.number().int(),
  ms: z.number(),
});
export type ActivityEntry = z.infer<typeof ActivityEntrySchema>;

export function activityDir(dataDir: string): string {
  return path.join(dataDir, 'activity');
}

export function activityFile(dataDir: string, userId: string): string {
  if (!USER_ID_RE.test(userId)) throw new RangeError('not a user id');
  return path.join(activityDir(dataDir), `${userId}.jsonl`);
}

/**
 * Appends activity lines per user to `<dataDir>/activity/<user_id>.jsonl` (mode 0600). Lines are
 * buffered and written in batches shortly after, one append per user per batch through files kept
 * open (at most `maxOpen`), so logging costs a request almost nothing; close() writes whatever is
 * left and closes them. The appends are synchronous: a few small writes to the page cache per
 * batch cost far less than a thread-pool round trip (and its wake-ups) per user per batch.
 */
export class ActivityLog {
  private readonly pending = new Map<string, string>();
  private readonly open = new Map<string, number>();
  /** Users whose log is a symbolic link (refused, said once). */
  private readonly refused = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly delayMs = 50,
    private readonly maxOpen = 256,
  ) {}

  record(userId: string, entry: ActivityEntry): void {
    this.pending.set(userId, (this.pending.get(userId) ?? '') + JSON.stringify(entry) + '\n');
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Write everything recorded so far. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending];
    this.pending.clear();
    for (const [userId, text] of batch) this.write(userId, text);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.flush();
    for (const fd of this.open.values()) {
      try {
        fs.closeSync(fd);
      } catch {
        // already gone: nothing left to write to it
      }
    }
    this.open.clear();
  }

  private fdOf(userId: string): number {
    const known = this.open.get(userId);
    if (known !== undefined) return known;
    const dir = activityDir(this.dataDir);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    refuseLink(dir);
    const { O_WRONLY, O_APPEND, O_CREAT } = fs.constants;
    const fd = openNoFollow(activityFile(this.dataDir, userId), O_WRONLY | O_APPEND | O_CREAT, 0o600);
    try {
      fs.fchmodSync(fd, 0o600);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    if (this.open.size >= this.maxOpen) {
      const [oldest, oldFd] = this.open.entries().next().value!;
      this.open.delete(oldest);
      try {
        fs.closeSync(oldFd);
      } catch {
        // already gone
      }
    }
    this.open.set(userId, fd);
    return fd;
  }

  private write(userId: string, text: string): void {
    try {
      const fd = this.fdOf(userId);
      const bytes = Buffer.from(text);
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done);
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

/** The last `limit` entries of a user's activity log, oldest first; a missing log is empty. */
export async function readActivity(dataDir: string, userId: string, limit: number): Promise<ActivityEntry[]> {
  let text: string;
  try {
    refuseLink(activityDir(dataDir));
    const fd = openNoFollow(activityFile(dataDir, userId), fs.constants.O_RDONLY);
    try {
      text = fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const out: ActivityEntry[] = [];
  for (const line of lines.slice(-limit)) {
    try {
      const parsed = ActivityEntrySchema.safeParse(JSON.parse(line));
      if (parsed.success) out.push(parsed.data);
    } catch {
      // a torn last line from a crash: skip it
    }
  }
  return out;
}
