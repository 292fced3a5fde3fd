import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';

/** A frame without colour codes. */
const frame = (last: () => string | undefined): string => plain(last());
const renderPlain = (tree: React.ReactElement) => {
  const r = render(tree);
  return { ...r, lastFrame: () => plain(r.lastFrame()) };
};
import { App, type DashboardPort } from '../../src/tui/App.js';
import { ManualClock } from '../../src/core/clock.js';
import { themeFor } from '../../src/tui/theme.js';
import { Store } from '../../src/tui/state/store.js';
import { dataReducer, initialData, type DataAction, type DataState } from '../../src/tui/state/data.js';
import type { Effect, UiEvent } from '../../src/tui/state/ui.js';
import { plain, waitForFrame, waitForStdin } from '../helpers/ink.js';

/** The whole screen in ink-testing-library: keys in, frames out; effects recorded by a port. */

const clock = new ManualClock(Date.parse('2026-11-25T10:00:00+05:30'));

function setup(): { port: DashboardPort; effects: Effect[]; store: Store<DataState, DataAction> } {
  const store = new Store<DataState, DataAction>(initialData(), dataReducer);
  const effects: Effect[] = [];
  store.dispatch({ type: 'profile', profile: { profile: 'demo', userId: 'SB0001', userName: 'Asha Rao', mode: 'sandbox' } });
  store.dispatch({
    type: 'portfolio',
    snapshot: {
      holdings: [{ exchange: 'NSE', tradingsymbol: 'INFY', instrument_token: 408065, quantity: 25, average_price: 132_540, last_price: 174_190, close_price: 173_480 }],
      positions: [],
      orders: [],
      margins: { available: 49_651_820, used: 348_180, net: 49_651_820 },
      loadedAt: clock.now(),
    },
  });
  store.dispatch({ type: 'watchlist', keys: ['NSE:INFY'] });
  store.dispatch({ type: 'loaded' });
  const port: DashboardPort = {
    store,
    profileName: 'demo',
    async run(effect): Promise<UiEvent | null> {
      effects.push(effect);
      if (effect.type === 'place') return { type: 'form-error', message: 'rejected: quantity 25 exceeds what you can afford' };
      return null;
    },
  };
  return { port, effects, store };
}

describe('App', () => {
  it('renders the header, tabs and live holdings, and follows quotes', async () => {
    const { port, store } = setup();
    const { lastFrame, unmount } = renderPlain(<App port={port} clock={clock} theme={themeFor({ NO_COLOR: '1' })} />);
    expect(frame(lastFrame)).toContain('SANDBOX');
    expect(frame(lastFrame)).toContain('demo SB0001 Asha Rao');
    expect(frame(lastFrame)).toMatch(/1 Portfolio\s+2 Paper\s+3 Watchlist\s+4 Strategies\s+5 Bots\s+6 Help/);
    expect(frame(lastFrame)).toMatch(/INFY\s+25\s+1,325\.40\s+1,741\.90/);
    store.dispatch({ type: 'quotes', quotes: [{ key: 'NSE:INFY', token: 408065, ltp: 180_000, open: 0, high: 0, low: 0, close: 173_480, timestamp: clock.now() }] });
    await waitForFrame(lastFrame, /INFY\s+25\s+1,325\.40\s+1,800\.00\s+45,000\.00\s+\+11,865\.00/);
    unmount();
  });

  it('b opens the form prefilled from the selected holding; Enter places; a rejection stays in the form', async () => {
    const { port, effects } = setup();
    const { lastFrame, stdin, unmount } = renderPlain(<App port={port} clock={clock} theme={themeFor({})} />);
    await waitForStdin(stdin);
    stdin.write('b');
    expect(await waitForFrame(lastFrame, 'Paper BUY')).toContain('NSE:INFY');
    stdin.write('\r');
    await waitForFrame(lastFrame, 'rejected: quantity 25 exceeds what you can afford');
    expect(effects).toEqual([
      { type: 'place', request: { exchange: 'NSE', tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 25, order_type: 'MARKET', product: 'CNC', validity: 'DAY' } },
    ]);
    expect(frame(lastFrame)).toContain('Paper BUY');
    stdin.write('\x1b');
    await waitForFrame(lastFrame, (f) => !f.includes('Paper BUY') && f.includes('order form closed'));
    unmount();
  });

  it('shows the expired-session and lost-ticker banners', async () => {
    const { port, store } = setup();
    const { lastFrame, unmount } = renderPlain(<App port={port} clock={clock} theme={themeFor({})} />);
    store.dispatch({ type: 'session-expired', message: 'session for demo expired at 2026-11-26 06:00:00 IST; run `algo login --profile demo`' });
    store.dispatch({ type: 'ticker', status: { state: 'reconnecting', attempt: 3, retryInMs: 4000 } });
    const f = await waitForFrame(lastFrame, (s) => s.includes('run `algo login --profile demo`') && s.includes('ticker connection lost'));
    expect(f).toContain('ticker connection lost: reconnecting (attempt 3) in 4s, with backoff');
    unmount();
  });

  it('signed out: the expiry once, with L; the paper tab says it is not loaded instead of "loading…" or "no paper positions"; b takes no order', async () => {
    const store = new Store<DataState, DataAction>(initialData(), dataReducer);
    const effects: Effect[] = [];
    const port: DashboardPort = { store, profileName: 'work', run: async (e) => (effects.push(e), null) };
    const { lastFrame, stdin, unmount } = renderPlain(<App port={port} clock={clock} theme={themeFor({ NO_COLOR: '1' })} />);
    const expiry = 'session for work expired at 2026-11-25 06:00:00 IST; run `algo login --profile work`';
    store.dispatch({ type: 'session-expired', message: expiry });
    store.dispatch({ type: 'session-expired', message: expiry });
    store.dispatch({ type: 'loaded' });
    await waitForStdin(stdin);
    stdin.write('2');
    const f = await waitForFrame(lastFrame, 'paper account not loaded');
    expect(f.split('session for work expired')).toHaveLength(2); // once
    expect(f.replace(/\n/g, '')).toContain('press L to sign in again');
    expect(f).not.toContain('loading paper account');
    expect(f).not.toContain('no paper positions');
    expect(f).toContain('L sign in again');
    stdin.write('b');
    await waitForFrame(lastFrame, 'signed out: no paper orders until the profile signs in again; press L to sign in');
    expect(lastFrame()).not.toContain('Paper BUY');
    stdin.write('L');
    await waitForFrame(lastFrame, 'signing work in again');
    expect(effects).toEqual([{ type: 'sign-in' }]);
    unmount();
  });

  it('signed out with the paper account read from the store: positions stay on screen, marked read-only', async () => {
    const { port, store } = setup();
    store.dispatch({ type: 'session-expired', message: 'session for demo expired at 2026-11-25 06:00:00 IST; run `algo login --profile demo`' });
    store.dispatch({ type: 'paper-only', on: true });
    store.dispatch({
      type: 'paper',
      snapshot: {
        capital: 10_000_000, available: 9_000_000, blocked: 0, realised: 0, charges: 0, orders: [], trades: [], stats: null, equity: [], version: 3, holdings: [],
        positions: [{
          key: 'NSE:SBIN:CNC', user_id: 'SB0001', exchange: 'NSE', tradingsymbol: 'SBIN', instrument_token: 779521, product: 'CNC', quantity: 10, cost: 800_000,
          realised_pnl: 0, buy_quantity: 10, buy_value: 800_000, sell_quantity: 0, sell_value: 0, opened_on: '2026-11-25', blocked_margin: 0, kind: 'position', updated_at: clock.now(),
        }],
      },
    });
    const { lastFrame, stdin, unmount } = renderPlain(<App port={port} clock={clock} theme={themeFor({})} />);
    await waitForStdin(stdin);
    stdin.write('2');
    const f = await waitForFrame(lastFrame, /SBIN\s+CNC\s+10/);
    expect(f).toContain('signed out: the paper account as stored, without live prices');
    expect(f).not.toContain('no paper positions');
    unmount();
  });

  it('the watchlist tab shows LTP, change and day range', async () => {
    const { port, store } = setup();
    const { lastFrame, stdin, unmount } = renderPlain(<App port={port} clock={clock} theme={themeFor({})} />);
    store.dispatch({ type: 'quotes', quotes: [{ key: 'NSE:INFY', token: 408065, ltp: 174_190, open: 173_960, high: 174_310, low: 173_520, close: 173_480, timestamp: clock.now() }] });
    await waitForStdin(stdin);
    stdin.write('3');
    await waitForFrame(lastFrame, /NSE:INFY\s+1,741\.90\s+\+7\.10\s+\+0\.41%\s+1,735\.20 – 1,743\.10/);
    unmount();
  });
});
