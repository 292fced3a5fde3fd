import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App, type DashboardPort } from '../../src/tui/App.js';
import { OrderForm } from '../../src/tui/components/OrderForm.js';
import { ManualClock } from '../../src/core/clock.js';
import { themeFor } from '../../src/tui/theme.js';
import { ThemeContext } from '../../src/tui/theme-context.js';
import { Store } from '../../src/tui/state/store.js';
import { dataReducer, initialData, type DataAction, type DataState } from '../../src/tui/state/data.js';
import { formReducer, modifyOrderForm, newOrderForm, type FormAction, type OrderFormState } from '../../src/tui/state/order-form.js';
import type { Effect, UiEvent } from '../../src/tui/state/ui.js';
import type { PaperOrder } from '../../src/core/paper/types.js';
import { waitForFrame, waitForStdin } from '../helpers/ink.js';

/** The order form's fields: selected on focus (typing replaces), Backspace edits, Ctrl-U clears. */

const run = (s: OrderFormState, ...actions: FormAction[]): OrderFormState => actions.reduce(formReducer, s);
const typed = (text: string): FormAction => ({ type: 'type', text });
const BACKSPACE: FormAction = { type: 'backspace' };
const CLEAR: FormAction = { type: 'clear' };
const NEXT: FormAction = { type: 'next' };
const PREV: FormAction = { type: 'prev' };

const modify = (): OrderFormState =>
  modifyOrderForm({ orderId: 'PA1', side: 'BUY', symbol: 'NSE:INFY', quantity: 3, orderType: 'LIMIT', product: 'CNC', price: 170_000, trigger: 0 });

describe('formReducer: a field is selected when it gets focus', () => {
  it('a new form opens on the symbol, selected; Tab into the prefilled quantity 1 and typing 10 gives 10', () => {
    const form = newOrderForm({ side: 'BUY', symbol: 'NSE:INFY' });
    expect(form).toMatchObject({ focus: 'symbol', selected: true, quantity: '1' });
    const q = run(form, NEXT);
    expect(q).toMatchObject({ focus: 'quantity', selected: true });
    expect(run(q, typed('1'), typed('0'))).toMatchObject({ quantity: '10', selected: false });
    expect(run(q, typed('10')).quantity).toBe('10'); // a burst of keys replaces too
  });

  it('the first character typed into the selected symbol replaces it', () => {
    expect(run(newOrderForm({ side: 'SELL', symbol: 'NSE:INFY' }), typed('t'), typed('cs')).symbol).toBe('TCS');
  });

  it('a modify form opens on the quantity, selected; the price 1700 retyped as 1690 is 1690', () => {
    const form = modify();
    expect(form).toMatchObject({ focus: 'quantity', selected: true, quantity: '3', price: '1700' });
    expect(run(form, typed('5')).quantity).toBe('5');
    const price = run(form, NEXT, NEXT);
    expect(price).toMatchObject({ focus: 'price', selected: true });
    expect(run(price, typed('1'), typed('6'), typed('9'), typed('0')).price).toBe('1690');
  });

  it('Backspace on a selected field clears it, then deletes one character at a time', () => {
    const price = run(modify(), NEXT, NEXT);
    expect(run(price, BACKSPACE)).toMatchObject({ price: '', selected: false });
    expect(run(price, BACKSPACE, typed('1650')).price).toBe('1650');
    expect(run(price, typed('1690'), BACKSPACE).price).toBe('169');
    expect(run(price, typed('1690'), BACKSPACE, BACKSPACE, typed('5')).price).toBe('165');
  });

  it('once something is typed the field is no longer selected and typing appends', () => {
    const q = run(newOrderForm({ side: 'BUY' }), NEXT, typed('2'));
    expect(q.selected).toBe(false);
    expect(run(q, typed('5'), typed('0')).quantity).toBe('250');
  });

  it('Ctrl-U (clear) empties the focused field whether or not it is selected', () => {
    const q = run(newOrderForm({ side: 'BUY', quantity: 40 }), NEXT);
    expect(run(q, CLEAR)).toMatchObject({ quantity: '', selected: false });
    expect(run(q, typed('12'), CLEAR, typed('7')).quantity).toBe('7');
    const onType = run(q, NEXT);
    expect(run(onType, CLEAR)).toBe(onType); // not a text field: nothing to clear
  });

  it('Tab and Shift-Tab into a field select it again, after it was edited', () => {
    const form = run(newOrderForm({ side: 'BUY', symbol: 'NSE:INFY' }), NEXT, typed('7'));
    const back = run(form, PREV);
    expect(back).toMatchObject({ focus: 'symbol', selected: true });
    expect(run(back, NEXT)).toMatchObject({ focus: 'quantity', selected: true, quantity: '7' });
    expect(run(back, NEXT, typed('9')).quantity).toBe('9');
    expect(run(form, { type: 'focus', field: 'symbol' })).toMatchObject({ focus: 'symbol', selected: true });
  });

  it('a key no field takes keeps the selection; a busy form takes no keys', () => {
    const q = run(newOrderForm({ side: 'BUY' }), NEXT);
    expect(run(q, typed('x'))).toMatchObject({ quantity: '1', selected: true });
    const busy = run(q, { type: 'busy', busy: true });
    expect(run(busy, typed('5'), BACKSPACE, CLEAR).quantity).toBe('1');
  });
});

describe('OrderForm shows the selection', () => {
  const show = (form: OrderFormState): string => {
    const { lastFrame } = render(
      <ThemeContext.Provider value={themeFor({ NO_COLOR: '1' })}>
        <OrderForm form={form} width={80} />
      </ThemeContext.Provider>,
    );
    return lastFrame() ?? '';
  };

  it('says that typing replaces a selected field, and not once it is being edited', () => {
    const q = run(newOrderForm({ side: 'BUY', symbol: 'NSE:INFY' }), NEXT);
    expect(show(q)).toMatch(/› Quantity\s+1 typing replaces/);
    expect(show(q)).not.toMatch(/Symbol\s+NSE:INFY typing replaces/);
    expect(show(run(q, typed('10')))).toMatch(/› Quantity\s+10\s/);
    expect(show(run(q, typed('10')))).not.toContain('typing replaces');
    expect(show(q)).toContain('Ctrl-U clear');
  });
});

/** The whole app in ink-testing-library, keys written to its stdin as a terminal sends them. */

const KEY = { tab: '\t', shiftTab: '\x1b[Z', enter: '\r', backspace: '\x7f', ctrlU: '\x15' };
const clock = new ManualClock(Date.parse('2026-11-25T10:00:00+05:30'));

function paperOrder(): PaperOrder {
  const at = clock.now();
  return {
    order_id: 'PA1', user_id: 'SB0001', variety: 'regular', exchange: 'NSE', tradingsymbol: 'INFY', instrument_token: 408065, transaction_type: 'BUY',
    order_type: 'LIMIT', product: 'CNC', validity: 'DAY', quantity: 3, price: 170_000, trigger_price: 0, status: 'OPEN', status_message: null,
    filled_quantity: 0, average_price: 0, blocked_margin: 510_000, tag: null, placed_at: at, updated_at: at,
  };
}

function setup(): { port: DashboardPort; effects: Effect[] } {
  const store = new Store<DataState, DataAction>(initialData(), dataReducer);
  const effects: Effect[] = [];
  store.dispatch({ type: 'profile', profile: { profile: 'demo', userId: 'SB0001', userName: 'Asha Rao', mode: 'sandbox' } });
  store.dispatch({ type: 'portfolio', snapshot: { holdings: [], positions: [], orders: [], margins: { available: 10_000_000, used: 0, net: 10_000_000 }, loadedAt: clock.now() } });
  store.dispatch({
    type: 'paper',
    snapshot: { capital: 10_000_000, available: 9_490_000, blocked: 510_000, realised: 0, charges: 0, orders: [paperOrder()], positions: [], holdings: [], trades: [], stats: null, equity: [], version: 1 },
  });
  store.dispatch({ type: 'watchlist', keys: ['NSE:INFY'] });
  store.dispatch({ type: 'loaded' });
  const port: DashboardPort = {
    store,
    profileName: 'demo',
    async run(effect): Promise<UiEvent | null> {
      effects.push(effect);
      return null; // the form stays open, "sending…"
    },
  };
  return { port, effects };
}

function start() {
  const { port, effects } = setup();
  const r = render(<App port={port} clock={clock} theme={themeFor({ NO_COLOR: '1' })} />);
  const lastFrame = (): string => (r.lastFrame() ?? '').replace(/\x1b\[[0-9;]*m/g, '');
  return { ...r, lastFrame, effects };
}

describe('the order form from the keyboard', () => {
  it('quantity prefilled 1, Tab, type 10 gives 10; Backspace edits; Ctrl-U clears; Shift-Tab and Tab select again', async () => {
    const { stdin, lastFrame, effects, unmount } = start();
    await waitForStdin(stdin);
    stdin.write('3'); // the watchlist: a row with a symbol and no quantity
    stdin.write('b');
    await waitForFrame(lastFrame, /› Symbol\s+NSE:INFY typing replaces/);
    stdin.write(KEY.tab);
    await waitForFrame(lastFrame, /› Quantity\s+1 typing replaces/);
    stdin.write('1');
    stdin.write('0');
    await waitForFrame(lastFrame, (f) => /› Quantity\s+10\s/.test(f) && !f.includes('typing replaces'));
    stdin.write(KEY.backspace);
    await waitForFrame(lastFrame, (f) => /› Quantity\s+1\s/.test(f) && !f.includes('typing replaces'));
    stdin.write('5');
    await waitForFrame(lastFrame, /› Quantity\s+15\s/);
    stdin.write(KEY.ctrlU);
    await waitForFrame(lastFrame, /› Quantity\s+│/);
    stdin.write('7');
    await waitForFrame(lastFrame, /› Quantity\s+7\s/);
    stdin.write(KEY.shiftTab);
    await waitForFrame(lastFrame, /› Symbol\s+NSE:INFY typing replaces/);
    stdin.write(KEY.tab);
    await waitForFrame(lastFrame, /› Quantity\s+7 typing replaces/);
    stdin.write('2');
    await waitForFrame(lastFrame, (f) => /› Quantity\s+2\s/.test(f) && !f.includes('typing replaces'));
    stdin.write(KEY.enter);
    await waitForFrame(lastFrame, 'sending…');
    expect(effects).toEqual([
      { type: 'place', request: { exchange: 'NSE', tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 2, order_type: 'MARKET', product: 'CNC', validity: 'DAY' } },
    ]);
    unmount();
  });

  it('modify: Backspace clears the selected quantity; price 1700, Tab Tab, type 1690 gives 1690', async () => {
    const { stdin, lastFrame, effects, unmount } = start();
    await waitForStdin(stdin);
    stdin.write('2');
    stdin.write('l'); // → past the paper holdings to the paper orders
    await waitForFrame(lastFrame, '▸ Paper holdings');
    stdin.write('l');
    await waitForFrame(lastFrame, '▸ Paper orders');
    stdin.write('m');
    await waitForFrame(lastFrame, /Modify paper order PA1[\s\S]*› Quantity\s+3 typing replaces/);
    stdin.write(KEY.backspace);
    await waitForFrame(lastFrame, /› Quantity\s+│/);
    stdin.write('5');
    stdin.write(KEY.tab);
    stdin.write(KEY.tab);
    await waitForFrame(lastFrame, /› Price ₹\s+1700 typing replaces/);
    stdin.write('1690'); // a burst, as a paste arrives
    await waitForFrame(lastFrame, (f) => /› Price ₹\s+1690\s/.test(f) && !f.includes('typing replaces'));
    stdin.write(KEY.enter);
    await waitForFrame(lastFrame, 'sending…');
    expect(effects).toEqual([{ type: 'modify', orderId: 'PA1', changes: { quantity: 5, order_type: 'LIMIT', price: 169_000 } }]);
    unmount();
  });
});

describe('OrderForm footer', () => {
  it('says what Enter does: place a new order, modify an open one', () => {
    const frame = (form: OrderFormState) =>
      render(
        <ThemeContext.Provider value={themeFor({ NO_COLOR: '1' })}>
          <OrderForm form={form} width={80} />
        </ThemeContext.Provider>,
      ).lastFrame() ?? '';
    expect(frame(newOrderForm({ side: 'BUY', symbol: 'NSE:INFY' }))).toContain('Enter place');
    expect(frame(modify())).toContain('Enter modify');
    expect(frame(modify())).not.toContain('Enter place');
  });
});
