import type { Command } from 'commander';
import type { Context } from './context.js';
import type { KiteQuote } from '../core/kite/types.js';

/** `algo quote SYMBOL... [--depth]`: current quotes through Kite (or the sandbox). */

export function registerQuote(program: Command): void {
  program
    .command('quote')
    .description('current quotes: LTP, change, OHLC, volume (--depth adds the 5-level book)')
    .argument('<symbols...>', 'instruments such as INFY or NSE:INFY (NSE when no exchange is given)')
    .option('--depth', 'show the best five bids and offers')
    .addHelpText('after', '\nExamples:\n  $ algo quote INFY\n  $ algo quote NSE:INFY BSE:TCS --depth\n  $ algo quote RELIANCE --json\n')
    .action(async (symbols: string[], flags: { depth?: boolean }, cmd: Command) => {
      const { contextOf } = await import('./context.js');
      await runQuote(contextOf(cmd), symbols, flags);
    });
}

/** "infy" -> "NSE:INFY"; anything that cannot be an instrument is a usage error. */
export async function instrumentKeys(symbols: readonly string[]): Promise<string[]> {
  const [{ parseInstrument }, { UsageError }] = await Promise.all([import('../core/order/index.js'), import('../core/errors.js')]);
  return symbols.map((s) => {
    const sym = parseInstrument(s);
    if (!sym) throw new UsageError(`"${s}" is not an instrument`, 'write it as SYMBOL or EXCHANGE:SYMBOL, e.g. INFY or NSE:INFY');
    return `${sym.exchange}:${sym.tradingsymbol}`;
  });
}

export async function runQuote(ctx: Context, symbols: readonly string[], flags: { depth?: boolean }): Promise<void> {
  const keys = await instrumentKeys(symbols);
  const [{ openKite }, out, money, { formatIst }, { UsageError }] = await Promise.all([
    import('../app/kite-env.js'),
    import('./output.js'),
    import('../core/money.js'),
    import('../core/ist.js'),
    import('../core/errors.js'),
  ]);
  const kite = await openKite(ctx);
  let quotes: Record<string, KiteQuote>;
  try {
    quotes = await kite.client.quote(keys);
  } finally {
    await kite.close();
  }
  const missing = keys.filter((k) => !quotes[k]);
  if (ctx.json) {
    const shaped = Object.fromEntries(
      Object.entries(quotes).map(([k, q]) => [k, { ...q, timestamp: q.timestamp === null ? null : formatIst(q.timestamp), last_trade_time: q.last_trade_time === null ? null : formatIst(q.last_trade_time) }]),
    );
    out.printJson(shaped, ctx.io.stdout);
  } else {
    const st = out.styles(out.colorEnabled(ctx.io.stdout, ctx.io.env));
    const price = (r: number): string => money.formatPrice(Math.round(r * 100));
    const rows = keys.filter((k) => quotes[k]).map((k) => [k, quotes[k]!] as const);
    const change = (q: KiteQuote): number => (q.ohlc.close ? q.last_price - q.ohlc.close : 0);
    const changePct = (q: KiteQuote): string => (q.ohlc.close ? `${change(q) >= 0 ? '+' : ''}${((change(q) / q.ohlc.close) * 100).toFixed(2)}%` : '');
    let text = rows.length
      ? out.renderTable(
          rows,
          [
            { header: 'INSTRUMENT', value: ([k]) => k },
            { header: 'LTP', value: ([, q]) => price(q.last_price), align: 'right' },
            { header: 'CHANGE', value: ([, q]) => out.bySign(change(q), `${money.formatINR(Math.round(change(q) * 100), { symbol: false, sign: true })} ${changePct(q)}`, st), align: 'right' },
            { header: 'OPEN', value: ([, q]) => price(q.ohlc.open), align: 'right' },
            { header: 'HIGH', value: ([, q]) => price(q.ohlc.high), align: 'right' },
            { header: 'LOW', value: ([, q]) => price(q.ohlc.low), align: 'right' },
            { header: 'PREV CLOSE', value: ([, q]) => price(q.ohlc.close), align: 'right' },
            { header: 'VOLUME', value: ([, q]) => out.formatCount(q.volume), align: 'right' },
          ],
          st,
        )
      : '';
    if (flags.depth) {
      for (const [k, q] of rows) {
        const levels = Array.from({ length: Math.max(q.depth?.buy.length ?? 0, q.depth?.sell.length ?? 0) }, (_, i) => i);
        text += `\n${st.bold(k)} depth\n`;
        text += out.renderTable(
          levels,
          [
            { header: 'BID QTY', value: (i) => (q.depth.buy[i] ? out.formatCount(q.depth.buy[i]!.quantity) : ''), align: 'right' },
            { header: 'ORDERS', value: (i) => (q.depth.buy[i] ? String(q.depth.buy[i]!.orders) : ''), align: 'right' },
            { header: 'BID', value: (i) => (q.depth.buy[i] ? st.green(price(q.depth.buy[i]!.price)) : ''), align: 'right' },
            { header: 'ASK', value: (i) => (q.depth.sell[i] ? st.red(price(q.depth.sell[i]!.price)) : ''), align: 'right' },
            { header: 'ORDERS', value: (i) => (q.depth.sell[i] ? String(q.depth.sell[i]!.orders) : ''), align: 'right' },
            { header: 'ASK QTY', value: (i) => (q.depth.sell[i] ? out.formatCount(q.depth.sell[i]!.quantity) : ''), align: 'right' },
          ],
          st,
        );
      }
    }
    ctx.io.stdout.write(text);
  }
  if (missing.length) {
    throw new UsageError(`no quote for ${missing.join(', ')}: unknown instrument`, 'check the symbol and exchange, e.g. NSE:INFY');
  }
}
