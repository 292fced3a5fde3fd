import { note } from '../output.js';
import { isInteractive, readLine } from '../prompt.js';
import { startSpinner, type Spinner } from '../spinner.js';

const PASTE_PROMPT = 'Paste the URL the browser ended on: ';

/**
 * What a person sees while `algo login` waits: a spinner with the time left on a terminal (press m
 * to paste the redirected URL, Ctrl-C to stop), or plain lines elsewhere; with --manual, a prompt.
 */
export class LoginWait {
  private spinner: Spinner | undefined;
  private readonly cleanups: Array<() => void> = [];
  private readonly started = performance.now();
  readonly interactive = isInteractive();

  constructor(
    private readonly opts: { timeoutMs: number; manual: boolean; onCancel: () => void },
  ) {}

  /** A line for the person (above the spinner when there is one). */
  say(line: string): void {
    if (this.spinner) this.spinner.log(line);
    else note(line);
  }

  /** The URL is out: show that we are waiting. */
  waiting(): void {
    if (this.opts.manual) return;
    const total = Math.round(this.opts.timeoutMs / 1000);
    if (this.interactive) this.spinner = startSpinner(() => `waiting for the sign-in… ${this.left()} left · press m to paste the redirected URL`);
    else note(`waiting up to ${total} s for the sign-in…`);
  }

  /** Whether a person can paste the URL (--manual, or `m` on a terminal). */
  get canPaste(): boolean {
    return this.opts.manual || this.interactive;
  }

  /** Resolves with a pasted redirect URL. */
  pasted(): Promise<string> {
    if (this.opts.manual) return readLine(PASTE_PROMPT);
    return new Promise<string>((resolve, reject) => {
      const stdin = process.stdin;
      const stop = (): void => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
      };
      const onData = (buf: Buffer): void => {
        const key = buf.toString('utf8');
        if (key === '\u0003') return this.opts.onCancel(); // raw mode: Ctrl-C arrives as a key
        if (key.toLowerCase() !== 'm') return;
        stop();
        this.stopSpinner();
        readLine(PASTE_PROMPT).then(resolve, reject);
      };
      stdin.setRawMode(true);
      stdin.resume();
      stdin.on('data', onData);
      this.cleanups.push(stop);
    });
  }

  /** Stop the spinner and give the terminal back. */
  close(): void {
    this.stopSpinner();
    for (const c of this.cleanups.splice(0)) c();
  }

  private stopSpinner(): void {
    this.spinner?.stop();
    this.spinner = undefined;
  }

  private left(): string {
    const s = Math.max(0, Math.ceil((this.opts.timeoutMs - (performance.now() - this.started)) / 1000));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }
}
