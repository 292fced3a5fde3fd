import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { ensureBuilt, runCli, spawnCli, tempDataDir, type CliProcess } from '../helpers/cli.js';

/**
 * A person signs in in a real (headless) Chromium: `algo login --sandbox --no-browser` prints the
 * URL, the browser opens it, picks a demo user, types the password, submits, and lands on algo's
 * listener. Skipped only where Chromium is missing and CI is not set; in CI it must run.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing in CI: install chromium to run the browser login test`);
const AT = '2026-01-07T14:00:00+05:30';

const title = hasChromium ? 'browser login' : `browser login (skipped: ${CHROMIUM} is not installed and CI is not set; apt-get install chromium)`;

describe.skipIf(!hasChromium)(title, () => {
  let browser: BrowserContext;
  let profileDir: string;
  let dataDir: string;
  let proc: CliProcess | undefined;

  beforeAll(async () => {
    ensureBuilt();
    const { chromium } = await import('playwright-core');
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-chromium-'));
    dataDir = tempDataDir('algo-e2e-');
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 180_000);

  afterAll(async () => {
    if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
    await browser?.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in as SB0003 through the login page', async () => {
    proc = spawnCli(['login', '--sandbox', '--no-browser', '--port', '0', '--profile', 'web'], { dataDir, env: { ALGO_CLOCK: AT } });
    const [, url] = await proc.waitFor(/^\s+(http:\S+)$/m);

    const page = await browser.newPage();
    await page.goto(url!);
    expect(await page.title()).toContain('Kite sandbox');
    await page.fill('#user_id', 'SB0003');
    await page.fill('#password', 'sandbox');
    await Promise.all([page.waitForURL(/127\.0\.0\.1:\d+\/callback\?/), page.click('button[type=submit]')]);
    await expect.poll(() => page.textContent('h1')).toBe('Signed in');
    expect(await page.textContent('body')).toContain('as SB0003 for profile web');
    expect(new URL(page.url()).searchParams.get('request_token')).toBeTruthy();

    const result = await proc.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Signed in as SB0003 \(.+\) for profile web \(sandbox\); session valid until 2026-01-08 06:00:00 IST\n$/);

    const file = path.join(dataDir, 'sessions', 'SB0003.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const session = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(session).toMatchObject({ user_id: 'SB0003', profile: 'web', sandbox: true, api_key: 'sandbox_api_key', expires_at: '2026-01-08T06:00:00+05:30' });
    expect(session.session_token).toMatch(/^[0-9a-f-]{36}$/);
    expect(session.access_token.length).toBeGreaterThan(10);

    const who = await runCli(['whoami', '--json'], { dataDir, env: { ALGO_CLOCK: AT } });
    expect(who.code).toBe(0);
    const id = JSON.parse(who.stdout);
    expect(id).toMatchObject({ profile: 'web', user_id: 'SB0003', sandbox: true });
    expect(who.stdout).not.toContain(session.access_token);
  });
});
