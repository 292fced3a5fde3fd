import { z } from 'zod';
import { StartBacktestBody } from './schemas.js';

/**
 * /api/bots: the flags of `algo bot create|edit` as JSON. The shapes are checked here; the rules
 * (and their messages, the CLI's own) are the bot desk's (src/app/bot-config.ts).
 */
const textOrNumber = z.union([z.string(), z.number()]);
const fields = StartBacktestBody.omit({ from: true, to: true, risk: true }).extend({
  entry_window: z.string().optional().describe('IST "FROM-UNTIL" for new entries (default 09:20-15:00)'),
  square_off: z.string().optional().describe('MIS only: IST "HH:MM" before 15:20 when the bot exits (default 15:10)'),
  no_entries_after: z.string().optional().describe('IST "HH:MM": no new entries decided at a bar closing at or after it'),
  max_qty: textOrNumber.optional().describe('shares: an entry of more is refused'),
  max_exposure: textOrNumber.optional().describe("rupees: an entry that takes the bot's open value above this is refused"),
  max_loss_day: textOrNumber.optional().describe('rupees ("2000", 2000), or "2000:halt": once the day\'s loss reaches it, no new entries for the day (halt: exit everything too, no more entries)'),
  cooldown: textOrNumber.optional().describe('strategy bars after an exit before a new entry on that symbol'),
  max_orders_day: textOrNumber.optional().describe('the most orders a day, 1 to 10,000'),
  max_orders_second: textOrNumber.optional().describe("orders a second: the bot's orders are paced to it (they wait, never refused); at least 1"),
  stale_after: textOrNumber.optional().describe('seconds, 1 to 3600: no entries on a minute bar that reached the bot later than this after its close (default 120)'),
});

export const CreateBotBody = fields.extend({ name: z.string().describe('1 to 40 letters, digits, - or _ (unique for the user)') }).meta({ id: 'CreateBot' });
export type CreateBotBody = z.output<typeof CreateBotBody>;

export const EditBotBody = fields
  .extend({ name: z.string().optional().describe('a new name') })
  .describe('only the fields to change; "off" for sl, target, trail, no_entries_after, max_qty, max_exposure, max_loss_day or cooldown removes it; the bot must be stopped')
  .meta({ id: 'EditBot' });
export type EditBotBody = z.output<typeof EditBotBody>;

export const BotIdParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be a bot id or name (1 to 40 letters, digits, - or _)'),
});

const count = (what: string) => z.string().regex(/^\d{1,16}$/, `must be a whole number (${what})`).transform(Number);

export const BotEventsQuery = z.strictObject({
  after: count('the seq of an event, e.g. after=12').optional().describe('only events after this seq'),
  limit: count('1 to 1000, e.g. limit=50').optional().describe('at most this many events, 1 to 1000'),
});

export const BotTradesQuery = z.strictObject({
  date: z.string().max(40).optional().describe('only fills on this IST day, YYYY-MM-DD'),
});
