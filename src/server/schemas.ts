import { z } from 'zod';
import { toPaise } from '../core/money.js';
import { ORDER_TYPES, PRODUCTS, SIDES, VALIDITIES } from '../core/paper/types.js';
import { PROFILE_RE } from '../core/paths.js';

/** Request and response schemas: the server validates with them and the OpenAPI document is generated from them. */

const rupees = (what: string) =>
  z
    .number()
    .positive()
    .refine((v) => toPaise(v) !== null, { message: `${what} must be rupees with at most 2 decimals, e.g. 1412.95` });

const quantity = z.number().int().positive().max(10_000_000);

export const PlaceOrderBody = z
  .strictObject({
    tradingsymbol: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9&_.-]{0,39}$/, 'must be a trading symbol such as INFY'),
    exchange: z.enum(['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX']).default('NSE'),
    transaction_type: z.enum(SIDES),
    quantity,
    order_type: z.enum(ORDER_TYPES).optional().describe('default: LIMIT when a price is given, else MARKET'),
    product: z.enum(PRODUCTS).default('CNC'),
    price: rupees('price').optional().describe('rupees'),
    trigger_price: rupees('trigger_price').optional().describe('rupees'),
    validity: z.enum(VALIDITIES).default('DAY'),
    tag: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, 'must be 1-20 letters, digits, _ or -').optional(),
  })
  .meta({ id: 'PlaceOrder' });
export type PlaceOrderBody = z.output<typeof PlaceOrderBody>;

export const ModifyOrderBody = z
  .strictObject({
    quantity: quantity.optional(),
    price: rupees('price').optional().describe('rupees'),
    trigger_price: rupees('trigger_price').optional().describe('rupees'),
    order_type: z.enum(ORDER_TYPES).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one of quantity, price, trigger_price, order_type' })
  .meta({ id: 'ModifyOrder' });
export type ModifyOrderBody = z.output<typeof ModifyOrderBody>;

export const ResetBody = z
  .strictObject({ capital: rupees('capital').optional().describe('rupees; default: the configured capital') })
  .meta({ id: 'Reset' });
export type ResetBody = z.output<typeof ResetBody>;

export const OrderIdParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be an order id'),
});

export const OrdersQuery = z.strictObject({
  open: z.enum(['true', 'false']).optional().describe('only OPEN and TRIGGER PENDING orders'),
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
