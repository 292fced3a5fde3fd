import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActivityLog, activityFile, readActivity } from '../../src/core/activity-log.js';
import { LinkRefusedError } from '../../src/core/auth/fs-private.js';
import { readConfig, saveProfile } from '../../src/core/auth/profiles.js';
import { createSession, listSessions, readSession, sessionPath, writeSession } from '../../src/core/auth/sessions.js';
import { configPath, readConfigFile } from '../../src/core/config.js';
import { describeError } from '../../src/core/errors.js';

/**
 * Session, config and activity files are opened without following a symbolic link: a link in
 * their place is refused in one line naming it, and its target (outside the data folder) is
 * never read, written or chmod-ed.
 */

let dir: string;
let outside: string;
let target: string;
let warnings: string[];
const warn = (l: string): void => void warnings.push(l);
const mode = (p: string): number => fs.statSync(p).mode & 0o777;
const LOGIN = Date.parse('2026-11-25T10:00:00+05:30');
const session = () =>
  createSession({ user_id: 'AB1234', api_key: 'key1', access_token: 'tok-AB1234-abcdef', loginTime: LOGIN, sandbox: false, profile: 'main' });

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-links-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-links-outside-'));
  target = path.join(outside, 'victim.txt');
  fs.writeFileSync(target, 'not yours\n', { mode: 0o644 });
  fs.chmodSync(target, 0o644);
  warnings = [];
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

/** The target outside the data folder is exactly as it was. */
function untouched(): void {
  expect(mode(target)).toBe(0o644);
  expect(fs.readFileSync(target, 'utf8')).toBe('not yours\n');
}

function linkSession(to: string = target): string {
  const file = sessionPath(dir, 'AB1234');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.symlinkSync(to, file);
  return file;
}

describe('session files', () => {
  it('a session file replaced by a link is refused, naming it; its target is not chmod-ed', () => {
    const file = linkSession();
    let err: unknown;
    try {
      readSession(dir, 'AB1234', warn);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LinkRefusedError);
    expect(describeError(err)).toBe(
      `${file} is a symbolic link; algo does not follow links for its private files; replace the link with the file itself, or remove it (rm ${file})`,
    );
    expect(describeError(err)).not.toContain('\n');
    untouched();
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(true);
  });

  it('a link to a real session elsewhere is refused too (it is never read)', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-links-other-'));
    try {
      await writeSession(other, session(), warn);
      const real = sessionPath(other, 'AB1234');
      fs.chmodSync(real, 0o644);
      linkSession(real);
      expect(() => readSession(dir, 'AB1234', warn)).toThrow(LinkRefusedError);
      expect(mode(real)).toBe(0o644);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('writing a session where a link is refuses it and writes nothing through it', async () => {
    const file = linkSession();
    await expect(writeSession(dir, session(), warn)).rejects.toThrow(LinkRefusedError);
    untouched();
    expect(fs.readlinkSync(file)).toBe(target);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['AB1234.json']); // no temporary file left
  });

  it('a listing skips a linked session with one warning and finds the others', async () => {
    const other = createSession({ user_id: 'CD5678', api_key: 'key1', access_token: 'tok-CD5678-abcdef', loginTime: LOGIN, sandbox: false, profile: 'b' });
    await writeSession(dir, other, warn);
    const file = linkSession();
    expect(listSessions(dir, warn).map((s) => s.user_id)).toEqual(['CD5678']);
    expect(warnings).toEqual([`${file} is a symbolic link; algo does not follow links for its private files; skipping it`]);
    untouched();
  });

  it('a sessions folder that is a link is neither followed nor chmod-ed', async () => {
    const away = path.join(outside, 'sessions');
    fs.mkdirSync(away, { mode: 0o755 });
    fs.chmodSync(away, 0o755);
    fs.symlinkSync(away, path.join(dir, 'sessions'));
    await expect(writeSession(dir, session(), warn)).rejects.toThrow(LinkRefusedError);
    expect(() => readSession(dir, 'AB1234', warn)).toThrow(LinkRefusedError);
    expect(listSessions(dir, warn)).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(mode(away)).toBe(0o755);
    expect(fs.readdirSync(away)).toEqual([]);
  });
});

describe('config.json', () => {
  it('a config.json that is a link is refused on read and on write; its target is untouched', async () => {
    const file = configPath(dir);
    fs.symlinkSync(target, file);
    expect(() => readConfigFile(dir)).toThrow(LinkRefusedError);
    expect(() => readConfig(dir)).toThrow(`${file} is a symbolic link`);
    await expect(saveProfile(dir, 'main', { apiKey: 'k' })).rejects.toThrow(LinkRefusedError);
    untouched();
  });

  it('a link that appears between the read and the write is refused too', async () => {
    await saveProfile(dir, 'main', { apiKey: 'k' });
    const { writeConfig } = await import('../../src/core/auth/profiles.js');
    const file = readConfig(dir);
    fs.rmSync(configPath(dir));
    fs.symlinkSync(target, configPath(dir));
    await expect(writeConfig(dir, file)).rejects.toThrow(LinkRefusedError);
    untouched();
  });
});

describe('activity log', () => {
  it('an activity file that is a link is never written through, and reading it is refused', async () => {
    const file = activityFile(dir, 'AB1234');
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.symlinkSync(target, file);
    const log = new ActivityLog(dir, 1);
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      for (let i = 0; i < 3; i++) {
        log.record('AB1234', { time: new Date(i * 1000).toISOString(), method: 'GET', route: '/api/x', status: 200, ms: 1 });
        await log.flush();
      }
      await log.close();
    } finally {
      process.stderr.write = write;
    }
    untouched();
    expect(errors).toEqual([`algo serve: not writing the activity log of AB1234: ${file} is a symbolic link; algo does not follow links for its private files; replace the link with the file itself, or remove it (rm ${file})\n`]);
    await expect(readActivity(dir, 'AB1234', 3)).rejects.toThrow(LinkRefusedError);
  });
});
