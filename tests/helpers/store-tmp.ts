import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore, type SqlitePaperStore, type SqliteStoreOptions } from '../../src/core/store/sqlite/index.js';

/** A fresh temp folder for store tests, and a way to remove it. */
export function tempStoreDir(prefix = 'algo-store-'): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * SQLite files and stores for one test file, cleaned up after each test:
 * `const sqlite = sqliteFixture(afterEach)`, then `sqlite.open(sqlite.file())`.
 */
export function sqliteFixture(afterEach: (fn: () => Promise<void>) => void) {
  const dirs: Array<{ remove(): void }> = [];
  const stores: SqlitePaperStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) d.remove();
  });
  return {
    file(): string {
      const tmp = tempStoreDir();
      dirs.push(tmp);
      return path.join(tmp.dir, 'algo.db');
    },
    open(file: string, opts?: SqliteStoreOptions): SqlitePaperStore {
      const store = openSqliteStore(file, opts);
      stores.push(store);
      return store;
    },
  };
}

/** A contract suite's SQLite store: a real file in its own temp folder, removed by cleanup. */
export async function tempSqliteStore(opts?: SqliteStoreOptions): Promise<{ store: SqlitePaperStore; cleanup(): Promise<void> }> {
  const tmp = tempStoreDir();
  const store = openSqliteStore(path.join(tmp.dir, 'algo.db'), opts);
  return {
    store,
    cleanup: async () => {
      await store.close();
      tmp.remove();
    },
  };
}
