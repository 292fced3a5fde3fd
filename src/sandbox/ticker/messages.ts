import * as v from 'valibot';
import { TICKER_MODES, type TickerMode } from './encode.js';

/** What a client can ask of the ticker (Kite's text messages). */
export type TickerCommand =
  | { a: 'subscribe'; tokens: number[] }
  | { a: 'unsubscribe'; tokens: number[] }
  | { a: 'mode'; mode: TickerMode; tokens: number[] };

const tokenList = v.array(v.unknown());

// valibot (not zod): the sandbox starts inside the dashboard and every --sandbox command.
const messageSchema = v.variant('a', [
  v.object({ a: v.literal('subscribe'), v: tokenList }),
  v.object({ a: v.literal('unsubscribe'), v: tokenList }),
  v.object({ a: v.literal('mode'), v: v.tuple([v.picklist(TICKER_MODES as [TickerMode, ...TickerMode[]]), tokenList]) }),
]);

const USAGE =
  'send {"a":"subscribe","v":[tokens]}, {"a":"unsubscribe","v":[tokens]} or {"a":"mode","v":["ltp"|"quote"|"full",[tokens]]}';

/** Instrument tokens are unsigned 32-bit integers; anything else in the list is ignored, as Kite does. */
function tokensOf(values: unknown[]): number[] {
  return values.filter((v): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff);
}

/** A client text message to a command, or one line saying what was wrong with it. */
export function parseCommand(text: string): TickerCommand | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: `message is not JSON; ${USAGE}` };
  }
  const parsed = v.safeParse(messageSchema, json);
  if (!parsed.success) return { error: `unknown message; ${USAGE}` };
  const m = parsed.output;
  if (m.a === 'mode') return { a: 'mode', mode: m.v[0], tokens: tokensOf(m.v[1]) };
  return { a: m.a, tokens: tokensOf(m.v) };
}
