import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..', '..');

/** The sources dist/core/store/sqlite.js is built from: sqlite.ts and every relative import it reaches. */
function storeSources(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !fs.existsSync(file)) return;
    seen.add(file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)\.js'|import\('(\.{1,2}\/[^']+)\.js'\)/g)) {
      visit(path.resolve(path.dirname(file), `${m[1] ?? m[2]}.ts`));
    }
  };
  visit(path.join(root, 'src', 'core', 'store', 'sqlite.ts'));
  return [...seen];
}

function staleOutputs(): string[] {
  return storeSources().filter((src) => {
    const out = path.join(root, 'dist', path.relative(path.join(root, 'src'), src)).replace(/\.ts$/, '.js');
    return !fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(src).mtimeMs;
  });
}

/**
 * The file URL of dist/core/store/sqlite.js, for child processes to import. Builds the project
 * first when that output is missing or older than its sources. A type error in someone else's
 * file does not stop tsc from emitting, so only a still-stale output counts as a failed build.
 */
export function builtSqliteStoreUrl(): string {
  if (staleOutputs().length > 0) {
    const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
      encoding: 'utf8',
    });
    const stale = staleOutputs();
    if (stale.length > 0) throw new Error(`building the store did not refresh ${stale.join(', ')}:\n${tsc.stdout}${tsc.stderr}`);
  }
  return pathToFileURL(path.join(root, 'dist', 'core', 'store', 'sqlite.js')).href;
}
