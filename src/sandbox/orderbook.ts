import { formatIst, istMidnight } from '../core/ist.js';
import { toRupees } from '../core/money.js';
import type { InstrumentSpec } from './instruments.js';
import type { Market } from './market.js';
import { hash } from './random.js';
import type { DemoOrder, DemoUser } from './users.js';

/** One state of an order's life, as Kite's order history lists them. */
interface OrderState {
  status: string;
  at: number;
  /** Whether the exchange has the order (it then has an exchange order id and timestamps). */
  atExchange: boolean;
  filled: number;
  /** Paise. */
  average: number;
  message: string | null;
}

/** A demo user's order on one trading day, with every state it goes through. */
export interface DayOrder {
  spec: InstrumentSpec;
  demo: DemoOrder;
  userId: string;
  orderId: string;
  exchangeOrderId: string;
  tradeId: string;
  placedAt: number;
  /** Limit price in paise (0 for MARKET). */
  price: number;
  states: OrderState[];
}

export interface DayTrade {
  order: DayOrder;
  at: number;
  /** Paise. */
  price: number;
  quantity: number;
}

function timeOn(date: number, hhmmss: string): number {
  const [h, m, s] = hhmmss.split(':').map(Number) as [number, number, number];
  return date + ((h * 60 + m) * 60 + s) * 1000;
}

function floorTick(p: number, tick: number): number {
  return Math.floor(p / tick) * tick;
}

function ceilTick(p: number, tick: number): number {
  return Math.ceil(p / tick) * tick;
}

function rupeeText(paise: number): string {
  return (paise / 100).toFixed(2);
}

/**
 * The demo users' scripted days: the same orders at the same IST times on every trading day, filled at
 * the market's price of that moment. An order exists once its time has come; states appear as they happen.
 */
export class OrderBook {
  constructor(private readonly market: Market) {}

  /** Today's orders placed by `now` (none before the session opens or on a day without one). */
  ordersAt(user: DemoUser, now: number): DayOrder[] {
    const session = this.market.calendar.latestAt(now);
    if (session.date !== istMidnight(now)) return [];
    const userNo = Number(user.user_id.slice(2));
    const ymd = formatIst(session.date).slice(2, 10).replace(/-/g, '');
    const out: DayOrder[] = [];
    user.orders.forEach((demo, i) => {
      const placedAt = timeOn(session.date, demo.time);
      const spec = this.market.bySymbol(demo.exchange, demo.tradingsymbol);
      if (placedAt > now || placedAt < session.start || !spec) return;
      const seq = i + 1;
      out.push(this.build(user, demo, spec, placedAt, {
        orderId: `${ymd}${String(userNo).padStart(4, '0')}${String(seq).padStart(5, '0')}`,
        exchangeOrderId: `13${ymd}${String(userNo).padStart(4, '0')}${String(seq).padStart(4, '0')}`,
        tradeId: String(10_000_000 + userNo * 1_000_000 + (session.index % 1000) * 1000 + seq),
      }));
    });
    return out;
  }

  private build(
    user: DemoUser,
    demo: DemoOrder,
    spec: InstrumentSpec,
    placedAt: number,
    ids: { orderId: string; exchangeOrderId: string; tradeId: string },
  ): DayOrder {
    const tick = this.market.tickAt(spec.instrument_token, placedAt);
    const ref = this.market.snapshot(spec.instrument_token, placedAt).last_price;
    const buy = demo.transaction_type === 'BUY';
    let price = demo.order_type === 'LIMIT' ? ref : 0;
    if (demo.limitOffsetPct) {
      const offset = (ref * demo.limitOffsetPct) / 100;
      price = buy ? floorTick(ref - offset, tick) : ceilTick(ref + offset, tick);
    }
    const received = (status: string, atExchange = false): OrderState => ({ status, at: placedAt, atExchange, filled: 0, average: 0, message: null });
    const states: OrderState[] = [received('PUT ORDER REQ RECEIVED'), received('VALIDATION PENDING')];
    if (demo.outcome === 'REJECTED') {
      const required = demo.quantity * ref;
      const message = `Insufficient funds. Required margin is ${rupeeText(required)} but available margin is ${rupeeText(user.cash)}. Check the orderbook for open orders.`;
      states.push({ ...received('REJECTED'), message });
    } else {
      states.push(received('OPEN PENDING'), received('OPEN', true));
      if (demo.outcome === 'COMPLETE') {
        const at = placedAt + 1000;
        const fill = demo.order_type === 'LIMIT' ? price : this.market.snapshot(spec.instrument_token, at).last_price;
        states.push({ status: 'COMPLETE', at, atExchange: true, filled: demo.quantity, average: fill, message: null });
      } else if (demo.outcome === 'CANCELLED' && demo.cancelAt) {
        const at = timeOn(istMidnight(placedAt), demo.cancelAt);
        states.push({ ...received('CANCEL PENDING', true), at }, { ...received('CANCELLED', true), at });
      }
    }
    return { spec, demo, userId: user.user_id, placedAt, price, states, ...ids };
  }

  /** The order's states that have happened by `now`. */
  static historyAt(order: DayOrder, now: number): OrderState[] {
    return order.states.filter((s) => s.at <= now);
  }

  tradesAt(user: DemoUser, now: number): DayTrade[] {
    const trades: DayTrade[] = [];
    for (const order of this.ordersAt(user, now)) {
      const done = OrderBook.historyAt(order, now).find((s) => s.status === 'COMPLETE');
      if (done) trades.push({ order, at: done.at, price: done.average, quantity: done.filled });
    }
    return trades;
  }
}

/** Kite's order shape (orders.json / order_info.json) for one state of an order. */
export function kiteOrder(order: DayOrder, state: OrderState): Record<string, unknown> {
  const { demo, spec } = order;
  const final = state.status === 'COMPLETE' || state.status === 'REJECTED';
  const unfilled = demo.quantity - state.filled;
  return {
    placed_by: order.userId,
    order_id: order.orderId,
    exchange_order_id: state.atExchange ? order.exchangeOrderId : null,
    parent_order_id: null,
    status: state.status,
    status_message: state.message,
    status_message_raw: state.message ? `RMS:Margin Exceeds for entity account-${order.userId}` : null,
    order_timestamp: formatIst(order.placedAt),
    exchange_update_timestamp: state.atExchange ? formatIst(state.at) : null,
    exchange_timestamp: state.atExchange ? formatIst(order.placedAt) : null,
    variety: 'regular',
    modified: false,
    exchange: spec.exchange,
    tradingsymbol: spec.tradingsymbol,
    instrument_token: spec.instrument_token,
    order_type: demo.order_type,
    transaction_type: demo.transaction_type,
    validity: 'DAY',
    product: demo.product,
    quantity: demo.quantity,
    disclosed_quantity: 0,
    price: toRupees(order.price),
    trigger_price: 0,
    average_price: toRupees(state.average),
    filled_quantity: state.filled,
    // As on Kite, a cancelled order keeps its unfilled quantity as pending and reports it cancelled too.
    pending_quantity: final ? 0 : unfilled,
    cancelled_quantity: state.status === 'CANCELLED' ? unfilled : 0,
    market_protection: 0,
    meta: {},
    tag: demo.tag ?? null,
    ...(demo.tag ? { tags: [demo.tag] } : {}),
    guid: `${order.userId}X${hash(Number(order.orderId.slice(0, 6)), Number(order.orderId.slice(6)), 0x6d1d).toString(16)}`,
  };
}

/** Kite's trade shape (trades.json). */
export function kiteTrade(trade: DayTrade): Record<string, unknown> {
  const { order } = trade;
  return {
    trade_id: order.tradeId,
    order_id: order.orderId,
    exchange: order.spec.exchange,
    tradingsymbol: order.spec.tradingsymbol,
    instrument_token: order.spec.instrument_token,
    product: order.demo.product,
    average_price: toRupees(trade.price),
    quantity: trade.quantity,
    exchange_order_id: order.exchangeOrderId,
    transaction_type: order.demo.transaction_type,
    fill_timestamp: formatIst(trade.at),
    order_timestamp: formatIst(trade.at).slice(11),
    exchange_timestamp: formatIst(trade.at),
  };
}
