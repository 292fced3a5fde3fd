/** The one order language of every face: limits, parsing, and the error for input that can never be an order. */
export { EXCHANGES, ORDER_LIMITS, type Exchange } from './limits.js';
export { OrderInputError, type OrderField } from './input-error.js';
export { parseCapital, parseChanges, parseInstrument, parseOrder, parseQuantity, parseRupees, parseSymbol, parseTag, type ChangesInput, type OrderInput } from './parse.js';
