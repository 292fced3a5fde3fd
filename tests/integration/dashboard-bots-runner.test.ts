import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProfileBots, type ProfileBots } from '../../src/app/bots.js';
import { captureIo } from '../../src/cli/io.js';
import { Context } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { openStore } from '../../src/core/store/open.js';
import { App, type DashboardPort } from '../../src/tui/App.js';
import { BotsFeed } from '../../src/tui/bots/feed.js';
import { dashboardBotRunner, type DashboardContext } from '../../src/tui/start.js';
import { dataReducer, initialData, type DataAction, type DataState } from '../../src/tui/state/data.js';
import { Store } from '../../src/tui/state/store.js';
import { themeFor } from '../../src/tui/theme.js';
import { plain, waitForFrame } from '../helpers/ink.js';

/**
 * Bots run inside the dashboard while it is open (issue 14): the Bots tab's feed with the
 * dashboard's runner (dashboardBotRunner) on a sandbox profile's SQLite store. Its runner takes
 * a started bot's lease, leaves a bot another process holds alone, and lets go when it closes.
 * The clock is frozen at Wednesday 10:00 IST (a lease never expires by itself).
 */
const CLOCK = '2026-12-02T10:00:00+05:30';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-dash-runner-'));
const env = { ...process.env, NO_COLOR: '1', ALGO_DATA_DIR: tmp, ALGO_CLOCK: CLOCK };
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 }));

async function ok(...args: string[]): Promise<void> {
  const io = captureIo(env);
  expect(await runCli(['node', 'algo', ...args, '--profile', 'asha'], io), io.err()).toBe(0);
}

function dashboardContext(): DashboardContext {
  const ctx = new Context({ profile: 'asha' }, captureIo(env));
  return { settings: ctx.settings, configFile: ctx.configFile, clock: ctx.clock, forProfile: (profile) => new Context({ profile }, captureIo(env)) };
}

async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let cli: ProfileBots;
let vikram: ProfileBots;
beforeAll(async () => {
  await ok('login', '--sandbox', '--user', 'SB0001');
  for (const name of ['mine', 'theirs']) {
    await ok('bot', 'create', name, '--strategy', 'orb', '--symbol', 'INFY', '--qty', '10');
    await ok('bot', 'start', name);
  }
  cli = await openProfileBots(new Context({ profile: 'asha' }, captureIo(env)));
  // another process (say `algo bot run`) holds "theirs"
  const theirs = await cli.desk.show(cli.userId, 'theirs');
  const store = await openStore(`sqlite:${path.join(tmp, 'algo.db')}`);
  expect((await store.bots.acquireLease(cli.userId, theirs.id, 'other-process', Date.parse(CLOCK), 3_600_000))?.holder).toBe('other-process');
  await store.close();
  // a second profile with a started bot, for the switch
  const io = captureIo(env);
  for (const args of [['login', '--sandbox', '--user', 'SB0002'], ['bot', 'create', 'vik', '--strategy', 'orb', '--symbol', 'TCS'], ['bot', 'start', 'vik']]) {
    expect(await runCli(['node', 'algo', ...args, '--profile', 'vikram'], io), io.err()).toBe(0);
  }
  vikram = await openProfileBots(new Context({ profile: 'vikram' }, captureIo(env)));
});
afterAll(async () => vikram?.close());
afterAll(async () => cli?.close());

describe('the dashboard runs the profile’s bots while it is open', () => {
  it('holds a started bot’s lease while open, leaves another holder’s bot, follows a profile switch, and releases it on close', async () => {
    const warnings: string[] = [];
    const ctx = dashboardContext();
    const feed = new BotsFeed({ bots: (p) => openProfileBots(ctx.forProfile(p)), profile: 'asha', clock: ctx.clock, runner: dashboardBotRunner(ctx, (m) => warnings.push(m), env) });
    const data = new Store<DataState, DataAction>(initialData(), dataReducer);
    data.dispatch({ type: 'loaded' });
    const port: DashboardPort = { store: data, profileName: 'asha', run: async () => null, bots: feed };
    const ink = render(React.createElement(App, { port, clock: ctx.clock, theme: themeFor({ NO_COLOR: '1' }) }));
    try {
      await feed.start();
      const mine = await cli.desk.show(cli.userId, 'mine');
      const theirs = await cli.desk.show(cli.userId, 'theirs');
      await until('the dashboard’s runner to hold "mine"', async () => (await cli.desk.runner(cli.userId, mine))?.holder.includes(`:${process.pid}:`) === true);
      ink.stdin.write('5');
      await waitForFrame(() => plain(ink.lastFrame()), /mine\s+orb\s+NSE:INFY\s+running\s/, 5000);
      expect((await cli.desk.runner(cli.userId, theirs))?.holder).toBe('other-process');
      // a profile switch: the old profile's bots let go, the new one's are taken
      await feed.switchTo('vikram');
      const vik = await vikram.desk.show(vikram.userId, 'vik');
      await until('the runner to hold "vik"', async () => (await vikram.desk.runner(vikram.userId, vik))?.holder.includes(`:${process.pid}:`) === true);
      expect(await cli.desk.runner(cli.userId, mine)).toBeNull();
    } finally {
      await feed.stop();
      ink.unmount();
    }
    expect(await vikram.desk.runner(vikram.userId, await vikram.desk.show(vikram.userId, 'vik'))).toBeNull();
    expect((await cli.desk.runner(cli.userId, await cli.desk.show(cli.userId, 'theirs')))?.holder).toBe('other-process');
    expect(warnings).toEqual([]);
  }, 30_000);
});
