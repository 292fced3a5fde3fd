import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temp folder for store tests, and a way to remove it. */
export function tempStoreDir(prefix = 'algo-store-'): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
