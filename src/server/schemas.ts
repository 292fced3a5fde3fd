import { z } from 'zod';
import { EXCHANGES, ORDER_LIMITS } from '../core/order/index.js';
import { ORDER_TYPES, PRODUCTS, SIDES, VALIDITIES } from '../core/paper/types.js';
import { PROFILE_RE } from '../core/paths.js';

/** Request and response schemas: the server validates with them and the OpenAPI document is generated from them. */

/**
 * The bodies' shapes (types, enums, unknown fields) for fastify and the OpenAPI document. The
 * order rules themselves (limits, ticks, the symbol, the tag) are the order language's
 * (src/core/order), applied after this, so every face says the same thing about the same input.
 */
// The document states the rules (integer, ranges, the tag's pattern); the order language enforces them.
const rupees = z.number().meta({ exclusiveMinimum: 0, multipleOf: 0.01 }).describe('rupees, at most 2 decimals');
const quantity = z.number().meta({ type: 'integer', minimum: 1, maximum: ORDER_LIMITS.maxQuantity }).describe(`a whole number of shares, 1 to ${ORDER_LIMITS.maxQuantity}`);

export const PlaceOrderBody = z
  .strictObject({
    tradingsymbol: z.string().describe('a trading symbol such as INFY (or NSE:INFY)'),
    exchange: z.enum(EXCHANGES).default('NSE'),
    transaction_type: z.enum(SIDES),
    quantity,
    order_type: z.enum(ORDER_TYPES).optional().describe('default: SL with a price and a trigger, SL-M with a trigger, LIMIT with a price, else MARKET'),
    product: z.enum(PRODUCTS).default('CNC'),
    price: rupees.optional(),
    trigger_price: rupees.optional(),
    validity: z.enum(VALIDITIES).default('DAY'),
    tag: z.string().meta({ pattern: ORDER_LIMITS.tag.source }).describe(ORDER_LIMITS.tagRule).optional(),
  })
  .meta({ id: 'PlaceOrder' });
export type PlaceOrderBody = z.output<typeof PlaceOrderBody>;

export const ModifyOrderBody = z
  .strictObject({
    quantity: quantity.optional(),
    price: rupees.optional(),
    trigger_price: rupees.optional(),
    order_type: z.enum(ORDER_TYPES).optional(),
  })
  .meta({ id: 'ModifyOrder' });
export type ModifyOrderBody = z.output<typeof ModifyOrderBody>;

export const ResetBody = z
  .strictObject({ capital: rupees.optional().describe('rupees, up to ₹100 crore; default: the configured capital') })
  .meta({ id: 'Reset' });
export type ResetBody = z.output<typeof ResetBody>;

export const SquareOffBody = z
  .strictObject({
    tradingsymbol: z.string().optional().describe('the position to exit, e.g. INFY or NSE:INFY'),
    all: z.boolean().optional().describe('exit every open position'),
  })
  .meta({ id: 'SquareOff' });
export type SquareOffBody = z.output<typeof SquareOffBody>;

export const OrderIdParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be an order id'),
});

export const OrdersQuery = z.strictObject({
  open: z.enum(['true', 'false']).optional().describe('only open orders: OPEN, TRIGGER PENDING and AMO REQ RECEIVED'),
});

export const ContractNoteQuery = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD, like 2026-11-20').optional().describe("the IST day (default: today's)"),
});

export const LoginQuery = z.strictObject({
  profile: z.string().regex(PROFILE_RE, 'must be a profile name').optional().describe('default: the server profile'),
});

/** Kite adds action, type, status and the decoded redirect_params; only these two matter. */
export const CallbackQuery = z.looseObject({
  request_token: z.string().min(1).max(200),
  state: z.string().min(1).max(200),
});

export const ErrorEnvelope = z
  .object({
    status: z.literal('error'),
    error_type: z.string(),
    message: z.string(),
    data: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'Error' });

export const OrderIdData = z.object({ order_id: z.string(), status: z.string().optional() }).meta({ id: 'OrderId' });

/** What `data` holds for routes whose shape is Kite's own (see Kite Connect's documentation). */
export const KiteShaped = (description: string) => z.unknown().describe(description);

export const successEnvelope = (data: z.ZodType) => z.object({ status: z.literal('success'), data });

/**
 * POST /api/backtests: the flags of `algo backtest run` as JSON. The shapes are checked here; the
 * rules (and their messages, the CLI's own) are the shared backtest input (src/app/backtest-request.ts).
 */
const textOrNumber = z.union([z.string(), z.number()]);
export const StartBacktestBody = z
  .strictObject({
    strategy: z.string().optional().describe('a built-in strategy id (GET /api/strategies); or give rules'),
    rules: z.string().optional().describe("a rule file's JSON text (algo strategy validate FILE); instead of strategy"),
    symbols: z.array(z.string()).optional().describe('1 to 50 symbols, e.g. ["INFY", "BSE:TCS"]'),
    from: z.string().optional().describe('first IST date, YYYY-MM-DD'),
    to: z.string().optional().describe('last IST date, YYYY-MM-DD (inclusive; default from)'),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional().describe("the strategy's parameters by name (GET /api/strategies/{id} lists them)"),
    qty: textOrNumber.optional().describe('shares per entry, 1 to 1,00,000 (default 1)'),
    capital: textOrNumber.optional().describe('rupees per entry instead of qty (quantity = capital / entry price)'),
    product: z.string().optional().describe('MIS (default, squared off at 15:20) or CNC'),
    sl: textOrNumber.optional().describe('stop-loss: a percentage, "1%" or 1'),
    target: textOrNumber.optional().describe('target: a percentage, "2%" or 2'),
    trail: textOrNumber.optional().describe('trailing stop: a percentage, "0.5%" or 0.5'),
    risk: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('risk controls: squareOff and noEntriesAfter ("HH:MM" IST), maxQuantity, maxExposure (paise), maxLossDay { amount (paise), action "block" | "halt" }, cooldownBars, maxOrdersDay, staleAfterMs'),
  })
  .meta({ id: 'StartBacktest' });
export type StartBacktestBody = z.output<typeof StartBacktestBody>;

export const RunIdParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a run id'),
});

export const StrategyIdParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a strategy id'),
});

export const RunIdData = z.object({ run_id: z.string(), status: z.literal('running') }).meta({ id: 'RunId' });
