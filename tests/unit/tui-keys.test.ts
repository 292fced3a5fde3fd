import { describe, expect, it } from 'vitest';
import { applyEvent, handleKey, initialUi, type KeyContext, type KeyInfo, type KeyResult, type RowRef, type SectionId, type UiState } from '../../src/tui/state/ui.js';

/** Keystrokes -> state and effects, through the pure handleKey (no terminal). */

const rows = (over: Partial<Record<SectionId, RowRef[]>> = {}): Record<SectionId, RowRef[]> => ({
  holdings: [
    { exchange: 'NSE', tradingsymbol: 'INFY', quantity: 10, product: 'CNC' },
    { exchange: 'NSE', tradingsymbol: 'TCS', quantity: 5, product: 'CNC' },
  ],
  positions: [],
  orders: [],
  paperPositions: [{ exchange: 'NSE', tradingsymbol: 'SBIN', quantity: 20, product: 'MIS', positionKey: 'NSE:SBIN:MIS' }],
  paperHoldings: [{ exchange: 'NSE', tradingsymbol: 'WIPRO', quantity: 7, product: 'CNC', holding: true }],
  paperOrders: [
    {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      quantity: 3,
      product: 'CNC',
      order: { orderId: 'PA1', open: true, side: 'BUY', quantity: 3, orderType: 'LIMIT', product: 'CNC', price: 140000, trigger: 0 },
    },
  ],
  paperTrades: [],
  watchlist: [{ exchange: 'NSE', tradingsymbol: 'INFY' }],
  strategies: [],
  backtestTrades: [],
  ...over,
});

const ctx: KeyContext = {
  rows: rows(),
  profiles: [
    { name: 'demo', userId: 'SB0001', session: 'active', expiresAt: 1 },
    { name: 'nosess', userId: null, session: 'none', expiresAt: null },
    { name: 'other', userId: 'SB0002', session: 'active', expiresAt: 1 },
  ],
  currentProfile: 'demo',
};

type Stroke = string | [string, KeyInfo];

/** Press keys in order; returns the final state and every effect. */
function press(strokes: Stroke[], start: UiState = initialUi(), c: KeyContext = ctx): { ui: UiState; effects: NonNullable<KeyResult['effect']>[] } {
  let ui = start;
  const effects: NonNullable<KeyResult['effect']>[] = [];
  for (const s of strokes) {
    const [input, key] = typeof s === 'string' ? [s, {}] : s;
    const r = handleKey(ui, input, key, c);
    ui = r.ui;
    if (r.effect) effects.push(r.effect);
  }
  return { ui, effects };
}

const TAB: Stroke = ['', { tab: true }];
const ENTER: Stroke = ['', { return: true }];
const ESC: Stroke = ['', { escape: true }];
const DOWN: Stroke = ['', { downArrow: true }];
const RIGHT: Stroke = ['', { rightArrow: true }];
const BACKSPACE: Stroke = ['', { backspace: true }];
const CTRL_U: Stroke = ['u', { ctrl: true }];

describe('tabs and selection', () => {
  it('switches tabs with digits, Tab and Shift-Tab', () => {
    expect(press(['2']).ui.tab).toBe('paper');
    expect(press(['3']).ui.tab).toBe('watchlist');
    expect(press([TAB, TAB]).ui.tab).toBe('watchlist');
    expect(press([['', { tab: true, shift: true }]]).ui.tab).toBe('help');
  });

  it('moves the selection with j/k and arrows, clamped to the rows', () => {
    expect(press(['j']).ui.selection.holdings).toBe(1);
    expect(press(['j', 'j', 'j', DOWN]).ui.selection.holdings).toBe(1);
    expect(press(['j', 'k', 'k']).ui.selection.holdings).toBe(0);
  });

  it('moves between the tables of a tab with left/right', () => {
    const { ui } = press(['2', RIGHT]);
    expect(ui.focus.paper).toBe(1);
  });
});

describe('paper order form', () => {
  it('b opens a buy prefilled from the selected row, Tab walks the fields, Enter places', () => {
    const { ui, effects } = press(['j', 'b', TAB, BACKSPACE, BACKSPACE, '7', TAB, RIGHT, TAB, TAB, '1', '5', '0', '0', '.', '5', ENTER]);
    expect(effects).toEqual([
      {
        type: 'place',
        request: {
          exchange: 'NSE',
          tradingsymbol: 'TCS',
          transaction_type: 'BUY',
          quantity: 7,
          order_type: 'LIMIT',
          product: 'CNC',
          price: 150050,
          validity: 'DAY',
        },
      },
    ]);
    expect(ui.overlay.kind).toBe('form');
    if (ui.overlay.kind === 'form') expect(ui.overlay.form.busy).toBe(true);
  });

  it('focuses the symbol first, selected: typing replaces it (q types, it does not quit)', () => {
    const { ui, effects } = press(['3', 's', 'q']);
    expect(effects).toEqual([]);
    expect(ui.overlay.kind === 'form' && ui.overlay.form.symbol).toBe('Q');
    expect(ui.overlay.kind === 'form' && ui.overlay.form.side).toBe('SELL');
    const edited = press(['3', 's', 'b', 'e', BACKSPACE, 'x']).ui;
    expect(edited.overlay.kind === 'form' && edited.overlay.form.symbol).toBe('BX');
  });

  it('Ctrl-U clears the focused field; typing then fills it', () => {
    const { ui, effects } = press(['b', TAB, '4', CTRL_U]);
    expect(effects).toEqual([]);
    expect(ui.overlay.kind === 'form' && ui.overlay.form.quantity).toBe('');
    const typed = press(['9'], ui).ui;
    expect(typed.overlay.kind === 'form' && typed.overlay.form.quantity).toBe('9');
  });

  it('a field a validation error is about gets focus, selected, so typing replaces the bad value', () => {
    const { ui } = press(['b', TAB, '0', ENTER]);
    expect(ui.overlay.kind === 'form' && ui.overlay.form.focus).toBe('quantity');
    expect(ui.overlay.kind === 'form' && ui.overlay.form.selected).toBe(true);
    const fixed = press(['3'], ui).ui;
    expect(fixed.overlay.kind === 'form' && fixed.overlay.form.quantity).toBe('3');
  });

  it('shows what is wrong in the form and focuses that field instead of placing', () => {
    const { ui, effects } = press(['b', TAB, BACKSPACE, BACKSPACE, ENTER]);
    expect(effects).toEqual([]);
    expect(ui.overlay.kind).toBe('form');
    if (ui.overlay.kind !== 'form') return;
    expect(ui.overlay.form.error).toMatch(/quantity/);
    expect(ui.overlay.form.focus).toBe('quantity');
  });

  it('a LIMIT order without a price is refused in the form', () => {
    const { ui, effects } = press(['b', TAB, TAB, RIGHT, ENTER]);
    expect(effects).toEqual([]);
    expect(ui.overlay.kind === 'form' && ui.overlay.form.error).toMatch(/price/);
  });

  it('Esc cancels the form', () => {
    expect(press(['b', ESC]).ui.overlay.kind).toBe('none');
  });

  it('a rejection comes back into the open form', () => {
    const { ui } = press(['b', ENTER]);
    const after = applyEvent(ui, { type: 'form-error', message: 'rejected: needs ₹1,412.95, available ₹0.00' });
    expect(after.overlay.kind === 'form' && after.overlay.form.error).toMatch(/rejected/);
    expect(after.overlay.kind === 'form' && after.overlay.form.busy).toBe(false);
    expect(applyEvent(ui, { type: 'form-done', message: 'ok' }).overlay.kind).toBe('none');
  });
});

describe('acting on paper orders and positions', () => {
  it('c cancels the selected open paper order', () => {
    expect(press(['2', RIGHT, RIGHT, 'c']).effects).toEqual([{ type: 'cancel', orderId: 'PA1' }]);
  });

  it('c elsewhere says what to select', () => {
    const { ui, effects } = press(['c']);
    expect(effects).toEqual([]);
    expect(ui.message?.text).toMatch(/open paper order/);
  });

  it('c on a finished order does nothing but explain', () => {
    const done = { ...ctx, rows: rows({ paperOrders: [{ ...rows().paperOrders[0]!, order: { ...rows().paperOrders[0]!.order!, open: false } }] }) };
    expect(press(['2', RIGHT, RIGHT, 'c'], initialUi(), done).effects).toEqual([]);
  });

  it('m opens the modify form and Enter sends the changes', () => {
    const { effects } = press(['2', RIGHT, RIGHT, 'm', BACKSPACE, '5', ENTER]);
    expect(effects).toEqual([{ type: 'modify', orderId: 'PA1', changes: { quantity: 5, order_type: 'LIMIT', price: 140000 } }]);
  });

  it('x squares off the selected paper position', () => {
    expect(press(['2', 'x']).effects).toEqual([{ type: 'square-off', positionKey: 'NSE:SBIN:MIS' }]);
  });

  it('x on a paper holding squares nothing off and says to sell it; s opens that sell, prefilled', () => {
    const { ui, effects } = press(['2', RIGHT, 'x']);
    expect(ui.focus.paper).toBe(1); // Paper positions, Paper holdings, Paper orders, Paper trades
    expect(effects).toEqual([]);
    expect(ui.message).toEqual({ text: 'WIPRO is a holding: x squares off positions only; to exit, sell it (s)', tone: 'error' });
    const sell = press(['s'], ui).ui.overlay;
    expect(sell.kind === 'form' && { side: sell.form.side, symbol: sell.form.symbol, quantity: sell.form.quantity, product: sell.form.product }).toEqual({
      side: 'SELL', symbol: 'NSE:WIPRO', quantity: '7', product: 'CNC',
    });
  });
});

describe('profiles, watchlist, quit', () => {
  it('p lists profiles; a profile without a session says how to log in; an active one switches', () => {
    const opened = press(['p']).ui;
    expect(opened.overlay).toEqual({ kind: 'profiles', index: 0, note: null });
    const noSession = press([DOWN, ENTER], opened);
    expect(noSession.effects).toEqual([]);
    expect(noSession.ui.overlay.kind === 'profiles' && noSession.ui.overlay.note).toMatch(/algo login --profile nosess/);
    const switched = press([DOWN, DOWN, ENTER], opened);
    expect(switched.effects).toEqual([{ type: 'switch-profile', name: 'other' }]);
    expect(switched.ui.overlay.kind).toBe('none');
  });

  it('a adds to the watchlist through a text input; d removes the selected symbol', () => {
    const added = press(['3', 'a', 'i', 'n', 'f', 'y', ENTER]);
    expect(added.effects).toEqual([{ type: 'watch-add', symbol: 'INFY' }]);
    expect(press(['3', 'd']).effects).toEqual([{ type: 'watch-remove', key: 'NSE:INFY' }]);
    expect(press(['a']).ui.message?.text).toMatch(/tab 3/);
  });

  it('q quits, r refreshes, ? opens help', () => {
    expect(press(['q']).effects).toEqual([{ type: 'quit' }]);
    expect(press(['r']).effects).toEqual([{ type: 'refresh' }]);
    expect(press(['?']).ui.overlay.kind).toBe('help');
    expect(press(['?', ESC]).ui.overlay.kind).toBe('none');
  });

  it('a profile switch resets the selection but keeps the tab', () => {
    const { ui } = press(['2', 'j']);
    const after = applyEvent(ui, { type: 'profile-switched', name: 'other' });
    expect(after.tab).toBe('paper');
    expect(after.selection.paperPositions).toBe(0);
    expect(after.message?.text).toMatch(/other/);
  });
});

describe('bursts of keys', () => {
  it('splits a burst at Tab, Enter and Backspace', async () => {
    const { splitInput } = await import('../../src/tui/state/ui.js');
    expect(splitInput('Y\t\x7f3\r', {})).toEqual([
      ['Y', {}],
      ['', { tab: true }],
      ['', { backspace: true }],
      ['3', {}],
      ['', { return: true }],
    ]);
    expect(splitInput('INFY', {})).toEqual([['INFY', {}]]);
    expect(splitInput('\x151690', {})).toEqual([
      ['u', { ctrl: true }],
      ['1690', {}],
    ]);
    expect(splitInput('\t', { tab: true })).toEqual([['\t', { tab: true }]]);
  });
});

describe('signed out (the session expired or was refused)', () => {
  const out: KeyContext = {
    ...ctx,
    signedOut: true,
    profiles: [
      ...ctx.profiles,
      { name: 'old', userId: 'AB1234', session: 'expired', expiresAt: 1 },
      { name: 'sbnew', userId: null, session: 'none', expiresAt: null, sandbox: true },
    ],
  };

  it('b, s, m and x take no order and say how to sign in again; c still cancels', () => {
    for (const keys of [['b'], ['s'], ['2', 'x'], ['2', RIGHT, 'm']] as Stroke[][]) {
      const { ui, effects } = press(keys, initialUi(), out);
      expect(effects).toEqual([]);
      expect(ui.overlay.kind).toBe('none');
      expect(ui.message).toEqual({ text: 'signed out: no paper orders until the profile signs in again; press L to sign in', tone: 'error' });
    }
    expect(press(['2', RIGHT, RIGHT, 'c'], initialUi(), out).effects).toEqual([{ type: 'cancel', orderId: 'PA1' }]);
  });

  it('L signs in again; while it waits, Esc stops it; signed in, L only says what it is for', () => {
    expect(press(['L'], initialUi(), out).effects).toEqual([{ type: 'sign-in' }]);
    const waiting = { ...out, signingIn: true };
    expect(press(['L'], initialUi(), waiting).effects).toEqual([]);
    expect(press([ESC], initialUi(), waiting).effects).toEqual([{ type: 'cancel-sign-in' }]);
    const signedIn = press(['L']);
    expect(signedIn.effects).toEqual([]);
    expect(signedIn.ui.message?.text).toMatch(/signed in already/);
    expect(press(['b']).ui.overlay.kind).toBe('form');
  });

  it('the switcher opens an expired profile (it shows its paper account and signs in with L); a sandbox one without a session names --sandbox --user', () => {
    const opened = press(['p'], initialUi(), out).ui;
    expect(press([DOWN, DOWN, DOWN, ENTER], opened, out).effects).toEqual([{ type: 'switch-profile', name: 'old' }]);
    const none = press([DOWN, DOWN, DOWN, DOWN, ENTER], opened, out);
    expect(none.effects).toEqual([]);
    expect(none.ui.overlay.kind === 'profiles' && none.ui.overlay.note).toBe('sbnew: it has no session; run `algo login --profile sbnew --sandbox --user SB0001` in another terminal, then press Enter again');
  });
});
