import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/core/config.js';
import { UsageError } from '../../src/core/errors.js';
import { clockFromEnv } from '../../src/core/clock.js';

const dirs: string[] = [];
function tempDir(config?: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-config-'));
  dirs.push(dir);
  if (config !== undefined) fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('settings', () => {
  it('defaults to the sandbox when no API key is configured', () => {
    const { settings } = resolveSettings({ dataDir: tempDir() }, {});
    expect(settings.sandbox).toBe(true);
    expect(settings.profile).toBe('default');
    expect(settings.redirectPort).toBe(5959);
    expect(settings.store).toMatch(/^sqlite:.*algo\.db$/);
  });

  it('takes flag over environment over config file', () => {
    const dataDir = tempDir({ profiles: { me: { apiKey: 'k1' } }, redirectPort: 7000 });
    const fromFile = resolveSettings({ dataDir }, {}).settings;
    expect(fromFile.profile).toBe('me');
    expect(fromFile.sandbox).toBe(false);
    expect(fromFile.redirectPort).toBe(7000);
    expect(resolveSettings({ dataDir }, { ALGO_REDIRECT_PORT: '7100' }).settings.redirectPort).toBe(7100);
    expect(resolveSettings({ dataDir, port: '7200' }, { ALGO_REDIRECT_PORT: '7100' }).settings.redirectPort).toBe(7200);
    expect(resolveSettings({ dataDir, profile: 'x' }, { ALGO_PROFILE: 'y' }).settings.profile).toBe('x');
  });

  it('names the first bad field', () => {
    expect(() => resolveSettings({ dataDir: tempDir({ profiles: { me: { apiKey: '' } } }) }, {})).toThrow(/profiles\.me\.apiKey/);
    expect(() => resolveSettings({ dataDir: tempDir({ bogus: 1 }) }, {})).toThrow(UsageError);
    expect(() => resolveSettings({ dataDir: tempDir(), port: 'abc' }, {})).toThrow(/redirectPort/);
    expect(() => resolveSettings({ dataDir: tempDir() }, { ALGO_STORE: 'postgres://x' })).toThrow(/store/);
    const broken = tempDir();
    fs.writeFileSync(path.join(broken, 'config.json'), '{nope');
    expect(() => resolveSettings({ dataDir: broken }, {})).toThrow(/not valid JSON/);
  });

  it('reads the sandbox plan from ALGO_SANDBOX_PLAN over config.json, default connect, and refuses an unknown one', () => {
    expect(resolveSettings({ dataDir: tempDir() }, {}).settings.sandboxPlan).toBe('connect');
    const dataDir = tempDir({ sandboxPlan: 'no-historical' });
    expect(resolveSettings({ dataDir }, {}).settings.sandboxPlan).toBe('no-historical');
    expect(resolveSettings({ dataDir }, { ALGO_SANDBOX_PLAN: 'personal' }).settings.sandboxPlan).toBe('personal');
    expect(() => resolveSettings({ dataDir: tempDir() }, { ALGO_SANDBOX_PLAN: 'gold' })).toThrow(
      /sandboxPlan \(ALGO_SANDBOX_PLAN\) must be one of connect, no-historical, personal/,
    );
    expect(() => resolveSettings({ dataDir: tempDir({ sandboxPlan: 'gold' }) }, {})).toThrow(/config.json: sandboxPlan .*must be one of/);
  });

  it("paper fills: Kite's automatic market protection (-1) and a 10% volume share by default; config.json sets them; a bad one is one line", () => {
    expect(resolveSettings({ dataDir: tempDir() }, {}).settings).toMatchObject({ marketProtectionPct: -1, volumeSharePct: 10 });
    const set = resolveSettings({ dataDir: tempDir({ paper: { marketProtectionPct: 2, volumeSharePct: 25 } }) }, {}).settings;
    expect(set).toMatchObject({ marketProtectionPct: 2, volumeSharePct: 25 });
    expect(() => resolveSettings({ dataDir: tempDir({ paper: { marketProtectionPct: 0 } }) }, {})).toThrow(
      /paper\.marketProtectionPct must be -1 \(automatic, as Kite\) or a percentage above 0 and at most 100/,
    );
    expect(() => resolveSettings({ dataDir: tempDir({ paper: { volumeSharePct: 0 } }) }, {})).toThrow(/paper\.volumeSharePct/);
  });

  it('pins the clock with ALGO_CLOCK and refuses a bad one', () => {
    expect(clockFromEnv({ ALGO_CLOCK: '2026-11-25T10:00:00+05:30' }).now()).toBe(Date.parse('2026-11-25T04:30:00Z'));
    expect(() => clockFromEnv({ ALGO_CLOCK: 'tomorrow' })).toThrow(/ALGO_CLOCK/);
  });
});
