import fs from 'node:fs';
import { redact } from '../redact.js';

/** Reports one line about something fixed or skipped. */
export type Warn = (line: string) => void;

/** The default Warn: one redacted line on stderr. */
export const stderrWarn: Warn = (line) => {
  process.stderr.write(`algo: warning: ${redact(line)}\n`);
};

const checkModes = process.platform !== 'win32';

/** Make (or tighten) a folder only its owner can enter: 0700. */
export function ensurePrivateDir(dir: string, warn?: Warn): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!checkModes) return;
  const mode = fs.statSync(dir).mode & 0o777;
  if (mode & 0o077) {
    fs.chmodSync(dir, 0o700);
    warn?.(`${dir} was readable by others (mode ${mode.toString(8)}); set it to 700`);
  }
}

/** Tighten an existing private file to 0600 if it is looser. */
export function ensurePrivateFile(file: string, warn?: Warn): void {
  if (!checkModes) return;
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) {
    fs.chmodSync(file, 0o600);
    warn?.(`${file} was readable by others (mode ${mode.toString(8)}); set it to 600`);
  }
}

/** Write a file atomically (temp file, fsync, rename) with mode 0600. The folder must exist. */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  const { default: writeFileAtomic } = await import('write-file-atomic');
  await writeFileAtomic(file, text, { mode: 0o600, fsync: true });
}
