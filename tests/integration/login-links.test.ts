import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliFixture, ensureBuilt } from '../helpers/cli.js';

/** The real CLI never follows a symbolic link planted in place of a session or config.json. */
const AT = '2026-01-07T14:00:00+05:30';
const { dataDir, algo, sessionFile } = cliFixture(afterEach, AT, 'algo-links-');
beforeAll(() => ensureBuilt(), 180_000);

const outsides: string[] = [];
afterEach(() => {
  for (const d of outsides.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A file outside the data folder, readable by others, as a link target. */
function victim(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-links-outside-'));
  outsides.push(d);
  const file = path.join(d, 'victim.json');
  fs.writeFileSync(file, '{}\n');
  fs.chmodSync(file, 0o644);
  return file;
}

describe('links in the data folder', () => {
  it('a session file replaced by a link: every command refuses it in one line; the target is not chmod-ed', async () => {
    const dir = dataDir();
    expect((await algo(dir, ['login', '--sandbox', '--user', 'SB0001', '--profile', 'a', '--port', '0'])).code).toBe(0);
    const file = sessionFile(dir, 'SB0001');
    const target = victim();
    fs.rmSync(file);
    fs.symlinkSync(target, file);

    const who = await algo(dir, ['whoami', '--profile', 'a']);
    expect(who.code).toBe(1);
    expect(who.stdout).toBe('');
    expect(who.stderr).toBe(
      `algo: ${file} is a symbolic link; algo does not follow links for its private files; replace the link with the file itself, or remove it (rm ${file})\n`,
    );
    expect(fs.statSync(target).mode & 0o777).toBe(0o644);
    expect(fs.readFileSync(target, 'utf8')).toBe('{}\n');

    // Signing in again does not write through the link either.
    const login = await algo(dir, ['login', '--sandbox', '--user', 'SB0001', '--profile', 'a', '--port', '0']);
    expect(login.code).toBe(1);
    expect(login.stderr).toContain(`${file} is a symbolic link`);
    expect(fs.readFileSync(target, 'utf8')).toBe('{}\n');
    expect(fs.statSync(target).mode & 0o777).toBe(0o644);
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(true);
  });

  it('a config.json that is a link is refused in one line naming it', async () => {
    const dir = dataDir();
    const target = victim();
    fs.symlinkSync(target, path.join(dir, 'config.json'));
    const r = await algo(dir, ['profile', 'add', 'sb', '--sandbox']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `algo: ${path.join(dir, 'config.json')} is a symbolic link; algo does not follow links for its private files; replace the link with the file itself, or remove it (rm ${path.join(dir, 'config.json')})\n`,
    );
    expect(fs.readFileSync(target, 'utf8')).toBe('{}\n');
    expect(fs.statSync(target).mode & 0o777).toBe(0o644);
  });
});
