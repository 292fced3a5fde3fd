import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import * as v from 'valibot';
import { PROFILE_RE } from '../../core/paths.js';
import { UsageError } from '../../core/errors.js';

/** Watchlists per profile in <dataDir>/watchlists/<profile>.json, written atomically. */

const FileSchema = v.object({ symbols: v.array(v.pipe(v.string(), v.regex(/^[A-Z]{2,4}:[A-Z0-9&_\- ]{1,40}$/))) });

export const DEFAULT_WATCHLIST: readonly string[] = ['NSE:INFY', 'NSE:TCS', 'NSE:RELIANCE', 'NSE:HDFCBANK', 'NSE:SBIN'];

export function watchlistPath(dataDir: string, profile: string): string {
  if (!PROFILE_RE.test(profile)) throw new UsageError(`"${profile}" is not a valid profile name`);
  return path.join(dataDir, 'watchlists', `${profile}.json`);
}

/** The profile's watchlist; a missing file gives the default list, a damaged one an empty list and a warning. */
export function loadWatchlist(dataDir: string, profile: string, warn: (m: string) => void = () => {}): string[] {
  const file = watchlistPath(dataDir, profile);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [...DEFAULT_WATCHLIST];
    warn(`cannot read ${file}: ${(e as Error).message}`);
    return [];
  }
  try {
    const parsed = v.safeParse(FileSchema, JSON.parse(text));
    if (parsed.success) return parsed.output.symbols;
  } catch {
    // fall through
  }
  warn(`${file} is not a watchlist; starting with an empty one`);
  return [];
}

export async function saveWatchlist(dataDir: string, profile: string, symbols: readonly string[]): Promise<void> {
  const file = watchlistPath(dataDir, profile);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify({ symbols }, null, 2)}\n`);
}

/** Pure list edits. */
export function addSymbol(list: readonly string[], key: string): string[] {
  return list.includes(key) ? [...list] : [...list, key];
}

export function removeSymbol(list: readonly string[], key: string): string[] {
  return list.filter((k) => k !== key);
}
