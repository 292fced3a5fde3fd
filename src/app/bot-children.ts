import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expiresAt, readSession } from '../core/auth/sessions.js';
import { wanted } from '../core/bot/host.js';
import { clockSpecOf, systemClock, type Clock } from '../core/clock.js';
import type { Settings } from '../core/config.js';
import { redact } from '../core/redact.js';
import type { PaperStore } from '../core/store/types.js';
import type { FromChild, ToChild, UserBotsStart } from './user-bots.js';

/**
 * Every user's bots in `algo serve` on live Kite (or on a sandbox read over HTTP): kiteconnect
 * keeps one ticker per process, so each user whose bots must run, and who has a valid session of
 * the server's kind, gets a bot process of their own (src/app/bot-child.ts) over their own
 * session. A scan every few seconds starts the processes of users who start a bot or sign in,
 * stops those whose bots are all stopped, restarts one whose session changed (a new sign-in),
 * and starts again, after a growing pause, one that exited. The leases keep any bot in one
 * runner, whether that is one of these or an `algo bot run`.
 */
export interface BotChildrenOptions {
  store: PaperStore;
  settings: Settings;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  sandbox: boolean;
  apiRoot: string;
  tickerUrl: string;
  source: string;
  /** Real ms between scans (default 3 s). */
  scanMs?: number;
  onNote(message: string): void;
}

interface Child {
  proc: ChildProcess;
  /** Of the access token the process was started with. */
  session: string;
  exited: Promise<void>;
  stopping: boolean;
  lastError: string;
}

const SCAN_MS = 3_000;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 300_000;
const STOP_WAIT_MS = 10_000;

/** The built entry: from the TypeScript sources (vitest) there is none, and no bot process starts. */
const ENTRY = fileURLToPath(new URL('./bot-child.js', import.meta.url));

const fingerprint = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 16);

export class BotChildren {
  private readonly children = new Map<string, Child>();
  /** A user's next start after an exit: not before `at`, unless their session changed. */
  private readonly retry = new Map<string, { at: number; delay: number; session: string }>();
  /** The last note about a user's waiting bots, said once until it changes. */
  private readonly said = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: BotChildrenOptions) {}

  async start(): Promise<void> {
    await this.scan();
    this.timer = setInterval(() => {
      this.scanning = this.scanning.then(() => this.scan()).catch((e: unknown) => this.opts.onNote(`scan failed: ${redact(String((e as Error)?.message ?? e))}`));
    }, this.opts.scanMs ?? SCAN_MS);
  }

  /** Stop scanning, then every bot process (each gives its leases back). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.scanning;
    await Promise.all([...this.children.keys()].map((u) => this.stopChild(u)));
  }

  /** The users whose bots run in a process now, with its pid. */
  running(): Array<{ userId: string; pid: number | undefined }> {
    return [...this.children].map(([userId, c]) => ({ userId, pid: c.proc.pid }));
  }

  private async scan(): Promise<void> {
    if (this.stopped) return;
    const users = await this.opts.store.bots.users();
    for (const userId of [...this.children.keys()]) if (!users.includes(userId)) await this.stopChild(userId);
    for (const userId of users) {
      if (this.stopped) return;
      const needed = (await this.opts.store.bots.list(userId)).some(wanted);
      const session = this.session(userId);
      const child = this.children.get(userId);
      if (child) {
        if (!needed) await this.stopChild(userId);
        else if (session !== child.session) await this.stopChild(userId, session ? 'signed in again: restarting its bot process' : 'no valid session now: its bots wait for a sign-in');
        else continue;
      }
      if (!needed) {
        this.said.delete(userId);
        continue;
      }
      if (!session) {
        this.say(userId, `${userId}'s bots wait for a sign-in: no valid ${this.opts.sandbox ? 'sandbox' : 'live Kite'} session (run algo login for that user's profile)`);
        continue;
      }
      const cannot = this.cannotRun();
      if (cannot) {
        this.say(userId, `${userId}'s bots cannot run here: ${cannot}`);
        continue;
      }
      const r = this.retry.get(userId);
      if (r && r.session === session && systemClock.now() < r.at) continue;
      this.spawn(userId, session);
    }
  }

  /** Why no bot process can start here, or null. */
  private cannotRun(): string | null {
    if (this.opts.settings.store === 'memory:') return 'the store memory: is this process\'s alone, and a bot process could not see it; use a SQLite or MongoDB store';
    if (!fs.existsSync(ENTRY)) return 'bot processes run the built algo; run `npm run build` first';
    return null;
  }

  /** The fingerprint of the user's session when it is of the server's kind and unexpired, else ''. */
  private session(userId: string): string {
    const s = readSession(this.opts.settings.dataDir, userId, () => undefined);
    if (!s || s.sandbox !== this.opts.sandbox || expiresAt(s) <= this.opts.clock.now()) return '';
    return fingerprint(s.access_token);
  }

  private say(userId: string, message: string): void {
    if (this.said.get(userId) === message) return;
    this.said.set(userId, message);
    this.opts.onNote(message);
  }

  private spawn(userId: string, session: string): void {
    const proc = fork(ENTRY, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [], serialization: 'json' });
    const child: Child = { proc, session, stopping: false, lastError: '', exited: new Promise((resolve) => proc.once('exit', () => resolve())) };
    this.children.set(userId, child);
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (text: string) => {
      for (const line of text.split('\n').filter((l) => l.trim() !== '')) this.opts.onNote(`${userId}: ${redact(line).slice(0, 300)}`);
    });
    proc.on('message', (raw: unknown) => {
      const m = raw as FromChild;
      if (m.type === 'ready') {
        this.say(userId, `${userId}'s bots run in process ${proc.pid}`);
        this.retry.delete(userId);
      } else {
        child.lastError = redact(m.message);
        this.opts.onNote(`${userId}: ${m.type === 'failed' ? 'its bots could not start: ' : ''}${child.lastError}`);
      }
    });
    proc.on('error', (e) => (child.lastError = redact(e.message)));
    proc.once('exit', (code, signal) => {
      if (this.children.get(userId) === child) this.children.delete(userId);
      if (child.stopping || this.stopped) return;
      const prev = this.retry.get(userId);
      const delay = prev && prev.session === session ? Math.min(MAX_RETRY_MS, prev.delay * 2) : FIRST_RETRY_MS;
      this.retry.set(userId, { at: systemClock.now() + delay, delay, session });
      this.said.delete(userId);
      this.opts.onNote(`${userId}'s bot process ended (${signal ?? `exit ${code}`}); starting it again in ${Math.round(delay / 1000)} s`);
    });
    const start: UserBotsStart = {
      userId,
      settings: this.opts.settings,
      clock: clockSpecOf(this.opts.clock, this.opts.env),
      sandbox: this.opts.sandbox,
      apiRoot: this.opts.apiRoot,
      tickerUrl: this.opts.tickerUrl,
      source: this.opts.source,
    };
    proc.send({ type: 'start', start } satisfies ToChild);
  }

  private async stopChild(userId: string, note?: string): Promise<void> {
    const child = this.children.get(userId);
    if (!child) return;
    child.stopping = true;
    this.children.delete(userId);
    if (note) this.say(userId, `${userId}: ${note}`);
    if (child.proc.connected) child.proc.send({ type: 'stop' } satisfies ToChild);
    const killed = setTimeout(() => child.proc.kill('SIGKILL'), STOP_WAIT_MS);
    await child.exited;
    clearTimeout(killed);
  }
}
