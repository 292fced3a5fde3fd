import { botParity, type ParityReport } from '../../app/bot-parity.js';
import { BotDesk } from '../../app/bots.js';
import { checkDate, resolveInstruments } from '../../core/backtest/feed-days.js';
import { fillsOf } from '../../core/bot/spec.js';
import { ExitCode } from '../../core/errors.js';
import { formatIst, istDate } from '../../core/ist.js';
import type { MarketData } from '../../core/market/types.js';
import type { Context } from '../context.js';
import { printJson } from '../output.js';

/**
 * `algo bot parity NAME --date D`: the minutes the bot consumed that day replayed as a backtest,
 * diffed against its fills in the account. Exit 0 when identical, 1 with the differences.
 */
export async function runParity(ctx: Context, name: string, opts: { date?: string }): Promise<void> {
  const date = checkDate('--date', opts.date ?? istDate(ctx.clock.now()));
  const [{ requireSession }, { openStore }] = await Promise.all([import('../../core/auth/require.js'), import('../../core/store/open.js')]);
  const session = await requireSession(ctx);
  const store = await openStore(ctx.settings.store);
  const closers: Array<() => Promise<void>> = [() => store.close()];
  try {
    const bot = await new BotDesk({ bots: store.bots, paper: store, clock: ctx.clock }).show(session.user_id, name);
    const { market, source } = await marketOf(ctx, session.sandbox, closers);
    const instruments = await resolveInstruments(market, bot.config.symbols);
    const report = await botParity(store, session.user_id, bot, date, fillsOf(ctx.settings), { instruments, source });
    if (ctx.json) printJson(parityJson(report), ctx.io.stdout);
    else ctx.io.stdout.write(parityText(report));
    if (report.differences.length > 0) process.exitCode = ExitCode.failure;
  } finally {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  }
}

/** The profile's market and the source name its live minutes are logged under (the backtest feed's names). */
async function marketOf(ctx: Context, sandbox: boolean, closers: Array<() => Promise<void>>): Promise<{ market: MarketData; source: string }> {
  const { sandboxMarket, sandboxOverHttp, paperMarket } = await import('../../app/market.js');
  if (sandbox && !sandboxOverHttp(ctx.settings)) return { market: await sandboxMarket(ctx.settings, ctx.clock), source: 'sandbox' };
  const { openKite } = await import('../../app/kite-env.js');
  const kite = await openKite(ctx);
  closers.push(() => kite.close());
  return { market: await paperMarket(kite, ctx.settings, ctx.clock), source: kite.env.source };
}

const edge = (t: number): string | null => (Number.isFinite(t) ? formatIst(t) : null);

export function parityJson(r: ParityReport) {
  return { ...r, identical: r.differences.length === 0, segments: r.segments.map((s) => ({ from: edge(s.from), to: edge(s.to) })) };
}

export function parityText(r: ParityReport): string {
  const head = `parity ${r.name} on ${r.date}: ${r.minutes} minutes replayed, backtest ${r.backtest_fills} fills, bot ${r.bot_fills} fills`;
  const notes = r.notes.map((n) => `  note: ${n}\n`).join('');
  if (r.differences.length === 0) return `${head}: identical\n${notes}`;
  const n = r.differences.length;
  const rows = r.differences.map((d) => `  ${d.time}  ${d.symbol}  ${d.field}: backtest ${d.backtest ?? '-'}, bot ${d.bot ?? '-'}\n`);
  return `${head}: ${n} difference${n === 1 ? '' : 's'}\n${rows.join('')}${notes}`;
}
