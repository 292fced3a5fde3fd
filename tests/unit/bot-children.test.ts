import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BotChildren } from '../../src/app/bot-children.js';
import { createSession, writeSession } from '../../src/core/auth/sessions.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Settings } from '../../src/core/config.js';
import { parseIst } from '../../src/core/ist.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import { emaBot, ownerDesk } from '../helpers/bots.js';
import { tempDataDir } from '../helpers/cli.js';

/**
 * Which users' bots a live `algo serve` would start a bot process for, and what it says about the
 * others (the processes themselves: tests/integration/bot-serve-children.test.ts).
 */
const NOW = parseIst('2026-11-25 09:14:00');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function setup(store: string) {
  const dataDir = tempDataDir('algo-bot-children-unit-');
  dirs.push(dataDir);
  const clock = new ManualClock(NOW);
  const paper = new MemoryPaperStore();
  const { desk } = ownerDesk(paper, clock);
  const notes: string[] = [];
  const children = new BotChildren({
    store: paper,
    settings: { dataDir, store } as Settings,
    clock,
    env: {},
    sandbox: false,
    apiRoot: 'http://127.0.0.1:9',
    tickerUrl: 'ws://127.0.0.1:9/',
    source: 'kite',
    scanMs: 60_000,
    onNote: (m) => notes.push(m),
  });
  const bot = async (user: string, name: string, start: boolean) => {
    await paper.bots.create(user, { name, config: emaBot(), now: clock.now() });
    if (start) await desk.start(user, name);
  };
  const session = (user: string, sandbox: boolean) =>
    writeSession(dataDir, createSession({ user_id: user, api_key: 'live_key', access_token: `token-of-${user}-0000`, loginTime: NOW - 3_600_000, sandbox, profile: user.toLowerCase() }));
  return { children, notes, bot, session };
}

describe('BotChildren: the users a live server runs bots for', () => {
  it('a user with a started bot and no live session waits for a sign-in; a sandbox session is not a live one; stopped bots need nothing', async () => {
    const w = await setup('sqlite:/nonexistent/paper.db');
    await w.bot('AB1234', 'a', true);
    await w.bot('CD5678', 'b', true);
    await w.session('CD5678', true);
    await w.bot('EF9012', 'c', false);
    await w.session('EF9012', false);
    await w.children.start();
    await w.children.stop();
    expect(w.notes).toEqual([
      "AB1234's bots wait for a sign-in: no valid live Kite session (run algo login for that user's profile)",
      "CD5678's bots wait for a sign-in: no valid live Kite session (run algo login for that user's profile)",
    ]);
    expect(w.children.running()).toEqual([]);
  });

  it('says why no bot process can start for a signed-in user: the store memory: is this process alone', async () => {
    const w = await setup('memory:');
    await w.bot('AB1234', 'a', true);
    await w.session('AB1234', false);
    await w.children.start();
    await w.children.stop();
    expect(w.notes).toEqual(["AB1234's bots cannot run here: the store memory: is this process's alone, and a bot process could not see it; use a SQLite or MongoDB store"]);
    expect(w.children.running()).toEqual([]);
  });
});
