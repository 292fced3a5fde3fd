import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/cli.js';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Run a module snippet against dist/ in a child with the given TZ; returns its JSON output. */
function inZone(tz: string, code: string): unknown {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, env: { ...process.env, TZ: tz }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const SNIPPET = `
import { createSession } from './dist/core/auth/sessions.js';
import { kiteTime } from './dist/core/kite/time.js';
const s = createSession({ user_id: 'AB1234', api_key: 'k', access_token: 'tok-abcdef', loginTime: Date.parse('2026-03-08T12:30:00Z'), sandbox: true, profile: 'p' });
console.log(JSON.stringify({
  offset: new Date('2026-11-25T00:00:00Z').getTimezoneOffset(),
  login_time: s.login_time,
  expires_at: s.expires_at,
  kiteDate: kiteTime(new Date('2026-11-25 10:00:00')),
  kiteText: kiteTime('2026-11-25 10:00:00'),
}));`;

describe('session expiry and Kite times are IST whatever the machine zone', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it.each([
    ['America/New_York', 300],
    ['Asia/Kolkata', -330],
    ['Pacific/Kiritimati', -840],
    ['Europe/London', 0],
  ])('TZ=%s', (tz, offset) => {
    const out = inZone(tz, SNIPPET) as Record<string, unknown>;
    expect(out.offset).toBe(offset); // the child really ran in that zone
    // 12:30 UTC on 8 March 2026 is 18:00 IST; the next 06:00 IST is the 9th.
    expect(out.login_time).toBe('2026-03-08T18:00:00+05:30');
    expect(out.expires_at).toBe('2026-03-09T06:00:00+05:30');
    const want = Date.parse('2026-11-25T10:00:00+05:30');
    expect(out.kiteDate).toBe(want);
    expect(out.kiteText).toBe(want);
  });
});
