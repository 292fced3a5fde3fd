import { botJson, eventJson } from '../../app/bot-json.js';
import type { BotDesk, BotInput } from '../../app/bots.js';
import { isBotId } from '../../core/bot/store.js';
import type { BotRecord } from '../../core/bot/types.js';
import { UsageError } from '../../core/errors.js';
import { formatIst } from '../../core/ist.js';
import { tradeToKite } from '../../core/paper/shapes.js';
import { ApiError } from '../api-error.js';
import { BotEventsQuery, BotIdParams, BotTradesQuery, CreateBotBody, EditBotBody } from '../bot-schemas.js';
import { KiteShaped } from '../schemas.js';
import { userRoute, type RouteSpec } from '../route-spec.js';
import { inputOfBody, text } from './backtests.js';

/**
 * A user's bots (issue 14): only through the bot desk (src/app/bots.ts), so the checks, the
 * refusals and the JSON documents are those of `algo bot ... --json`. Another user's bot is 404.
 */

/** A body as the flags of algo bot create|edit: the backtest's fields, then the bot's own. */
export function botInputOfBody(b: EditBotBody): BotInput & { name?: string } {
  const { from: _from, to: _to, risk: _risk, ...input } = inputOfBody(b);
  const o: BotInput & { name?: string } = input;
  const put = (k: 'entryWindow' | 'squareOff' | 'noEntriesAfter' | 'maxQty' | 'maxExposure' | 'maxLossDay' | 'cooldown' | 'maxOrdersDay' | 'maxOrdersSecond' | 'staleAfter' | 'name', v: string | undefined) => {
    if (v !== undefined) o[k] = v;
  };
  put('entryWindow', b.entry_window);
  put('squareOff', b.square_off);
  put('noEntriesAfter', b.no_entries_after);
  put('maxQty', text(b.max_qty));
  put('maxExposure', text(b.max_exposure));
  put('maxLossDay', text(b.max_loss_day));
  put('cooldown', text(b.cooldown));
  put('maxOrdersDay', text(b.max_orders_day));
  put('maxOrdersSecond', text(b.max_orders_second));
  put('staleAfter', text(b.stale_after));
  put('name', b.name);
  return o;
}

/** The desk's "no bot named ..." (its only refusal here) as 404, with the API's hint. */
async function found<T>(lookup: () => Promise<T>): Promise<T> {
  try {
    return await lookup();
  } catch (err) {
    if (err instanceof UsageError) throw new ApiError(404, 'GeneralException', `${err.message}; GET /api/bots lists your bots`);
    throw err;
  }
}

/** The user's bot by id or name; 404 for an unknown one or another user's. */
const mine = (desk: BotDesk, userId: string, nameOrId: string): Promise<BotRecord> => found(() => desk.show(userId, nameOrId));

/** The bot's id for its log: the user's bot, or a removed one of theirs by its id (its events stay). */
async function logId(desk: BotDesk, userId: string, nameOrId: string): Promise<string> {
  if (!isBotId(nameOrId)) return (await mine(desk, userId, nameOrId)).id;
  await found(() => desk.logs(userId, nameOrId, { limit: 1 }));
  return nameOrId;
}

const BotData = KiteShaped('the bot, as algo bot show NAME --json');
const NOT_FOUND = { 404: "no such bot for this user (an unknown id or name, or another user's bot)" };

const ACTIONS = {
  start: 'desired running; entries allowed again after a flatten or the kill switch',
  stop: 'desired stopped',
  pause: 'no new decisions, positions kept; a stopped bot answers 400',
  resume: 'a paused bot runs again; a bot that is not paused answers 400',
  flatten: "exit the bot's positions and block its entries (start allows them again)",
} as const;

const actionRoutes: RouteSpec[] = (Object.keys(ACTIONS) as Array<keyof typeof ACTIONS>).map((action) =>
  userRoute({
    method: 'POST',
    url: `/api/bots/:id/${action}`,
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} a bot: ${ACTIONS[action]}; the bot after it, as algo bot ${action} NAME --json (asking for the state it is in changes nothing)`,
    tag: 'bots',
    limit: 'write',
    params: BotIdParams,
    data: BotData,
    failures: { 400: 'not possible in its state (one line saying why and what to do)', ...NOT_FOUND },
    handler: async (ctx, s) => {
      const bot = await mine(ctx.deps.bots, s.user_id, ctx.params.id);
      const after = action === 'flatten' ? await ctx.deps.bots.flatten(s.user_id, bot.id) : await ctx.deps.bots.act(s.user_id, bot.id, action);
      return botJson(after);
    },
  }),
);

export const botRoutes: RouteSpec[] = [
  userRoute({
    method: 'GET',
    url: '/api/bots',
    summary: "The user's bots, as algo bot list --json",
    tag: 'bots',
    limit: 'read',
    data: KiteShaped('{ bots: [...] }'),
    handler: async (ctx, s) => ({ bots: (await ctx.deps.bots.list(s.user_id)).map(botJson) }),
  }),
  userRoute({
    method: 'POST',
    url: '/api/bots',
    summary:
      "Create a bot, stopped (the flags of algo bot create as JSON): 201 with the bot as algo bot show --json; bad input answers 400 naming data.field with the CLI's message; over a per-user limit (bots per user, symbols per bot) 409",
    tag: 'bots',
    limit: 'write',
    success: { status: 201, description: 'created, stopped: start it with POST /api/bots/{id}/start' },
    body: CreateBotBody,
    data: BotData,
    failures: { 400: 'invalid input (InputException, data.field)', 409: 'over a per-user limit' },
    handler: async (ctx, s) => {
      const made = await ctx.deps.bots.create(s.user_id, { ...botInputOfBody(ctx.body), name: ctx.body.name });
      void ctx.reply.code(201);
      return botJson(made);
    },
  }),
  userRoute({
    method: 'POST',
    url: '/api/bots/kill',
    summary: "The kill switch: every bot of the user flattened and stopped, entries blocked; { bots: [...] } as algo bot kill --json",
    tag: 'bots',
    limit: 'write',
    data: KiteShaped('{ bots: [...] }'),
    handler: async (ctx, s) => ({ bots: (await ctx.deps.bots.kill(s.user_id)).map(botJson) }),
  }),
  userRoute({
    method: 'GET',
    url: '/api/bots/:id',
    summary: 'One bot by id or name (any case), with the runner holding it (or null), as algo bot show NAME --json',
    tag: 'bots',
    limit: 'read',
    params: BotIdParams,
    data: BotData,
    failures: NOT_FOUND,
    handler: async (ctx, s) => {
      const bot = await mine(ctx.deps.bots, s.user_id, ctx.params.id);
      const runner = await ctx.deps.bots.runner(s.user_id, bot);
      return { ...botJson(bot), runner: runner && { holder: runner.holder, lease_until: formatIst(runner.expires_at) } };
    },
  }),
  userRoute({
    method: 'PATCH',
    url: '/api/bots/:id',
    summary: 'Edit a stopped bot (the flags of algo bot edit as JSON): a new config version; the bot as algo bot edit --json',
    tag: 'bots',
    limit: 'write',
    params: BotIdParams,
    body: EditBotBody,
    data: BotData,
    failures: { 400: 'invalid input (data.field), nothing to change, or the bot is not stopped', 409: 'over a per-user limit', ...NOT_FOUND },
    handler: async (ctx, s) => {
      const bot = await mine(ctx.deps.bots, s.user_id, ctx.params.id);
      return botJson(await ctx.deps.bots.edit(s.user_id, bot.id, botInputOfBody(ctx.body)));
    },
  }),
  userRoute({
    method: 'DELETE',
    url: '/api/bots/:id',
    summary: 'Remove a stopped bot (its events stay, readable by its id); the removed bot as algo bot rm --json',
    tag: 'bots',
    limit: 'write',
    params: BotIdParams,
    data: BotData,
    failures: { 400: 'the bot is not stopped', ...NOT_FOUND },
    handler: async (ctx, s) => {
      const bot = await mine(ctx.deps.bots, s.user_id, ctx.params.id);
      return botJson(await ctx.deps.bots.remove(s.user_id, bot.id));
    },
  }),
  ...actionRoutes,
  userRoute({
    method: 'GET',
    url: '/api/bots/:id/events',
    summary: "The bot's events, oldest first (a removed bot's by its id); { events: [...] } as algo bot logs NAME --json",
    tag: 'bots',
    limit: 'read',
    params: BotIdParams,
    query: BotEventsQuery,
    data: KiteShaped('{ events: [...] }'),
    failures: { 400: 'a bad after or limit', ...NOT_FOUND },
    handler: async (ctx, s) => {
      const id = await logId(ctx.deps.bots, s.user_id, ctx.params.id);
      const q = { ...(ctx.query.after !== undefined ? { after: ctx.query.after } : {}), ...(ctx.query.limit !== undefined ? { limit: ctx.query.limit } : {}) };
      return { events: (await ctx.deps.bots.logs(s.user_id, id, q)).map(eventJson) };
    },
  }),
  userRoute({
    method: 'GET',
    url: '/api/bots/:id/trades',
    summary: "The fills of the bot's orders in the user's paper account (Kite shape); { bot_id, name, trades } as algo bot trades NAME --json",
    tag: 'bots',
    limit: 'read',
    params: BotIdParams,
    query: BotTradesQuery,
    data: KiteShaped('{ bot_id, name, trades: [...] }'),
    failures: { 400: 'a bad date', ...NOT_FOUND },
    handler: async (ctx, s) => {
      const bot = await mine(ctx.deps.bots, s.user_id, ctx.params.id);
      const trades = await ctx.deps.bots.trades(s.user_id, bot.id, ctx.query.date !== undefined ? { date: ctx.query.date } : {});
      return { bot_id: bot.id, name: bot.name, trades: trades.map(tradeToKite) };
    },
  }),
];
