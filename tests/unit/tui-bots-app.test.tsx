import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App, type DashboardPort } from '../../src/tui/App.js';
import { BotDesk } from '../../src/app/bots.js';
import { BotsFeed } from '../../src/tui/bots/feed.js';
import { Store } from '../../src/tui/state/store.js';
import { dataReducer, initialData, type DataAction, type DataState } from '../../src/tui/state/data.js';
import { themeFor } from '../../src/tui/theme.js';
import { plain, waitForFrame, waitForStdin } from '../helpers/ink.js';
import { rig } from '../helpers/paper.js';

/** The Bots tab in the whole App: keys in, the memory store's bots changed through BotDesk. */
const A = 'AB1234';
const B = 'CD5678';
const ORB = { name: 'orb-infy', strategy: 'orb', symbols: ['INFY'], qty: '10' };
const ESC = '\x1b';
const ENTER = '\r';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

async function setup() {
  const r = rig();
  const desk = new BotDesk({ bots: r.store.bots, paper: r.store, clock: r.clock });
  await desk.create(A, ORB);
  await desk.create(A, { ...ORB, name: 'tcs-orb', symbols: ['TCS'] });
  await desk.create(B, ORB);
  const feed = new BotsFeed({ bots: { userId: A, desk, close: async () => undefined }, clock: r.clock });
  await feed.poll();
  const store = new Store<DataState, DataAction>(initialData(), dataReducer);
  store.dispatch({ type: 'loaded' });
  const port: DashboardPort = { store, profileName: 'demo', run: async () => null, bots: feed };
  const ink = render(<App port={port} clock={r.clock} theme={themeFor({ NO_COLOR: '1' })} />);
  cleanup.push(() => ink.unmount());
  const frame = (): string => plain(ink.lastFrame());
  await waitForStdin(ink.stdin);
  const press = async (key: string, expect: string | RegExp): Promise<string> => {
    ink.stdin.write(key);
    return waitForFrame(frame, expect);
  };
  await press('5', 'Bots (2)');
  return { r, desk, press, frame };
}

describe('Bots tab in the dashboard', () => {
  it('s starts the selected bot (desired running), S stops it, f blocks its entries', async () => {
    const { r, press } = await setup();
    await press('s', /orb-infy: start requested/);
    expect(await r.store.bots.get(A, 'orb-infy')).toMatchObject({ desired: 'running', status: 'stopped' });
    expect(await r.store.bots.get(A, 'tcs-orb')).toMatchObject({ desired: 'stopped' });
    await press('x', /orb-infy: stop requested/);
    expect(await r.store.bots.get(A, 'orb-infy')).toMatchObject({ desired: 'stopped' });
    await press('j', /Bots/);
    await press('f', /tcs-orb: flatten requested/);
    const frame = await press('', /tcs-orb.*BLOCKED/);
    expect(frame).toMatch(/orb-infy\s+orb\s+NSE:INFY\s+stopped/);
    expect(await r.store.bots.get(A, 'tcs-orb')).toMatchObject({ entries_blocked: true });
  });

  it('p on a stopped bot: the desk refuses, and its line is on screen; nothing changes', async () => {
    const { r, press } = await setup();
    const before = await r.store.bots.get(A, 'orb-infy');
    await press('p', 'bot orb-infy is stopped; there is nothing to pause; start it: algo bot start orb-infy');
    expect(await r.store.bots.get(A, 'orb-infy')).toEqual(before);
  });

  it('K then n does nothing; K then y kills every bot of the user, and only theirs', async () => {
    const { r, desk, press } = await setup();
    await desk.start(A, 'orb-infy');
    await desk.start(A, 'tcs-orb');
    await desk.start(B, 'orb-infy');
    await press('K', 'kill switch: flatten and stop all 2 bots, entries blocked? y/n');
    await press('n', 'kill switch cancelled: nothing changed');
    for (const name of ['orb-infy', 'tcs-orb']) expect(await r.store.bots.get(A, name)).toMatchObject({ desired: 'running', entries_blocked: false });
    await press('K', 'all 2 bots');
    await press('y', 'kill switch: 2 bots stopping, entries blocked');
    for (const name of ['orb-infy', 'tcs-orb']) expect(await r.store.bots.get(A, name)).toMatchObject({ desired: 'stopped', status: 'stopped', status_reason: 'kill switch', entries_blocked: true });
    expect(await r.store.bots.get(B, 'orb-infy')).toMatchObject({ desired: 'running', entries_blocked: false });
  });

  it('Enter opens the detail with the event log, which follows the store; Esc goes back', async () => {
    const { desk, press } = await setup();
    const detail = await press(ENTER, 'Events (1)');
    expect(detail).toMatch(/created {2}created \(version 1\)/);
    expect(detail).toContain('status stopped');
    await desk.start(A, 'orb-infy');
    await press('', 'Events (1)');
    await press('S', /Events \(3\)[\s\S]*start requested[\s\S]*stop requested/);
    await press(ESC, 'Bots (2)');
  });
});
