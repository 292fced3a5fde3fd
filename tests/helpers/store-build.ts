import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './cli.js';

const root = path.resolve(import.meta.dirname, '..', '..');

/** The file URL of dist/core/store/sqlite/index.js, for child processes to import (built first when stale). */
export function builtSqliteStoreUrl(): string {
  ensureBuilt();
  return pathToFileURL(path.join(root, 'dist', 'core', 'store', 'sqlite', 'index.js')).href;
}
