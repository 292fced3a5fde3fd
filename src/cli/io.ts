/**
 * Where a command reads and writes: the process's streams by default, in-memory ones in tests
 * (so commands and their parsers run in process). Every command writes through its Context's io.
 */
export interface OutStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export const processIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });

/** An Io that keeps what is written, for tests and for callers that want the text. */
export interface CapturedIo extends Io {
  out(): string;
  err(): string;
}

export function captureIo(env: NodeJS.ProcessEnv = process.env, opts: { isTTY?: boolean } = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: { isTTY: opts.isTTY ?? false, write: (t: string) => ((out += t), true) },
    stderr: { isTTY: opts.isTTY ?? false, write: (t: string) => ((err += t), true) },
    stdin: process.stdin,
    env,
    out: () => out,
    err: () => err,
  };
}
