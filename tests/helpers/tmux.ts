import { execFileSync } from 'node:child_process';

/**
 * A real terminal for end-to-end tests: a tmux pane of a given size on a private tmux server,
 * read with capture-pane and driven with send-keys. Nothing here sleeps for a fixed time:
 * waitFor polls the screen until a deadline.
 */

let counter = 0;
const EXIT_MARK = 'program exited with status ';

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export interface PaneOptions {
  /** argv of the program to run in the pane. */
  argv: string[];
  cwd: string;
  /** The whole environment of the program (tmux would otherwise pass its own). */
  env: Record<string, string>;
  width?: number;
  height?: number;
}

export class TmuxPane {
  private constructor(private readonly socket: string) {}

  static start(opts: PaneOptions): TmuxPane {
    const socket = `algo-test-${process.pid}-${++counter}`;
    const pane = new TmuxPane(socket);
    const env = Object.entries(opts.env).map(([k, v]) => `${k}=${shellQuote(v)}`);
    // After the program, the shell prints its exit status and stays, so the terminal's state
    // (alternate screen, cursor) can be read as the program left it.
    const command = `cd ${shellQuote(opts.cwd)} && env -i ${env.join(' ')} ${opts.argv.map(shellQuote).join(' ')}; printf '\\n${EXIT_MARK}%s\\n' "$?"; exec sleep 600`;
    pane.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(opts.width ?? 120), '-y', String(opts.height ?? 40), command);
    return pane;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The visible screen, one string, lines joined by \n. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }

  /** Keys by tmux name ("Enter", "Escape", "Tab", "q"). */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  /** Literal text, one key at a time (as typed). */
  type(text: string): void {
    for (const ch of text) this.tmux('send-keys', '-t', 'main', '-l', ch);
  }

  private format(f: string): string {
    return this.tmux('display-message', '-p', '-t', 'main', f).trim();
  }

  /** The program's exit status once it has ended, else null. */
  exitStatus(): number | null {
    const m = new RegExp(`${EXIT_MARK}(\\d+)`).exec(this.screen());
    return m ? Number(m[1]) : null;
  }

  alternateScreen(): boolean {
    return this.format('#{alternate_on}') === '1';
  }

  cursorVisible(): boolean {
    return this.format('#{cursor_flag}') === '1';
  }

  /** Poll the screen until `test` holds (a string to contain, a pattern, or a predicate); the screen when it did. */
  async waitFor(test: string | RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const ok = typeof test === 'string' ? (s: string) => s.includes(test) : test instanceof RegExp ? (s: string) => test.test(s) : test;
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      last = this.screen();
      if (ok(last)) return last;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(test)}; the screen was:\n${last}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Wait until the program ends; its exit status. */
  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.exitStatus();
      if (s !== null) return s;
      if (Date.now() > deadline) throw new Error(`the program did not exit; the screen was:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}
