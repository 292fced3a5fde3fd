import type { BacktestProgress, BacktestResult } from '../../core/backtest/types.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { formatIst, istDate } from '../../core/ist.js';
import type { Context } from '../context.js';
import { colorEnabled, printJson, styles } from '../output.js';
import { paramsFrom, requestOf, strategyRefOf, symbolsOf, type RunOptions } from './args.js';
import * as views from './views.js';

export type BacktestCommand = 'run' | 'list' | 'show' | 'trades' | 'compare' | 'check';

/** `algo backtest check` takes run's strategy, symbol, range and parameter flags. */
export type CheckOptions = Pick<RunOptions, 'strategy' | 'rules' | 'symbol' | 'from' | 'to' | 'param'>;

export async function runBacktestCommand(ctx: Context, name: BacktestCommand, args: string[], opts: RunOptions): Promise<void> {
  switch (name) {
    case 'run':
      return run(ctx, opts);
    case 'check':
      return check(ctx, args[0]!, opts);
    default:
      return read(ctx, name, args);
  }
}

/** A progress bar on stderr while it runs, when stderr is a terminal (and not with --json's quiet stdout: stderr only). */
function progressBar(ctx: Context): ((p: BacktestProgress) => void) | undefined {
  const err = ctx.io.stderr;
  if (!err.isTTY) return undefined;
  let shown = -1;
  return (p) => {
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
    const pctNow = Math.floor(frac * 100);
    if (pctNow === shown) return;
    shown = pctNow;
    const width = Math.max(10, Math.min(40, (err.columns ?? 80) - 40));
    const filled = Math.round(frac * width);
    err.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pctNow).padStart(3)}%  ${formatIst(p.at).slice(0, 16)}`);
    if (frac >= 1) err.write('\n');
  };
}

async function run(ctx: Context, opts: RunOptions): Promise<void> {
  const req = requestOf(opts, istDate(ctx.clock.now()));
  const { runProfileBacktest } = await import('../../app/backtest.js');
  const onProgress = progressBar(ctx);
  const result = await runProfileBacktest(ctx, req, onProgress ? { onProgress } : {});
  print(ctx, result);
}

function print(ctx: Context, r: BacktestResult): void {
  if (ctx.json) return printJson(views.runJson(r), ctx.io.stdout);
  const st = styles(colorEnabled(ctx.io.stdout, ctx.io.env));
  ctx.io.stdout.write(views.reportText(r, st, ctx.io.stdout.columns ?? 80));
}

async function read(ctx: Context, name: 'list' | 'show' | 'trades' | 'compare', args: string[]): Promise<void> {
  const { openProfileBacktests } = await import('../../app/backtest.js');
  const { checkRunId } = await import('../../core/backtest/store.js');
  const ids = args.map((a) => checkRunId(a));
  const b = await openProfileBacktests(ctx);
  try {
    const st = styles(colorEnabled(ctx.io.stdout, ctx.io.env));
    if (name === 'list') {
      const runs = await b.store.listRuns(b.userId);
      if (ctx.json) printJson({ runs: runs.map(views.summaryJson) }, ctx.io.stdout);
      else ctx.io.stdout.write(views.listText(runs, st));
      return;
    }
    const runs = await Promise.all(
      ids.map(async (id) => {
        const r = await b.store.getRun(b.userId, id);
        if (!r) throw new UsageError(`backtest run ${id} not found for ${b.userId}`, 'algo backtest list shows your runs');
        return r;
      }),
    );
    if (name === 'show') return print(ctx, runs[0]!);
    if (name === 'trades') {
      if (ctx.json) printJson({ run_id: runs[0]!.run_id, trades: runs[0]!.trades }, ctx.io.stdout);
      else ctx.io.stdout.write(views.tradesText(runs[0]!.trades, st));
      return;
    }
    const [x, y] = runs as [BacktestResult, BacktestResult];
    if (ctx.json) printJson({ identical: x.hash === y.hash, runs: [views.runJson(x), views.runJson(y)].map(({ orders: _o, trades: _t, equity: _e, ...rest }) => rest) }, ctx.io.stdout);
    else ctx.io.stdout.write(views.compareText(x, y, st));
  } finally {
    await b.close();
  }
}

async function check(ctx: Context, kind: string, opts: CheckOptions): Promise<void> {
  if (kind !== 'lookahead' && kind !== 'warmup') throw new UsageError(`unknown check "${kind}"`, 'use algo backtest check lookahead or algo backtest check warmup');
  const ref = strategyRefOf(opts);
  const params = paramsFrom(ref, opts.param);
  const [{ strategyOf, paramsOf }, c, { sandboxMarket }, { checkRange }] = await Promise.all([
    import('../../core/backtest/run.js'),
    import('./check.js'),
    import('../../app/market.js'),
    import('../../core/backtest/feed-days.js'),
  ]);
  const strategy = strategyOf(ref);
  const resolved = paramsOf(strategy, params);
  const [symbol] = symbolsOf(opts.symbol ?? [c.DEFAULT_CHECK_SYMBOL]);
  if (opts.symbol && opts.symbol.length > 1) throw new UsageError('a check takes one --symbol');
  const to = opts.to ?? c.DEFAULT_CHECK_TO;
  const from = opts.from ?? c.fromFor(to, c.sessionsNeeded(kind, strategy, resolved));
  checkRange(from, to);
  const market = await sandboxMarket(ctx.settings, ctx.clock);
  const minutes = await c.sandboxMinutes(market, symbol!, from, to);
  const r = c.runCheck(kind, () => strategy, resolved, minutes);
  const where = `${symbol} ${from} to ${to} (sandbox bars)`;
  if (ctx.json) printJson({ check: kind, strategy: strategy.id, symbol, from, to, ok: r.ok, compared: r.compared, problems: r.problems }, ctx.io.stdout);
  else (r.ok ? ctx.io.stdout : ctx.io.stderr).write(r.ok ? c.verdictText(kind, strategy.id, r, where) : `algo: ${c.verdictText(kind, strategy.id, r, where)}`);
  if (!r.ok) process.exitCode = ExitCode.failure;
}
