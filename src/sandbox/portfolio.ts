import { formatIst, istMidnight } from '../core/ist.js';
import { toRupees } from '../core/money.js';
import type { Market } from './market.js';
import { OrderBook, type DayOrder, type DayTrade } from './orderbook.js';
import type { DemoUser } from './users.js';

/** The share of an MIS position's value blocked as margin (design.md's paper default). */
const MIS_MARGIN_PCT = 20;

/** A position built from the day's trades, money in paise. */
interface Position {
  order: DayOrder;
  buyQty: number;
  buyValue: number;
  sellQty: number;
  sellValue: number;
}

interface PositionFigures {
  quantity: number;
  last: number;
  close: number;
  average: number;
  pnl: number;
  realised: number;
  unrealised: number;
}

function figures(p: Position, market: Market, now: number): PositionFigures {
  const snap = market.snapshot(p.order.spec.instrument_token, now);
  const quantity = p.buyQty - p.sellQty;
  const buyAvg = p.buyQty ? p.buyValue / p.buyQty : 0;
  const sellAvg = p.sellQty ? p.sellValue / p.sellQty : 0;
  // FACTS.md: value = sell_value - buy_value; pnl = value + quantity × last_price × multiplier (1 for equity).
  const pnl = p.sellValue - p.buyValue + quantity * snap.last_price;
  const average = quantity > 0 ? buyAvg : quantity < 0 ? sellAvg : 0;
  const realised = Math.min(p.buyQty, p.sellQty) * (sellAvg - buyAvg);
  return { quantity, last: snap.last_price, close: snap.close, average, pnl, realised, unrealised: pnl - realised };
}

function positionsOf(trades: DayTrade[]): Position[] {
  const byKey = new Map<string, Position>();
  for (const t of trades) {
    const key = `${t.order.spec.instrument_token}:${t.order.demo.product}`;
    const p = byKey.get(key) ?? { order: t.order, buyQty: 0, buyValue: 0, sellQty: 0, sellValue: 0 };
    if (t.order.demo.transaction_type === 'BUY') {
      p.buyQty += t.quantity;
      p.buyValue += t.quantity * t.price;
    } else {
      p.sellQty += t.quantity;
      p.sellValue += t.quantity * t.price;
    }
    byKey.set(key, p);
  }
  return [...byKey.values()];
}

function kitePosition(p: Position, f: PositionFigures): Record<string, unknown> {
  const { spec, demo } = p.order;
  const buyPrice = p.buyQty ? p.buyValue / p.buyQty / 100 : 0;
  const sellPrice = p.sellQty ? p.sellValue / p.sellQty / 100 : 0;
  return {
    tradingsymbol: spec.tradingsymbol,
    exchange: spec.exchange,
    instrument_token: spec.instrument_token,
    product: demo.product,
    quantity: f.quantity,
    overnight_quantity: 0,
    multiplier: 1,
    average_price: f.average / 100,
    close_price: toRupees(f.close),
    last_price: toRupees(f.last),
    value: toRupees(p.sellValue - p.buyValue),
    pnl: toRupees(f.pnl),
    m2m: toRupees(f.pnl),
    unrealised: f.unrealised / 100,
    realised: f.realised / 100,
    buy_quantity: p.buyQty,
    buy_price: buyPrice,
    buy_value: toRupees(p.buyValue),
    buy_m2m: toRupees(p.buyValue),
    sell_quantity: p.sellQty,
    sell_price: sellPrice,
    sell_value: toRupees(p.sellValue),
    sell_m2m: toRupees(p.sellValue),
    day_buy_quantity: p.buyQty,
    day_buy_price: buyPrice,
    day_buy_value: toRupees(p.buyValue),
    day_sell_quantity: p.sellQty,
    day_sell_price: sellPrice,
    day_sell_value: toRupees(p.sellValue),
  };
}

/**
 * What a demo user holds and owes at an instant: holdings at market prices, the day's positions
 * from the scripted trades, and margins that follow from both.
 */
export class Portfolio {
  constructor(
    private readonly market: Market,
    private readonly book: OrderBook,
  ) {}

  /** `{net, day}`: every sandbox position is opened today, so both lists hold the same positions. */
  positions(user: DemoUser, now: number): { net: unknown[]; day: unknown[] } {
    const list = positionsOf(this.book.tradesAt(user, now)).map((p) => kitePosition(p, figures(p, this.market, now)));
    return { net: list, day: list.map((p) => ({ ...p })) };
  }

  holdings(user: DemoUser, now: number): unknown[] {
    const date = formatIst(istMidnight(now));
    return user.holdings.flatMap((h) => {
      const spec = this.market.bySymbol(h.exchange, h.tradingsymbol);
      if (!spec) return [];
      const snap = this.market.snapshot(spec.instrument_token, now);
      const dayChange = snap.last_price - snap.close;
      return [{
        tradingsymbol: spec.tradingsymbol,
        exchange: spec.exchange,
        instrument_token: spec.instrument_token,
        isin: spec.isin,
        product: 'CNC',
        price: 0,
        quantity: h.quantity,
        used_quantity: 0,
        t1_quantity: 0,
        realised_quantity: h.quantity,
        authorised_quantity: 0,
        authorised_date: date,
        authorisation: {},
        opening_quantity: h.quantity,
        short_quantity: 0,
        collateral_quantity: 0,
        collateral_type: '',
        discrepancy: false,
        average_price: toRupees(h.averagePrice),
        last_price: toRupees(snap.last_price),
        close_price: toRupees(snap.close),
        // FACTS.md: pnl = (last_price - average_price) × quantity; day_change = last_price - close_price.
        pnl: toRupees((snap.last_price - h.averagePrice) * h.quantity),
        day_change: toRupees(dayChange),
        day_change_percentage: snap.close ? (dayChange / snap.close) * 100 : 0,
        mtf: { quantity: 0, used_quantity: 0, average_price: 0, value: 0, initial_margin: 0 },
      }];
    });
  }

  /** Margins by segment; equity reflects the day's delivery buys, MIS exposure and open orders. */
  margins(user: DemoUser, now: number): { equity: Segment; commodity: Segment } {
    const positions = positionsOf(this.book.tradesAt(user, now));
    let delivery = 0;
    let exposure = 0;
    let realised = 0;
    let unrealised = 0;
    let turnover = 0;
    for (const p of positions) {
      turnover += p.buyValue + p.sellValue;
      const f = figures(p, this.market, now);
      if (p.order.demo.product === 'CNC') {
        delivery += p.buyValue;
      } else {
        exposure += (Math.abs(f.quantity) * f.average * MIS_MARGIN_PCT) / 100;
        realised += f.realised;
        unrealised += f.unrealised;
      }
    }
    for (const o of this.book.ordersAt(user, now)) {
      const state = OrderBook.historyAt(o, now).at(-1);
      if (state?.status === 'OPEN' && o.demo.transaction_type === 'BUY') delivery += o.demo.quantity * o.price;
    }
    const debits = Math.round(delivery + exposure);
    return {
      equity: segment(user.cash, { debits, exposure: Math.round(exposure), delivery: Math.round(delivery), turnover, realised, unrealised }),
      commodity: segment(user.commodityCash, { debits: 0, exposure: 0, delivery: 0, turnover: 0, realised: 0, unrealised: 0 }),
    };
  }
}

export type Segment = ReturnType<typeof segment>;

function segment(cash: number, u: { debits: number; exposure: number; delivery: number; turnover: number; realised: number; unrealised: number }) {
  const net = toRupees(cash - u.debits);
  return {
    enabled: true,
    net,
    available: {
      adhoc_margin: 0,
      cash: toRupees(cash),
      opening_balance: toRupees(cash),
      live_balance: net,
      collateral: 0,
      intraday_payin: 0,
    },
    utilised: {
      debits: toRupees(u.debits),
      exposure: toRupees(u.exposure),
      m2m_realised: toRupees(u.realised),
      m2m_unrealised: toRupees(u.unrealised),
      option_premium: 0,
      payout: 0,
      span: 0,
      holding_sales: 0,
      turnover: toRupees(u.turnover),
      liquid_collateral: 0,
      stock_collateral: 0,
      delivery: toRupees(u.delivery),
    },
  };
}
