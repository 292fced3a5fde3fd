import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App, type DashboardPort } from '../../src/tui/App.js';
import { BotDesk } from '../../src/app/bots.js';
import { ManualClock } from '../../src/core/clock.js';
import { PaperService } from '../../src/core/paper/service.js';
import { BotsFeed } from '../../src/tui/bots/feed.js';
import { Store } from '../../src/tui/state/store.js';
import { dataReducer, initialData, type DataAction, type DataState } from '../../src/tui/state/data.js';
import { themeFor } from '../../src/tui/theme.js';
import { plain, waitForFrame, waitForStdin } from '../helpers/ink.js';
import { buy, instrument, MemoryMarket, MON_10, NO_SLIPPAGE, quote } from '../helpers/paper.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

/**
 * The Bots tab on a real SQLite file: the dashboard's feed on one connection, "another process"
 * (the CLI's desk and a bot's fills) on a second; the tab follows within its 1 s poll.
 */
const A = 'AB1234';
const sqlite = sqliteFixture(afterEach);
const unmounts: Array<() => void> = [];
afterEach(async () => {
  for (const u of unmounts.splice(0)) u();
});

describe('dashboard Bots tab on SQLite', () => {
  it('shows changes and fills made by another process, and its keys reach the same file', async () => {
    const file = sqlite.file();
    const clock = new ManualClock(MON_10);
    const mine = sqlite.open(file);
    const other = sqlite.open(file);
    const cli = new BotDesk({ bots: other.bots, paper: other, clock });
    const bot = await cli.create(A, { name: 'orb-infy', strategy: 'orb', symbols: ['INFY'], qty: '10' });

    const feed = new BotsFeed({ bots: { userId: A, desk: new BotDesk({ bots: mine.bots, paper: mine, clock }), close: async () => undefined }, clock, pollMs: 1000 });
    const data = new Store<DataState, DataAction>(initialData(), dataReducer);
    data.dispatch({ type: 'loaded' });
    const port: DashboardPort = { store: data, profileName: 'demo', run: async () => null, bots: feed };
    const ink = render(React.createElement(App, { port, clock, theme: themeFor({ NO_COLOR: '1' }) }));
    unmounts.push(() => ink.unmount());
    const frame = (): string => plain(ink.lastFrame());
    await feed.start();
    unmounts.push(() => void feed.stop());
    await waitForStdin(ink.stdin);
    ink.stdin.write('5');
    await waitForFrame(frame, /orb-infy\s+orb\s+NSE:INFY\s+stopped\s+flat/);

    // another process starts the bot and its runner fills an order tagged with the bot's id
    await cli.start(A, 'orb-infy');
    const market = new MemoryMarket([instrument('INFY')]);
    market.setQuote(quote(instrument('INFY'), 1500_00, clock.now()));
    await new PaperService({ store: other, market, clock, config: NO_SLIPPAGE }).place(A, buy('INFY', 10, { product: 'MIS', tag: bot.id }));
    await other.bots.appendEvents(A, [{ bot_id: bot.id, at: clock.now(), kind: 'fill', message: 'BUY 10 INFY @ 1,500.00' }]);
    await waitForFrame(frame, /orb-infy\s+orb\s+NSE:INFY\s+stopped → running\s+INFY \+10\s+-\d+\.\d\d\s+fill: BUY 10 INFY/, 3000);

    // the tab's stop reaches the file: the other connection reads it
    ink.stdin.write('S');
    await waitForFrame(frame, 'orb-infy: stop requested');
    expect(await other.bots.get(A, bot.id)).toMatchObject({ desired: 'stopped', status: 'stopped' });
  });
});
