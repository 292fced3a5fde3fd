/** Entering and leaving the alternate screen, so the shell's screen comes back as it was. */

const ENTER = '\x1b[?1049h\x1b[H';
const LEAVE = '\x1b[?25h\x1b[?1049l';

export interface TerminalGuard {
  /** Leave the alternate screen and show the cursor (idempotent). */
  restore(): void;
}

export function enterAlternateScreen(out: NodeJS.WriteStream): TerminalGuard {
  out.write(ENTER);
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    try {
      if (out.isTTY && process.stdin.isTTY && process.stdin.isRaw) process.stdin.setRawMode(false);
    } catch {
      // stdin already closed
    }
    out.write(LEAVE);
  };
  // Last resort: whatever ends the process, leave the terminal usable.
  process.once('exit', restore);
  return { restore };
}
