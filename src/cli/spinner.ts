const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Spinner {
  /** Write a line above the spinner. */
  log(line: string): void;
  stop(): void;
}

/** A one-line spinner on stderr (TTY only; elsewhere only the logged lines appear). */
export function startSpinner(text: () => string, stream: NodeJS.WriteStream = process.stderr): Spinner {
  const tty = stream.isTTY === true;
  let i = 0;
  const draw = (): void => {
    stream.write(`\r\x1b[2K${FRAMES[i++ % FRAMES.length]} ${text()}`);
  };
  const timer = tty ? setInterval(draw, 100) : undefined;
  if (tty) draw();
  return {
    log(line) {
      stream.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
      if (tty) draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}
