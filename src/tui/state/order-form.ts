import { toRupees, type Paise } from '../../core/money.js';
import { OrderInputError, parseChanges, parseOrder, type OrderField } from '../../core/order/index.js';
import { ORDER_TYPES, PRODUCTS, type OrderChanges, type OrderRequest, type OrderType, type Product, type Side } from '../../core/paper/types.js';

/** The paper order form as a pure state machine: keystrokes in, a validated request out. */

export type FormField = 'symbol' | 'quantity' | 'type' | 'product' | 'price' | 'trigger';
export type TextField = 'symbol' | 'quantity' | 'price' | 'trigger';

export interface OrderFormState {
  mode: 'place' | 'modify';
  /** The order being modified. */
  orderId: string | null;
  side: Side;
  symbol: string;
  quantity: string;
  price: string;
  trigger: string;
  orderType: OrderType;
  product: Product;
  focus: FormField;
  /**
   * The focused field's value is selected, as a field is when it gets focus: the first character
   * typed replaces it and Backspace clears it. Typing anything ends the selection.
   */
  selected: boolean;
  error: string | null;
  busy: boolean;
}

export interface FormPrefill {
  side: Side;
  symbol?: string; // "NSE:INFY" or "INFY"
  quantity?: number;
  price?: Paise;
  product?: Product;
}

export function newOrderForm(p: FormPrefill): OrderFormState {
  return {
    mode: 'place',
    orderId: null,
    side: p.side,
    symbol: p.symbol ?? '',
    quantity: p.quantity ? String(Math.abs(p.quantity)) : '1',
    price: p.price ? String(toRupees(p.price)) : '',
    trigger: '',
    orderType: 'MARKET',
    product: p.product ?? 'CNC',
    focus: 'symbol',
    selected: true,
    error: null,
    busy: false,
  };
}

export interface ModifyPrefill {
  orderId: string;
  side: Side;
  symbol: string;
  quantity: number;
  orderType: OrderType;
  product: Product;
  price: Paise;
  trigger: Paise;
}

export function modifyOrderForm(p: ModifyPrefill): OrderFormState {
  return {
    mode: 'modify',
    orderId: p.orderId,
    side: p.side,
    symbol: p.symbol,
    quantity: String(p.quantity),
    price: p.price ? String(toRupees(p.price)) : '',
    trigger: p.trigger ? String(toRupees(p.trigger)) : '',
    orderType: p.orderType,
    product: p.product,
    focus: 'quantity',
    selected: true,
    error: null,
    busy: false,
  };
}

const needsPrice = (t: OrderType): boolean => t === 'LIMIT' || t === 'SL';
const needsTrigger = (t: OrderType): boolean => t === 'SL' || t === 'SL-M';

/** The fields the form shows, in Tab order. */
export function visibleFields(s: OrderFormState): FormField[] {
  const fields: FormField[] = s.mode === 'place' ? ['symbol', 'quantity', 'type', 'product'] : ['quantity', 'type'];
  if (needsPrice(s.orderType)) fields.push('price');
  if (needsTrigger(s.orderType)) fields.push('trigger');
  return fields;
}

export type FormAction =
  | { type: 'type'; text: string }
  | { type: 'backspace' }
  /** Empty the focused field (Ctrl-U). */
  | { type: 'clear' }
  | { type: 'next' }
  | { type: 'prev' }
  /** Focus a field (and select it), e.g. the one a validation error is about. */
  | { type: 'focus'; field: FormField }
  | { type: 'cycle'; delta: 1 | -1 }
  | { type: 'error'; message: string }
  | { type: 'busy'; busy: boolean };

function cycle<T>(items: readonly T[], current: T, delta: number): T {
  const i = items.indexOf(current);
  return items[(i + delta + items.length) % items.length]!;
}

const ALLOWED: Record<TextField, RegExp> = {
  symbol: /^[A-Za-z0-9:&_\- ]$/,
  quantity: /^\d$/,
  price: /^[\d.]$/,
  trigger: /^[\d.]$/,
};

function isText(f: FormField): f is TextField {
  return f === 'symbol' || f === 'quantity' || f === 'price' || f === 'trigger';
}

export function formReducer(s: OrderFormState, a: FormAction): OrderFormState {
  switch (a.type) {
    case 'type': {
      if (s.busy) return s;
      const f = s.focus;
      if (!isText(f)) {
        if (a.text === ' ') return formReducer(s, { type: 'cycle', delta: 1 });
        return s;
      }
      const chars = [...a.text].filter((c) => ALLOWED[f].test(c)).join('');
      if (!chars) return s;
      const base = s.selected ? '' : s[f];
      const value = f === 'symbol' ? (base + chars).toUpperCase() : base + chars;
      return { ...s, [f]: value, selected: false, error: null };
    }
    case 'backspace': {
      const f = s.focus;
      if (!isText(f) || s.busy) return s;
      return { ...s, [f]: s.selected ? '' : s[f].slice(0, -1), selected: false, error: null };
    }
    case 'clear': {
      const f = s.focus;
      if (!isText(f) || s.busy) return s;
      return { ...s, [f]: '', selected: false, error: null };
    }
    case 'next':
    case 'prev': {
      const fields = visibleFields(s);
      const i = Math.max(fields.indexOf(s.focus), 0);
      return { ...s, focus: cycle(fields, fields[i]!, a.type === 'next' ? 1 : -1), selected: true };
    }
    case 'focus':
      return { ...s, focus: a.field, selected: true };
    case 'cycle': {
      if (s.focus === 'type') return { ...s, orderType: cycle(ORDER_TYPES, s.orderType, a.delta), error: null };
      if (s.focus === 'product') return { ...s, product: cycle(PRODUCTS, s.product, a.delta), error: null };
      return s;
    }
    case 'error':
      return { ...s, error: a.message, busy: false };
    case 'busy':
      return { ...s, busy: a.busy, error: a.busy ? null : s.error };
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; field: FormField };

const FORM_FIELD: Partial<Record<OrderField, FormField>> = { quantity: 'quantity', price: 'price', trigger_price: 'trigger', order_type: 'type', product: 'product' };

/** The order language's verdict on the form: an OrderInputError becomes an error on the field it names. */
function parsed<T>(make: () => T): Parsed<T> {
  try {
    return { ok: true, value: make() };
  } catch (e) {
    if (!(e instanceof OrderInputError)) throw e;
    return { ok: false, field: FORM_FIELD[e.field] ?? 'symbol', error: e.message };
  }
}

/** The prices the form's order type takes (the others are ignored, as the form hides them). */
const prices = (s: OrderFormState) => ({ price: needsPrice(s.orderType) ? s.price || '0' : undefined, trigger: needsTrigger(s.orderType) ? s.trigger || '0' : undefined });

/** The order to place, or the first thing wrong with the form (the same rules as the CLI and the API). */
export function formToRequest(s: OrderFormState): Parsed<OrderRequest> {
  return parsed(() => parseOrder({ side: s.side, symbol: s.symbol, quantity: s.quantity, orderType: s.orderType, product: s.product, validity: 'DAY', ...prices(s) }));
}

/** The changes to an open order, or the first thing wrong with the form. */
export function formToChanges(s: OrderFormState): Parsed<OrderChanges> {
  return parsed(() => parseChanges({ quantity: s.quantity, orderType: s.orderType, ...prices(s) }));
}
