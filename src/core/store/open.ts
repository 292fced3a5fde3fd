import { UsageError } from '../errors.js';
import { redact } from '../redact.js';
import { isMongoUri } from './mongo/uri.js';
import type { PaperStore } from './types.js';

/**
 * Open the paper store a URI names: `sqlite:PATH` (the embedded default), `mongodb://...` /
 * `mongodb+srv://...`, or `memory:`, a fresh, empty store in this process's memory that is gone
 * when the process ends (each call opens a new one). Each implementation (and its driver) is
 * loaded only when selected. `longRunning`: the process runs for long (the server, the dashboard,
 * a bot runner), so SQLite checkpoints its WAL in a worker thread rather than inside a commit.
 */
export async function openStore(uri: string, opts: { longRunning?: boolean } = {}): Promise<PaperStore> {
  if (uri.startsWith('memory:')) {
    if (uri !== 'memory:') throw new UsageError('the store memory: takes nothing after the colon', 'use --store memory:');
    const { MemoryPaperStore } = await import('./memory/index.js');
    return new MemoryPaperStore();
  }
  if (uri.startsWith('sqlite:')) {
    const file = uri.slice('sqlite:'.length);
    if (file.trim() === '') throw new UsageError('the store sqlite: needs a file path', 'use --store sqlite:PATH');
    const { openSqliteStore } = await import('./sqlite/index.js');
    return openSqliteStore(file, opts.longRunning ? { checkpoint: 'background' } : {});
  }
  if (isMongoUri(uri)) {
    const { openMongoStore } = await import('./mongo/index.js');
    return openMongoStore(uri);
  }
  throw new UsageError(`the store ${JSON.stringify(redact(uri).slice(0, 60))} is not one algo knows`, 'use --store sqlite:PATH, mongodb://host:port[/database] or memory:');
}

