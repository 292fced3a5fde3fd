import { formatIst } from '../ist.js';
import { toRupees, type Paise } from '../money.js';
import { equityOf } from './equity.js';
import type { PaperStats } from './stats.js';
import type { Charges, PaperMeta, PaperOrder, PaperPosition, PaperTrade } from './types.js';

/** Rupees with up to 4 decimals (an average price need not be whole paise). */
const avgRupees = (paise: number): number => Math.round(paise * 100) / 10_000;
const priceOf = (value: Paise, qty: number): number => (qty ? avgRupees(value / qty) : 0);

/**
 * A paper order in Kite's order shape (rupees, IST timestamps): average_price is the weighted
 * average of its trades (up to 4 decimals), pending_quantity what is still open, and a cancelled
 * order keeps its filled_quantity (cancelled_quantity the rest). filled_value stays internal.
 */
export function orderToKite(o: PaperOrder) {
  const done = o.status === 'COMPLETE';
  const ended = o.status === 'CANCELLED' || o.status === 'REJECTED';
  return {
    placed_by: o.user_id,
    order_id: o.order_id,
    exchange_order_id: done || o.status === 'OPEN' || o.status === 'TRIGGER PENDING' ? o.order_id : null, // an AMO not yet sent has none
    parent_order_id: null,
    status: o.status,
    status_message: o.status_message,
    status_message_raw: o.status_message,
    order_timestamp: formatIst(o.placed_at),
    exchange_update_timestamp: formatIst(o.updated_at),
    exchange_timestamp: o.status === 'REJECTED' || o.status === 'AMO REQ RECEIVED' ? null : formatIst(done ? o.updated_at : o.placed_at),
    variety: o.variety ?? 'regular',
    modified: o.updated_at !== o.placed_at && !done && !ended,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    instrument_token: o.instrument_token,
    order_type: o.order_type,
    transaction_type: o.transaction_type,
    validity: o.validity,
    product: o.product,
    quantity: o.quantity,
    disclosed_quantity: 0,
    price: toRupees(o.price),
    trigger_price: toRupees(o.trigger_price),
    average_price: o.filled_value !== undefined ? priceOf(o.filled_value, o.filled_quantity) : toRupees(o.average_price),
    filled_quantity: o.filled_quantity,
    pending_quantity: done || ended ? 0 : o.quantity - o.filled_quantity,
    cancelled_quantity: o.status === 'CANCELLED' ? o.quantity - o.filled_quantity : 0,
    market_protection: 0,
    meta: {},
    tag: o.tag,
    guid: o.order_id,
  };
}

export function chargesToKite(c: Charges) {
  return {
    brokerage: toRupees(c.brokerage),
    transaction_tax: toRupees(c.stt),
    transaction_tax_type: 'stt',
    exchange_turnover_charge: toRupees(c.exchange),
    sebi_turnover_charge: toRupees(c.sebi),
    stamp_duty: toRupees(c.stamp),
    gst: { igst: toRupees(c.gst), cgst: 0, sgst: 0, total: toRupees(c.gst) },
    dp_charge: toRupees(c.dp ?? 0),
    auto_square_off_charge: toRupees(c.square_off ?? 0),
    total: toRupees(c.total),
  };
}

/** A fill in Kite's trade shape, with the charges breakdown and the P&L it realised. */
export function tradeToKite(t: PaperTrade) {
  return {
    trade_id: t.trade_id,
    order_id: t.order_id,
    exchange: t.exchange,
    tradingsymbol: t.tradingsymbol,
    instrument_token: t.instrument_token,
    product: t.product,
    average_price: toRupees(t.price),
    quantity: t.quantity,
    exchange_order_id: t.order_id,
    transaction_type: t.transaction_type,
    fill_timestamp: formatIst(t.filled_at),
    order_timestamp: formatIst(t.filled_at).slice(11),
    exchange_timestamp: formatIst(t.filled_at),
    realised_pnl: toRupees(t.realised_pnl),
    net_pnl: toRupees(t.realised_pnl - t.charges.total),
    charges: chargesToKite(t.charges),
  };
}

/**
 * A position in the shape of Kite's net positions: value = sell_value - buy_value and
 * pnl = value + quantity x last_price (= realised + unrealised). Without a price, last_price is
 * the average and unrealised is 0.
 */
export function positionToKite(p: PaperPosition, lastPrice: Paise | null) {
  const ltp = lastPrice ?? (p.quantity ? p.cost / p.quantity : 0);
  const unrealised = p.quantity * ltp - p.cost;
  const value = p.sell_value - p.buy_value;
  return {
    tradingsymbol: p.tradingsymbol,
    exchange: p.exchange,
    instrument_token: p.instrument_token,
    product: p.product,
    quantity: p.quantity,
    overnight_quantity: 0,
    multiplier: 1,
    average_price: priceOf(p.cost, p.quantity),
    close_price: 0,
    last_price: toRupees(ltp),
    value: toRupees(value),
    pnl: toRupees(p.realised_pnl + unrealised),
    m2m: toRupees(p.realised_pnl + unrealised),
    unrealised: toRupees(unrealised),
    realised: toRupees(p.realised_pnl),
    buy_quantity: p.buy_quantity,
    buy_price: priceOf(p.buy_value, p.buy_quantity),
    buy_value: toRupees(p.buy_value),
    buy_m2m: toRupees(p.buy_value),
    sell_quantity: p.sell_quantity,
    sell_price: priceOf(p.sell_value, p.sell_quantity),
    sell_value: toRupees(p.sell_value),
    sell_m2m: toRupees(p.sell_value),
    day_buy_quantity: p.buy_quantity,
    day_buy_price: priceOf(p.buy_value, p.buy_quantity),
    day_buy_value: toRupees(p.buy_value),
    day_sell_quantity: p.sell_quantity,
    day_sell_price: priceOf(p.sell_value, p.sell_quantity),
    day_sell_value: toRupees(p.sell_value),
  };
}

/** A holding in Kite's shape: pnl = (last_price - average_price) x quantity; day_change = last - close. */
export function holdingToKite(p: PaperPosition, lastPrice: Paise | null, closePrice: Paise | null) {
  const avg = p.quantity ? p.cost / p.quantity : 0;
  const ltp = lastPrice ?? avg;
  const close = closePrice ?? 0;
  return {
    tradingsymbol: p.tradingsymbol,
    exchange: p.exchange,
    instrument_token: p.instrument_token,
    isin: '',
    product: p.product,
    price: 0,
    quantity: p.quantity,
    used_quantity: 0,
    t1_quantity: 0,
    realised_quantity: p.quantity,
    authorised_quantity: 0,
    opening_quantity: p.quantity,
    short_quantity: 0,
    collateral_quantity: 0,
    collateral_type: '',
    discrepancy: false,
    average_price: avgRupees(avg),
    last_price: toRupees(ltp),
    close_price: toRupees(close),
    pnl: toRupees(p.quantity * ltp - p.cost),
    day_change: close ? toRupees(ltp - close) : 0,
    day_change_percentage: close ? ((ltp - close) / close) * 100 : 0,
  };
}

/** The account's money in rupees: capital, free cash, blocked margin, P&L, charges and equity. */
export function fundsToJson(meta: PaperMeta, unrealised: Paise) {
  return {
    capital: toRupees(meta.capital),
    available: toRupees(meta.available),
    blocked: toRupees(meta.blocked),
    /** BTST credit (T1 shares sold today): not in `available` before the next trading day. */
    unsettled: toRupees(meta.unsettled ?? 0),
    realised_pnl: toRupees(meta.realised_pnl),
    unrealised_pnl: toRupees(unrealised),
    charges: toRupees(meta.charges),
    equity: toRupees(equityOf(meta, unrealised)),
  };
}

/** Statistics in rupees (percentages as numbers, the curve as IST timestamps). */
export function statsToJson(s: PaperStats) {
  const r = (p: Paise | null) => (p === null ? null : toRupees(p));
  return {
    trades: s.trades,
    wins: s.wins,
    losses: s.losses,
    win_rate: Math.round(s.win_rate * 100) / 100,
    average_win: r(s.average_win),
    average_loss: r(s.average_loss),
    expectancy: r(s.expectancy),
    profit_factor: s.profit_factor === null ? null : Math.round(s.profit_factor * 100) / 100,
    best_trade: r(s.best_trade),
    worst_trade: r(s.worst_trade),
    max_drawdown: r(s.max_drawdown),
    max_drawdown_pct: Math.round(s.max_drawdown_pct * 100) / 100,
    total_charges: r(s.total_charges),
    dp_charges: r(s.dp_charges),
    auto_square_off_charges: r(s.square_off_charges),
    realised_pnl: r(s.realised_pnl),
    unrealised_pnl: r(s.unrealised_pnl),
    net_pnl: r(s.net_pnl),
    return_pct: Math.round(s.return_pct * 100) / 100,
    capital: r(s.capital),
    equity: r(s.equity),
    equity_curve: s.equity_curve.map((p) => ({ time: formatIst(p.t), equity: toRupees(p.equity) })),
  };
}

/** Kite's positions answer: `net` and `day` (a paper position opens and closes within the day, so both hold the same list). */
export function positionsToKite(list: ReadonlyArray<PaperPosition & { last_price: Paise | null }>) {
  const net = list.map((p) => positionToKite(p, p.last_price));
  return { net, day: net };
}

/** Funds, positions, holdings and open orders at once (CLI --json and the API give this same document). */
export function portfolioToKite(p: {
  funds: { meta: PaperMeta; unrealised: Paise };
  positions: ReadonlyArray<PaperPosition & { last_price: Paise | null }>;
  holdings: ReadonlyArray<PaperPosition & { last_price: Paise | null; close_price: Paise | null }>;
  orders: readonly PaperOrder[];
}) {
  return {
    funds: fundsToJson(p.funds.meta, p.funds.unrealised),
    positions: positionsToKite(p.positions),
    holdings: p.holdings.map((h) => holdingToKite(h, h.last_price, h.close_price)),
    open_orders: p.orders.map(orderToKite),
  };
}
