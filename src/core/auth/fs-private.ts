import fs from 'node:fs';
import path from 'node:path';
import { AlgoError } from '../errors.js';
import { redact } from '../redact.js';

/** Reports one line about something fixed or skipped. */
export type Warn = (line: string) => void;

/** The default Warn: one redacted line on stderr. */
export const stderrWarn: Warn = (line) => {
  process.stderr.write(`algo: warning: ${redact(line)}\n`);
};

const checkModes = process.platform !== 'win32';

/**
 * O_NOFOLLOW where the platform has it (not on Windows, where the lstat checks below stand in):
 * opening a symbolic link with it fails with ELOOP (EMLINK on some BSDs) instead of opening its target.
 */
export const O_NOFOLLOW: number = fs.constants.O_NOFOLLOW ?? 0;

/** A private file (session, config, activity log) that is a symbolic link: algo never follows it. */
export class LinkRefusedError extends AlgoError {
  override readonly name = 'LinkRefusedError';
  readonly file: string;
  constructor(file: string) {
    super(`${file} is a symbolic link; algo does not follow links for its private files`, {
      hint: `replace the link with the file itself, or remove it (rm ${file})`,
    });
    this.file = file;
  }
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Refuse `p` when it is a symbolic link (a missing path passes). */
export function refuseLink(p: string): void {
  if (isLink(p)) throw new LinkRefusedError(p);
}

/** Whether an open() failed because the last component was a link under O_NOFOLLOW. */
function linkErrno(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ELOOP' || code === 'EMLINK' || code === 'EFTYPE';
}

/**
 * Open an existing file without following a link; a link is refused with one line naming it.
 * `flags` are fs.constants flags (O_RDONLY, O_WRONLY | O_APPEND | O_CREAT, ...).
 */
export function openNoFollow(file: string, flags: number, mode = 0o600): number {
  refuseLink(file); // for platforms without O_NOFOLLOW; O_NOFOLLOW closes the race where it exists
  try {
    return fs.openSync(file, flags | O_NOFOLLOW, mode);
  } catch (err) {
    if (linkErrno(err) && isLink(file)) throw new LinkRefusedError(file);
    throw err;
  }
}

/** Make (or tighten) a folder only its owner can enter: 0700. A link in its place is refused, never chmod-ed. */
export function ensurePrivateDir(dir: string, warn?: Warn): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (st.isSymbolicLink()) throw new LinkRefusedError(dir);
  if (!checkModes) return;
  const mode = st.mode & 0o777;
  if (mode & 0o077) {
    fs.chmodSync(dir, 0o700);
    warn?.(`${dir} was readable by others (mode ${mode.toString(8)}); set it to 700`);
  }
}

/** Tighten an open private file to 0600 if it is looser (through its descriptor: never a link's target). */
function tightenFd(fd: number, file: string, warn?: Warn): void {
  if (!checkModes) return;
  const mode = fs.fstatSync(fd).mode & 0o777;
  if (mode & 0o077) {
    fs.fchmodSync(fd, 0o600);
    warn?.(`${file} was readable by others (mode ${mode.toString(8)}); set it to 600`);
  }
}

export interface ReadPrivateOptions {
  /** Tighten a looser mode to 0600 (through the open descriptor) and say so. */
  tighten?: boolean;
  warn?: Warn;
}

/**
 * The text of a private file, read without following a link (a link is refused with a
 * LinkRefusedError naming it); undefined when the file does not exist.
 */
export function readPrivateFile(file: string, opts: ReadPrivateOptions = {}): string | undefined {
  let fd: number;
  try {
    fd = openNoFollow(file, fs.constants.O_RDONLY);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    if (opts.tighten) tightenFd(fd, file, opts.warn);
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Write a file atomically with mode 0600: a new temporary file beside it (O_EXCL | O_NOFOLLOW),
 * fsync, then rename over the file. The folder must exist. A link where the file goes is refused:
 * nothing is written through it (rename would replace the link itself, never its target, but a
 * link there is someone else's doing and is reported rather than silently replaced).
 */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  refuseLink(file);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  const { O_WRONLY, O_CREAT, O_EXCL } = fs.constants;
  const handle = await fs.promises.open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  let renamed = false;
  try {
    try {
      if (checkModes) await handle.chmod(0o600); // whatever the umask
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, file);
    renamed = true;
  } finally {
    if (!renamed) await fs.promises.unlink(tmp).catch(() => undefined);
  }
}
