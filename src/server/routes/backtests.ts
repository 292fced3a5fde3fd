import { strategyJson, runJson, summaryJson } from '../../app/backtest-json.js';
import type { BacktestJob } from '../../app/backtest-jobs.js';
import { requestOf, type BacktestInput } from '../../app/backtest-request.js';
import { BUILTINS, builtinById } from '../../core/strategy/builtins/index.js';
import { formatIst } from '../../core/ist.js';
import { ApiError, notFound } from '../api-error.js';
import { KiteShaped, RunIdData, RunIdParams, StartBacktestBody, StrategyIdParams } from '../schemas.js';
import { userRoute, type RouteSpec } from '../route-spec.js';

/**
 * Strategies and backtests (issue 13): the same strategies, inputs, runs and JSON documents as
 * `algo strategy` and `algo backtest` (src/app/backtest-*.ts), scoped to the session's user.
 */

/** A number given as the flags' text. */
export const text = (v: string | number | undefined): string | undefined => (v === undefined ? undefined : String(v));
const percent = (v: string | number | undefined): string | undefined => (typeof v === 'number' ? `${v}%` : v);

/** A body as the CLI's flags: the same rule and the same message for the same input. */
export function inputOfBody(b: StartBacktestBody): BacktestInput {
  const o: BacktestInput = {};
  if (b.strategy !== undefined) o.strategy = b.strategy;
  if (b.rules !== undefined) o.rules = { text: b.rules, name: 'rules' };
  if (b.symbols !== undefined) o.symbols = b.symbols;
  if (b.from !== undefined) o.from = b.from;
  if (b.to !== undefined) o.to = b.to;
  // As the flags' text ("fast=5" and {"fast": 5} are one input, refused with one message).
  if (b.params !== undefined) o.params = Object.fromEntries(Object.entries(b.params).map(([k, v]) => [k, String(v)]));
  const put = (k: 'qty' | 'capital' | 'product' | 'sl' | 'target' | 'trail', v: string | undefined) => {
    if (v !== undefined) o[k] = v;
  };
  put('qty', text(b.qty));
  put('capital', text(b.capital));
  put('product', b.product);
  put('sl', percent(b.sl));
  put('target', percent(b.target));
  put('trail', percent(b.trail));
  if (b.risk !== undefined) o.risk = b.risk;
  return o;
}

function jobJson(j: BacktestJob) {
  const p = j.progress;
  return {
    run_id: j.run_id,
    status: j.status,
    strategy: j.strategy,
    symbols: j.symbols,
    from: j.from,
    to: j.to,
    ran_at: formatIst(j.ran_at),
    progress: p ? { done: p.done, total: p.total, percent: p.total > 0 ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 100, at: formatIst(p.at) } : null,
    ...(j.error ? { error: { error_type: j.error.usage ? 'InputException' : 'GeneralException', message: j.error.hint ? `${j.error.message}; ${j.error.hint}` : j.error.message } } : {}),
  };
}

export const backtestRoutes: RouteSpec[] = [
  userRoute({
    method: 'GET',
    url: '/api/strategies',
    summary: 'The built-in strategies: id, version, title, description, timeframe, warm-up and parameters (defaults, ranges, descriptions)',
    tag: 'strategies',
    limit: 'read',
    data: KiteShaped('{ strategies: [...] }, as algo strategy list --json'),
    handler: async () => ({ strategies: BUILTINS.map(strategyJson) }),
  }),
  userRoute({
    method: 'GET',
    url: '/api/strategies/:id',
    summary: 'One built-in strategy, as algo strategy show ID --json; 404 for an unknown id',
    tag: 'strategies',
    limit: 'read',
    params: StrategyIdParams,
    data: KiteShaped('the strategy'),
    failures: { 404: 'no such strategy' },
    handler: async (ctx) => {
      const s = builtinById(ctx.params.id);
      if (!s) throw new ApiError(404, 'GeneralException', `unknown strategy "${ctx.params.id}"; known: ${BUILTINS.map((b) => b.id).join(', ')}`);
      return strategyJson(s);
    },
  }),
  userRoute({
    method: 'POST',
    url: '/api/backtests',
    summary:
      "Start a backtest (the flags of algo backtest run as JSON): 202 with its run id, run in the background and stored when it ends; bad input answers 400 naming data.field with the CLI's message; a second while one runs for the user answers 409",
    tag: 'backtests',
    limit: 'write',
    success: { status: 202, description: 'started: poll GET /api/backtests/{run_id}' },
    body: StartBacktestBody,
    data: RunIdData,
    failures: { 400: 'invalid input (InputException, data.field)', 409: 'a backtest is already running for this user' },
    handler: async (ctx, s) => {
      const req = requestOf(inputOfBody(ctx.body));
      const { run_id } = await ctx.deps.backtests.start(s.user_id, req);
      void ctx.reply.code(202);
      return { run_id, status: 'running' };
    },
  }),
  userRoute({
    method: 'GET',
    url: '/api/backtests',
    summary: "The user's backtests, newest first: stored runs (status done) as algo backtest list --json, and runs still running or failed here",
    tag: 'backtests',
    limit: 'read',
    data: KiteShaped('{ runs: [...] }'),
    handler: async (ctx, s) => {
      const jobs = ctx.deps.backtests.jobs(s.user_id).map((j) => ({ at: j.ran_at, row: jobJson(j) as Record<string, unknown> }));
      const stored = (await ctx.deps.backtests.store.listRuns(s.user_id)).map((r) => ({ at: r.ran_at, row: { status: 'done', ...summaryJson(r) } as Record<string, unknown> }));
      return { runs: [...jobs, ...stored].sort((a, b) => b.at - a.at).map((x) => x.row) };
    },
  }),
  userRoute({
    method: 'GET',
    url: '/api/backtests/:id',
    summary: "One of the user's backtests: when done, the whole result as algo backtest show RUN --json (with status done); while running, its status and progress; failed, its error; 404 for an unknown id or another user's run",
    tag: 'backtests',
    limit: 'read',
    params: RunIdParams,
    data: KiteShaped('the run'),
    failures: { 404: 'no such backtest run for this user' },
    handler: async (ctx, s) => {
      const job = ctx.deps.backtests.job(s.user_id, ctx.params.id);
      if (job) return jobJson(job);
      const r = await ctx.deps.backtests.store.getRun(s.user_id, ctx.params.id);
      if (!r) throw notFound(`backtest run ${ctx.params.id}`);
      return { status: 'done', ...runJson(r) };
    },
  }),
];
