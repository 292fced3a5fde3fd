import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { USER_ID_RE } from '../core/paths.js';

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
 * buffered and written in batches shortly after, through files kept open (at most `maxOpen`),
 * so logging costs a request almost nothing; close() writes whatever is left and closes them.
 */
export class ActivityLog {
  private readonly pending = new Map<string, string>();
  private readonly open = new Map<string, fs.promises.FileHandle>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

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
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
    this.writing = this.writing.then(async () => {
      for (const h of this.open.values()) await h.close().catch(() => undefined);
      this.open.clear();
    });
    await this.writing;
  }

  private async handleOf(userId: string): Promise<fs.promises.FileHandle> {
    const known = this.open.get(userId);
    if (known) return known;
    await fs.promises.mkdir(activityDir(this.dataDir), { recursive: true, mode: 0o700 });
    const h = await fs.promises.open(activityFile(this.dataDir, userId), 'a', 0o600);
    await h.chmod(0o600);
    if (this.open.size >= this.maxOpen) {
      const [oldest, oldHandle] = this.open.entries().next().value!;
      this.open.delete(oldest);
      await oldHandle.close().catch(() => undefined);
    }
    this.open.set(userId, h);
    return h;
  }

  private async write(batch: Array<[string, string]>): Promise<void> {
    for (const [userId, text] of batch) {
      try {
        await (await this.handleOf(userId)).appendFile(text);
      } catch (err) {
        process.stderr.write(`algo serve: cannot write the activity log of ${userId}: ${(err as Error).message}\n`);
      }
    }
  }
}

/** The last `limit` entries of a user's activity log, oldest first; a missing log is empty. */
export async function readActivity(dataDir: string, userId: string, limit: number): Promise<ActivityEntry[]> {
  let text: string;
  try {
    text = await fs.promises.readFile(activityFile(dataDir, userId), 'utf8');
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
