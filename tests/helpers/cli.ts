import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '..', '..');
const mainJs = path.join(root, 'dist', 'cli', 'main.js');
const lockDir = path.join(root, 'dist', '.cli-build-lock');

/** src/cli/main.ts and every source it reaches through relative imports (static or dynamic) or starts (`new URL('./x.js', import.meta.url)`). */
function cliSources(): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || !fs.existsSync(file)) return;
    seen.add(file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\(|new URL\()\s*'(\.{1,2}\/[^']+)\.js'/g)) {
      const base = path.resolve(path.dirname(file), m[1]!);
      visit(fs.existsSync(`${base}.ts`) ? `${base}.ts` : `${base}.tsx`);
    }
  };
  visit(path.join(root, 'src', 'cli', 'main.ts'));
  return [...seen];
}

/** Whether some source the CLI reaches is newer than its output in dist/. */
function isStale(): boolean {
  return cliSources().some((src) => {
    const out = path.join(root, 'dist', path.relative(path.join(root, 'src'), src)).replace(/\.tsx?$/, '.js');
    return !fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(src).mtimeMs;
  });
}

const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

let built = false;

/**
 * Build dist/ (once per test process) when a source the CLI reaches is newer than its output; a
 * lock keeps parallel test files from building at once. Type errors in files someone else is
 * editing do not stop tsc from emitting, so only a missing dist/cli/main.js fails.
 */
export function ensureBuilt(): void {
  if (built) return;
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch {
      try {
        if (Date.now() - fs.statSync(lockDir).mtimeMs > 180_000) fs.rmSync(lockDir, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      sleep(200);
    }
  }
  try {
    if (isStale()) {
      const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
        cwd: root,
        encoding: 'utf8',
      });
      if (!fs.existsSync(mainJs)) throw new Error(`building the CLI failed:\n${tsc.stdout}${tsc.stderr}`);
    }
    built = true;
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

export function tempDataDir(prefix = 'algo-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  dataDir: string;
  /** Added to a clean environment (no ALGO_* or KITE_* from the outer one; NO_COLOR=1). */
  env?: Record<string, string | undefined>;
  stdin?: string;
}

function childEnv(opts: CliOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(ALGO_|KITE_|FORCE_COLOR|NO_COLOR|VITEST|NODE_OPTIONS)/.test(k)) env[k] = v;
  Object.assign(env, { ALGO_DATA_DIR: opts.dataDir, NO_COLOR: '1' }, opts.env);
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env;
}

/** A running `algo` child: its output so far, a way to wait for a line, and its end. */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `re` in stderr (or stdout), waiting for more output as needed. */
  waitFor(re: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  done: Promise<CliResult>;
}

/** Start the BUILT CLI (`node dist/cli/main.js ARGS`) with a temp data folder. */
export function spawnCli(args: string[], opts: CliOptions): CliProcess {
  ensureBuilt();
  const child = spawn(process.execPath, [mainJs, ...args], { cwd: root, env: childEnv(opts), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  const poke = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    poke();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    poke();
  });
  if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  let ended = false;
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      ended = true;
      poke();
      resolve({ code: code ?? (signal ? 128 : 1), stdout: out, stderr: err });
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(re, stream = 'stderr') {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const m = (stream === 'stderr' ? err : out).match(re);
          if (m) return resolve(m);
          if (ended) return reject(new Error(`algo ${args.join(' ')} ended without printing ${re}\nstdout: ${out}\nstderr: ${err}`));
          waiters.push(check);
        };
        check();
      });
    },
    done,
  };
}

/** Run the BUILT CLI to the end: {code, stdout, stderr}. */
export function runCli(args: string[], opts: CliOptions): Promise<CliResult> {
  return spawnCli(args, { ...opts, stdin: opts.stdin ?? '' }).done;
}

/**
 * Temp data folders for one test file, removed after each test, and the CLI run in them with the
 * clock pinned: `const { dataDir, algo } = cliFixture(afterEach, '2026-01-07T14:00:00+05:30', 'algo-login-')`.
 */
export function cliFixture(afterEach: (fn: () => void) => void, clock: string, prefix = 'algo-cli-') {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  return {
    dataDir(): string {
      const d = tempDataDir(prefix);
      dirs.push(d);
      return d;
    },
    algo: (dir: string, args: string[], env: Record<string, string> = {}) => runCli(args, { dataDir: dir, env: { ALGO_CLOCK: clock, ...env } }),
    sessionFile: (dir: string, user: string) => path.join(dir, 'sessions', `${user}.json`),
  };
}
