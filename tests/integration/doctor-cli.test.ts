import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSession, writeSession } from '../../src/core/auth/sessions.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { ensureBuilt, runCli, tempDataDir } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';

/** `algo doctor` as a child process of the built CLI, on real folders, files and sockets. */

const NOW = '2026-11-25T10:00:00+05:30';
const ACCESS_TOKEN = 'doctor-access-token-Zq81xv';

async function addSession(dataDir: string, userId: string, loginTime: string, profile = 'default'): Promise<string> {
  const s = createSession({ user_id: userId, api_key: 'kitekey', access_token: ACCESS_TOKEN, public_token: 'public-token-xyz', loginTime: Date.parse(loginTime), sandbox: false, profile });
  await writeSession(dataDir, s, () => undefined);
  return path.join(dataDir, 'sessions', `${userId}.json`);
}

describe('algo doctor', () => {
  let kite: http.Server;
  let kiteRoot: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    kite = http.createServer((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"status":"error"}'));
    await new Promise<void>((resolve) => kite.listen(0, '127.0.0.1', resolve));
    kiteRoot = `127.0.0.1:${(kite.address() as net.AddressInfo).port}`;
    ensureBuilt();
  }, 240_000);
  afterAll(async () => {
    await new Promise((resolve) => kite.close(resolve));
  });
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function dataDir(): string {
    const d = tempDataDir('algo-doctor-');
    dirs.push(d);
    return d;
  }

  const kiteEnv = (root: string) => ({ ALGO_CLOCK: NOW, ALGO_SANDBOX: '0', KITE_API_ROOT: `http://${root}`, KITE_LOGIN_URL: `http://${root}/connect/login`, KITE_TICKER_URL: `ws://${root}` });

  it('a good folder: every line ok, exit 0, no token printed', async () => {
    const dir = dataDir();
    await addSession(dir, 'AB1234', '2026-11-25T09:00:00+05:30');
    const store = openSqliteStore(path.join(dir, 'algo.db'));
    await store.close();

    const res = await runCli(['doctor'], { dataDir: dir, env: kiteEnv(kiteRoot) });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(Array(lines.length).fill('ok'));
    const text = res.stdout;
    expect(text).toMatch(/^ok {4}node +Node \d+\.\d+\.\d+$/m);
    expect(text).toMatch(new RegExp(`^ok {4}sessions +${dir}/sessions \\(mode 700\\)$`, 'm'));
    expect(text).toMatch(/^ok {4}session AB1234 +profile default: valid until 2026-11-26 06:00:00 IST$/m);
    expect(text).toMatch(/^ok {4}store +SQLite .*algo\.db: integrity ok, schema \d+$/m);
    expect(text).toMatch(new RegExp(`^ok {4}kite api +http://${kiteRoot} answers \\(HTTP 404\\)$`, 'm'));
    expect(text).not.toContain(ACCESS_TOKEN);
  });

  it('--json: one document with ok and every check; --sandbox says Kite is not contacted', async () => {
    const dir = dataDir();
    const res = await runCli(['doctor', '--json', '--sandbox'], { dataDir: dir, env: { ALGO_CLOCK: NOW } });
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout) as { ok: boolean; checks: Array<{ name: string; status: string; detail: string }> };
    expect(doc.ok).toBe(true);
    expect(doc.checks.map((c) => c.name)).toEqual(['node', 'data folder', 'sessions', 'store', 'kite']);
    expect(doc.checks.find((c) => c.name === 'kite')!.detail).toMatch(/^sandbox mode/);
    expect(doc.checks.find((c) => c.name === 'store')).toMatchObject({ status: 'warn' });
  });

  it('a broken folder: loose modes, a corrupt and an expired session, a damaged store, no Kite: each says what to do, exit 1', async () => {
    const dir = dataDir();
    const loose = await addSession(dir, 'AB1234', '2026-11-25T09:00:00+05:30');
    await addSession(dir, 'CD5678', '2026-11-20T09:00:00+05:30', 'old');
    fs.writeFileSync(path.join(dir, 'sessions', 'ZZ9999.json'), '{"session_token": "abc", trunc', { mode: 0o600 });
    fs.chmodSync(loose, 0o644);
    fs.chmodSync(path.join(dir, 'sessions'), 0o755);
    fs.writeFileSync(path.join(dir, 'config.json'), '{"profiles":{}}\n', { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'config.json'), 0o644);
    fs.writeFileSync(path.join(dir, 'algo.db'), 'this is not a database, just text that is long enough to be a header'.repeat(20));

    const res = await runCli(['doctor'], { dataDir: dir, env: kiteEnv(`127.0.0.1:${await freePort()}`) });
    expect(res.code).toBe(1);
    const line = (name: string) => res.stdout.split('\n').find((l) => l.split(/\s{2,}/)[1] === name) ?? `(no ${name} line)`;
    expect(line('config.json')).toBe(`FAIL  config.json     ${dir}/config.json (mode 644) can be read by others and may hold API secrets -> run chmod 600 ${dir}/config.json`);
    expect(line('sessions')).toBe(`FAIL  sessions        ${dir}/sessions (mode 755) can be entered by others -> run chmod 700 ${dir}/sessions`);
    expect(line('session AB1234')).toBe(`FAIL  session AB1234  ${loose} (mode 644) can be read by others -> run chmod 600 ${loose}`);
    expect(line('session CD5678')).toBe('warn  session CD5678  profile old: expired at 2026-11-21 06:00:00 IST -> run `algo login --profile old`');
    expect(line('session ZZ9999')).toBe(`FAIL  session ZZ9999  ${dir}/sessions/ZZ9999.json is damaged (not JSON) -> delete it and run \`algo login\``);
    expect(line('store')).toMatch(/^FAIL {2}store +SQLite .*algo\.db (cannot be read|failed its integrity check).* -> restore it from a backup, or move it away to start afresh$/);
    expect(line('kite api')).toMatch(/^FAIL {2}kite api +http:\/\/127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\) -> check the network, or KITE_API_ROOT$/);
    expect(res.stdout).not.toContain(ACCESS_TOKEN);
    expect(res.stdout).not.toContain('abc');
    // doctor only looks: the loose modes are still there.
    expect(fs.statSync(loose).mode & 0o777).toBe(0o644);
  });

  it('a session file that is a symbolic link: a failing line naming it; the link and its target are left alone', async () => {
    const dir = dataDir();
    const away = dataDir();
    const real = await addSession(away, 'AB1234', '2026-11-25T09:00:00+05:30');
    fs.chmodSync(real, 0o644);
    fs.mkdirSync(path.join(dir, 'sessions'), { mode: 0o700 });
    const link = path.join(dir, 'sessions', 'AB1234.json');
    fs.symlinkSync(real, link);
    const res = await runCli(['doctor'], { dataDir: dir, env: { ALGO_CLOCK: NOW } });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(
      `FAIL  session AB1234  ${link} is a symbolic link -> algo does not follow links for its private files: replace it with the file itself, or remove it (rm ${link})\n`,
    );
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.statSync(real).mode & 0o777).toBe(0o644);
  });

  it('a config.json it cannot read: a failing config line with the way out, and the other checks still run', async () => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, 'config.json'), '{"profiles": ', { mode: 0o600 });
    const res = await runCli(['doctor'], { dataDir: dir, env: { ALGO_CLOCK: NOW } });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`FAIL  config       ${dir}/config.json is not valid JSON -> fix it or move it away to start afresh\n`);
    expect(res.stdout).toMatch(/^ok {4}sessions +no sessions yet/m);
  });

  it('an unreachable MongoDB store: one failing line without the password, exit 1', async () => {
    const dir = dataDir();
    const port = await freePort();
    const res = await runCli(['doctor', '--sandbox', '--store', `mongodb://algo:Doctor-S3cret-pw@127.0.0.1:${port}/algo`], { dataDir: dir, env: { ALGO_CLOCK: NOW } });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(
      `FAIL  store        cannot reach MongoDB at 127.0.0.1:${port} (check that mongod is running and the URI in --store/ALGO_STORE) -> start mongod or fix --store/ALGO_STORE\n`,
    );
    expect(res.stdout + res.stderr).not.toContain('Doctor-S3cret-pw');
  });
});
