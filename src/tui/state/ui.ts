import type { Paise } from '../../core/money.js';
import type { OrderChanges, OrderRequest, OrderType, Product, Side } from '../../core/paper/types.js';
import { loginCommand } from '../../core/auth/hints.js';
import type { ProfileEntry } from '../model.js';
import { formReducer, formToChanges, formToRequest, modifyOrderForm, newOrderForm, type OrderFormState } from './order-form.js';
import type { BacktestRequest } from '../../app/backtest.js';
import { backtestFormReducer, formToBacktest, newBacktestForm, type BacktestFormState } from './backtest-form.js';

/** The dashboard's interface state and the pure function from a keystroke to the next state. */

export type TabId = 'portfolio' | 'paper' | 'watchlist' | 'strategies' | 'help' | 'bots';
export const TABS: readonly { id: TabId; label: string }[] = [
  { id: 'portfolio', label: 'Portfolio' },
  { id: 'paper', label: 'Paper' },
  { id: 'watchlist', label: 'Watchlist' },
  { id: 'strategies', label: 'Strategies' },
  /** Its keys are src/tui/bots/keys.ts. */
  { id: 'bots', label: 'Bots' },
  { id: 'help', label: 'Help' },
];

export type SectionId = 'holdings' | 'positions' | 'orders' | 'paperPositions' | 'paperHoldings' | 'paperOrders' | 'paperTrades' | 'watchlist' | 'strategies' | 'backtestTrades';
export const TAB_SECTIONS: Readonly<Record<TabId, readonly SectionId[]>> = {
  portfolio: ['holdings', 'positions', 'orders'],
  paper: ['paperPositions', 'paperHoldings', 'paperOrders', 'paperTrades'],
  watchlist: ['watchlist'],
  /** The list (with the selected one's parameters), then the last backtest's report (its trades). */
  strategies: ['strategies', 'backtestTrades'],
  help: [],
  bots: [],
};
const ALL_SECTIONS = Object.values(TAB_SECTIONS).flat();

export type Tone = 'info' | 'ok' | 'error';

export type Overlay =
  | { kind: 'none' }
  | { kind: 'help' }
  | { kind: 'form'; form: OrderFormState }
  | { kind: 'backtest-form'; form: BacktestFormState }
  | { kind: 'profiles'; index: number; note: string | null }
  | { kind: 'watch-add'; text: string; error: string | null; busy: boolean };

export interface UiState {
  tab: TabId;
  /** Focused section index per tab. */
  focus: Readonly<Record<TabId, number>>;
  selection: Readonly<Record<SectionId, number>>;
  overlay: Overlay;
  message: { text: string; tone: Tone } | null;
}

export function initialUi(): UiState {
  return {
    tab: 'portfolio',
    focus: { portfolio: 0, paper: 0, watchlist: 0, strategies: 0, help: 0, bots: 0 },
    selection: Object.fromEntries(ALL_SECTIONS.map((s) => [s, 0])) as Record<SectionId, number>,
    overlay: { kind: 'none' },
    message: null,
  };
}

/** What a selected row offers to the keys (prefill, cancel, square off). */
export interface RowRef {
  exchange: string;
  tradingsymbol: string;
  quantity?: number;
  price?: Paise;
  product?: Product;
  /** A paper order, when the row is one. */
  order?: { orderId: string; open: boolean; side: Side; quantity: number; orderType: OrderType; product: Product; price: Paise; trigger: Paise };
  /** A paper position key, when the row is one. */
  positionKey?: string;
  /** A paper holding (a CNC buy from an earlier day): sold, never squared off. */
  holding?: boolean;
  /** A strategy of the Strategies list (its id): no symbol to prefill an order with. */
  strategy?: string;
}

export interface KeyContext {
  rows: Readonly<Record<SectionId, readonly RowRef[]>>;
  profiles: readonly ProfileEntry[];
  currentProfile: string;
  /** Set while the profile is signed out (its session expired or was refused): orders are not taken. */
  signedOut?: boolean;
  /** A sign-in from the dashboard (L) is under way: Esc stops it. */
  signingIn?: boolean;
  /** The symbol a backtest form starts with: the watchlist's selected one (default NSE:INFY). */
  backtestSymbol?: string;
  /** The clock's IST date (YYYY-MM-DD): the form's default range ends before it. */
  today?: string;
}

/** What b, s, m and x (and an order sent meanwhile) get while the profile is signed out. */
export const SIGNED_OUT_KEYS = 'signed out: no paper orders until the profile signs in again; press L to sign in';

/** What x says on a paper holding: square off closes the day's positions; a holding is sold. */
export const holdingNotSquaredOff = (symbol: string): string =>
  `${symbol} is a holding: x squares off positions only; to exit, sell it (s)`;

/** The subset of Ink's Key the dashboard reads. */
export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

export type Effect =
  | { type: 'quit' }
  | { type: 'refresh' }
  | { type: 'place'; request: OrderRequest }
  | { type: 'modify'; orderId: string; changes: OrderChanges }
  | { type: 'cancel'; orderId: string }
  | { type: 'square-off'; positionKey: string }
  | { type: 'switch-profile'; name: string }
  | { type: 'watch-add'; symbol: string }
  | { type: 'watch-remove'; key: string }
  | { type: 'sign-in' }
  | { type: 'cancel-sign-in' }
  /** Run a backtest in the worker; the effect answers once it has started (or was refused). */
  | { type: 'backtest'; request: BacktestRequest };

export interface KeyResult {
  ui: UiState;
  effect?: Effect;
}

/** Results of effects, fed back by the controller. */
export type UiEvent =
  | { type: 'form-error'; message: string }
  | { type: 'form-done'; message: string }
  | { type: 'watch-add-error'; message: string }
  | { type: 'watch-add-done'; message: string }
  | { type: 'message'; text: string; tone: Tone }
  | { type: 'profile-switched'; name: string }
  | { type: 'backtest-error'; message: string; field?: BacktestFormState['focus'] }
  | { type: 'backtest-started'; message: string }
  /** A backtest ended: show its report. */
  | { type: 'backtest-done'; message: string };

export function applyEvent(ui: UiState, e: UiEvent): UiState {
  switch (e.type) {
    case 'form-error':
      return ui.overlay.kind === 'form' ? { ...ui, overlay: { kind: 'form', form: formReducer(ui.overlay.form, { type: 'error', message: e.message }) } } : { ...ui, message: { text: e.message, tone: 'error' } };
    case 'form-done':
      return { ...ui, overlay: { kind: 'none' }, message: { text: e.message, tone: 'ok' } };
    case 'watch-add-error':
      return ui.overlay.kind === 'watch-add' ? { ...ui, overlay: { ...ui.overlay, error: e.message, busy: false } } : { ...ui, message: { text: e.message, tone: 'error' } };
    case 'watch-add-done':
      return { ...ui, overlay: { kind: 'none' }, message: { text: e.message, tone: 'ok' } };
    case 'message':
      return { ...ui, message: { text: e.text, tone: e.tone } };
    case 'backtest-error':
      return ui.overlay.kind === 'backtest-form'
        ? { ...ui, overlay: { kind: 'backtest-form', form: backtestFormReducer(ui.overlay.form, { type: 'error', message: e.message, ...(e.field ? { field: e.field } : {}) }) } }
        : { ...ui, message: { text: e.message, tone: 'error' } };
    case 'backtest-started':
      return { ...ui, overlay: ui.overlay.kind === 'backtest-form' ? { kind: 'none' } : ui.overlay, message: { text: e.message, tone: 'info' } };
    case 'backtest-done':
      return { ...ui, focus: { ...ui.focus, strategies: 1 }, selection: { ...ui.selection, backtestTrades: 0 }, message: { text: e.message, tone: 'ok' } };
    case 'profile-switched': {
      const fresh = initialUi();
      return { ...fresh, tab: ui.tab, message: { text: `switched to profile ${e.name}`, tone: 'ok' } };
    }
  }
}

export function focusedSection(ui: UiState): SectionId | null {
  const sections = TAB_SECTIONS[ui.tab];
  return sections[Math.min(ui.focus[ui.tab], sections.length - 1)] ?? null;
}

export function selectedRow(ui: UiState, ctx: KeyContext): RowRef | null {
  const section = focusedSection(ui);
  if (!section) return null;
  const rows = ctx.rows[section];
  if (rows.length === 0) return null;
  return rows[Math.min(ui.selection[section], rows.length - 1)] ?? null;
}

function move(ui: UiState, ctx: KeyContext, delta: number): UiState {
  const section = focusedSection(ui);
  if (!section) return ui;
  const count = ctx.rows[section].length;
  const next = count === 0 ? 0 : Math.min(Math.max(ui.selection[section] + delta, 0), count - 1);
  return { ...ui, selection: { ...ui.selection, [section]: next } };
}

function switchTab(ui: UiState, tab: TabId): UiState {
  return { ...ui, tab, message: null };
}

function stepTab(ui: UiState, delta: number): UiState {
  const i = TABS.findIndex((t) => t.id === ui.tab);
  return switchTab(ui, TABS[(i + delta + TABS.length) % TABS.length]!.id);
}

function stepSection(ui: UiState, delta: number): UiState {
  const n = TAB_SECTIONS[ui.tab].length;
  if (n < 2) return ui;
  return { ...ui, focus: { ...ui.focus, [ui.tab]: (ui.focus[ui.tab] + delta + n) % n } };
}

const say = (ui: UiState, text: string, tone: Tone = 'info'): KeyResult => ({ ui: { ...ui, message: { text, tone } } });

function openForm(ui: UiState, ctx: KeyContext, side: Side): KeyResult {
  const selected = selectedRow(ui, ctx);
  const row = selected?.strategy ? null : selected;
  const form = newOrderForm({
    side,
    ...(row ? { symbol: `${row.exchange}:${row.tradingsymbol}` } : {}),
    ...(row?.quantity ? { quantity: row.quantity } : {}),
    ...(row?.price ? { price: row.price } : {}),
    ...(row?.product ? { product: row.product } : {}),
  });
  return { ui: { ...ui, overlay: { kind: 'form', form }, message: null } };
}

function selectedPaperOrder(ui: UiState, ctx: KeyContext): RowRef['order'] | null {
  if (focusedSection(ui) !== 'paperOrders') return null;
  const order = selectedRow(ui, ctx)?.order;
  return order?.open ? order : null;
}

function globalKey(ui: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  if (key.tab) return { ui: stepTab(ui, key.shift ? -1 : 1) };
  if (key.upArrow || input === 'k') return { ui: move(ui, ctx, -1) };
  if (key.downArrow || input === 'j') return { ui: move(ui, ctx, 1) };
  if (key.pageUp) return { ui: move(ui, ctx, -10) };
  if (key.pageDown) return { ui: move(ui, ctx, 10) };
  if (key.leftArrow || input === 'h') return { ui: stepSection(ui, -1) };
  if (key.rightArrow || input === 'l') return { ui: stepSection(ui, 1) };
  if (key.escape && ctx.signingIn) return { ui: { ...ui, message: { text: 'stopping the sign-in…', tone: 'info' } }, effect: { type: 'cancel-sign-in' } };
  if (key.escape) return { ui: { ...ui, message: null } };
  if (ctx.signedOut && 'bsmx'.includes(input) && input.length === 1) return say(ui, SIGNED_OUT_KEYS, 'error');
  if (key.return && focusedSection(ui) === 'strategies') return openBacktestForm(ui, ctx);
  const tabIndex = '123456'.indexOf(input);
  if (input.length === 1 && tabIndex >= 0) return { ui: switchTab(ui, TABS[tabIndex]!.id) };
  switch (input) {
    case 'q':
      return { ui, effect: { type: 'quit' } };
    case 'r':
      return { ui: { ...ui, message: { text: 'refreshing…', tone: 'info' } }, effect: { type: 'refresh' } };
    case '?':
      return { ui: { ...ui, overlay: { kind: 'help' } } };
    case 'b':
      return openForm(ui, ctx, 'BUY');
    case 's':
      return openForm(ui, ctx, 'SELL');
    case 'L':
      if (ctx.signingIn) return say(ui, 'a sign-in is under way: finish it in the browser, or press Esc to stop it');
      if (!ctx.signedOut) return say(ui, 'signed in already: L signs in again once the session has expired');
      return { ui: { ...ui, message: { text: `signing ${ctx.currentProfile} in again…`, tone: 'info' } }, effect: { type: 'sign-in' } };
    case 'p': {
      const index = Math.max(ctx.profiles.findIndex((p) => p.name === ctx.currentProfile), 0);
      return { ui: { ...ui, overlay: { kind: 'profiles', index, note: null } } };
    }
    case 'c': {
      const order = selectedPaperOrder(ui, ctx);
      if (!order) return say(ui, 'select an open paper order first (2 Paper, → to Orders)');
      return { ui: { ...ui, message: { text: `cancelling ${order.orderId}…`, tone: 'info' } }, effect: { type: 'cancel', orderId: order.orderId } };
    }
    case 'm': {
      const order = selectedPaperOrder(ui, ctx);
      const row = selectedRow(ui, ctx);
      if (!order || !row) return say(ui, 'select an open paper order first (2 Paper, → to Orders)');
      const form = modifyOrderForm({ ...order, symbol: `${row.exchange}:${row.tradingsymbol}` });
      return { ui: { ...ui, overlay: { kind: 'form', form }, message: null } };
    }
    case 'x': {
      const section = focusedSection(ui);
      const row = section === 'paperPositions' || section === 'paperHoldings' ? selectedRow(ui, ctx) : null;
      if (row?.holding) return say(ui, holdingNotSquaredOff(row.tradingsymbol), 'error');
      if (!row?.positionKey || !row.quantity) return say(ui, 'select an open paper position first (2 Paper)');
      return { ui: { ...ui, message: { text: `squaring off ${row.tradingsymbol}…`, tone: 'info' } }, effect: { type: 'square-off', positionKey: row.positionKey } };
    }
    case 'a':
      if (ui.tab !== 'watchlist') return say(ui, 'the watchlist is on tab 3: press 3, then a');
      return { ui: { ...ui, overlay: { kind: 'watch-add', text: '', error: null, busy: false }, message: null } };
    case 'd': {
      if (ui.tab !== 'watchlist') return say(ui, 'the watchlist is on tab 3: press 3, then d');
      const row = selectedRow(ui, ctx);
      if (!row) return say(ui, 'the watchlist is empty: press a to add a symbol');
      return { ui, effect: { type: 'watch-remove', key: `${row.exchange}:${row.tradingsymbol}` } };
    }
    default:
      return { ui };
  }
}

/** Enter on a strategy: the run form, on the watchlist's selected symbol and the last trading days. */
function openBacktestForm(ui: UiState, ctx: KeyContext): KeyResult {
  const id = selectedRow(ui, ctx)?.strategy;
  if (!id) return say(ui, 'select a strategy first');
  const form = newBacktestForm(id, ctx.backtestSymbol ?? 'NSE:INFY', ctx.today ?? '');
  return { ui: { ...ui, overlay: { kind: 'backtest-form', form }, message: null } };
}

function backtestFormKey(ui: UiState, form: BacktestFormState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  const set = (f: BacktestFormState): KeyResult => ({ ui: { ...ui, overlay: { kind: 'backtest-form', form: f } } });
  if (key.escape) return { ui: { ...ui, overlay: { kind: 'none' }, message: { text: 'backtest form closed', tone: 'info' } } };
  if (form.busy) return { ui };
  if (key.return) {
    const parsed = formToBacktest(form, ctx.today ?? '');
    if (!parsed.ok) return set(backtestFormReducer(form, { type: 'error', message: parsed.error, field: parsed.field }));
    return { ui: set(backtestFormReducer(form, { type: 'busy', busy: true })).ui, effect: { type: 'backtest', request: parsed.value } };
  }
  if (key.tab) return set(backtestFormReducer(form, { type: key.shift ? 'prev' : 'next' }));
  if (key.downArrow) return set(backtestFormReducer(form, { type: 'next' }));
  if (key.upArrow) return set(backtestFormReducer(form, { type: 'prev' }));
  if (key.leftArrow || key.rightArrow) return set(backtestFormReducer(form, { type: 'cycle' }));
  if (key.backspace || key.delete) return set(backtestFormReducer(form, { type: 'backspace' }));
  if (key.ctrl && input === 'u') return set(backtestFormReducer(form, { type: 'clear' }));
  if (key.ctrl || key.meta || !input) return { ui };
  return set(backtestFormReducer(form, { type: 'type', text: input }));
}

function formKey(ui: UiState, form: OrderFormState, input: string, key: KeyInfo): KeyResult {
  const set = (f: OrderFormState): KeyResult => ({ ui: { ...ui, overlay: { kind: 'form', form: f } } });
  if (key.escape) return { ui: { ...ui, overlay: { kind: 'none' }, message: { text: 'order form closed', tone: 'info' } } };
  if (form.busy) return { ui };
  if (key.return) {
    if (form.mode === 'modify') {
      const parsed = formToChanges(form);
      if (!parsed.ok) return set(formReducer(formReducer(form, { type: 'error', message: parsed.error }), { type: 'focus', field: parsed.field }));
      return { ui: set(formReducer(form, { type: 'busy', busy: true })).ui, effect: { type: 'modify', orderId: form.orderId!, changes: parsed.value } };
    }
    const parsed = formToRequest(form);
    if (!parsed.ok) return set(formReducer(formReducer(form, { type: 'error', message: parsed.error }), { type: 'focus', field: parsed.field }));
    return { ui: set(formReducer(form, { type: 'busy', busy: true })).ui, effect: { type: 'place', request: parsed.value } };
  }
  if (key.tab) return set(formReducer(form, { type: key.shift ? 'prev' : 'next' }));
  if (key.downArrow) return set(formReducer(form, { type: 'next' }));
  if (key.upArrow) return set(formReducer(form, { type: 'prev' }));
  if (key.leftArrow) return set(formReducer(form, { type: 'cycle', delta: -1 }));
  if (key.rightArrow) return set(formReducer(form, { type: 'cycle', delta: 1 }));
  if (key.backspace || key.delete) return set(formReducer(form, { type: 'backspace' }));
  if (key.ctrl && input === 'u') return set(formReducer(form, { type: 'clear' }));
  if (key.ctrl || key.meta || !input) return { ui };
  return set(formReducer(form, { type: 'type', text: input }));
}

function profilesKey(ui: UiState, index: number, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  const n = ctx.profiles.length;
  const close = { ...ui, overlay: { kind: 'none' } as Overlay };
  if (key.escape || input === 'p' || input === 'q') return { ui: close };
  if (key.upArrow || input === 'k') return { ui: { ...ui, overlay: { kind: 'profiles', index: Math.max(index - 1, 0), note: null } } };
  if (key.downArrow || input === 'j') return { ui: { ...ui, overlay: { kind: 'profiles', index: Math.min(index + 1, Math.max(n - 1, 0)), note: null } } };
  if (!key.return) return { ui };
  const entry = ctx.profiles[index];
  if (!entry) return { ui: close };
  if (entry.name === ctx.currentProfile) return { ui: close };
  // An expired profile opens too: a sandbox one renews itself, a live one shows its paper account and L signs it in.
  if (entry.session === 'none') {
    const how = loginCommand(entry.name, { sandbox: entry.sandbox === true, userId: entry.userId ?? undefined });
    return { ui: { ...ui, overlay: { kind: 'profiles', index, note: `${entry.name}: it has no session; run \`${how}\` in another terminal, then press Enter again` } } };
  }
  return { ui: { ...close, message: { text: `switching to ${entry.name}…`, tone: 'info' } }, effect: { type: 'switch-profile', name: entry.name } };
}

function watchAddKey(ui: UiState, o: Extract<Overlay, { kind: 'watch-add' }>, input: string, key: KeyInfo): KeyResult {
  if (key.escape) return { ui: { ...ui, overlay: { kind: 'none' } } };
  if (o.busy) return { ui };
  if (key.return) {
    const symbol = o.text.trim();
    if (!symbol) return { ui: { ...ui, overlay: { ...o, error: 'type a symbol such as INFY or NSE:INFY' } } };
    return { ui: { ...ui, overlay: { ...o, busy: true, error: null } }, effect: { type: 'watch-add', symbol } };
  }
  if (key.backspace || key.delete) return { ui: { ...ui, overlay: { ...o, text: o.text.slice(0, -1), error: null } } };
  if (key.ctrl || key.meta || key.tab || !input) return { ui };
  const chars = [...input].filter((c) => /^[A-Za-z0-9:&_\- ]$/.test(c)).join('');
  return { ui: { ...ui, overlay: { ...o, text: (o.text + chars).toUpperCase().slice(0, 40), error: null } } };
}

/** One keystroke: the next interface state and at most one effect for the controller to run. */
export function handleKey(ui: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  const o = ui.overlay;
  switch (o.kind) {
    case 'form':
      return formKey(ui, o.form, input, key);
    case 'backtest-form':
      return backtestFormKey(ui, o.form, input, key, ctx);
    case 'profiles':
      return profilesKey(ui, o.index, input, key, ctx);
    case 'watch-add':
      return watchAddKey(ui, o, input, key);
    case 'help':
      if (input === 'q') return { ui, effect: { type: 'quit' } };
      if (key.escape || input === '?' || key.return) return { ui: { ...ui, overlay: { kind: 'none' } } };
      return { ui };
    case 'none':
      return globalKey(ui, input, key, ctx);
  }
}

/**
 * Ink hands a burst of keys (a paste, or keys typed faster than it reads) to useInput as one
 * string. Split such a string at Tab, Enter, Backspace and Ctrl-U so each is handled as its own key.
 */
export function splitInput(input: string, key: KeyInfo): Array<[string, KeyInfo]> {
  if (input.length < 2 || !/[\t\r\n\x7f\b\x15]/.test(input)) return [[input, key]];
  const out: Array<[string, KeyInfo]> = [];
  let text = '';
  const flush = (): void => {
    if (text) out.push([text, {}]);
    text = '';
  };
  for (const ch of input) {
    if (ch === '\x15') {
      flush();
      out.push(['u', { ctrl: true }]);
      continue;
    }
    const special: KeyInfo | null = ch === '\t' ? { tab: true } : ch === '\r' || ch === '\n' ? { return: true } : ch === '\x7f' || ch === '\b' ? { backspace: true } : null;
    if (!special) {
      text += ch;
      continue;
    }
    flush();
    out.push(['', special]);
  }
  flush();
  return out;
}
