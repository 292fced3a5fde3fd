import { allowed, type ParamSpec } from '../../core/strategy/params.js';
import { defaultsOf } from '../../core/strategy/params.js';
import { timeframeOf, type Strategy } from '../../core/strategy/types.js';
import { renderTable, type Styles } from '../output.js';

/** A strategy as JSON (list, show, validate): one shape with the API's /api/strategies. */
export { strategyJson } from '../../app/backtest-json.js';

export function listText(all: readonly Strategy[], st: Styles): string {
  return renderTable(
    all,
    [
      { header: 'ID', value: (s) => s.id },
      { header: 'TITLE', value: (s) => s.title },
      { header: 'TIMEFRAME', value: (s) => timeframeOf(s, defaultsOf(s.params)) },
      { header: 'WARM-UP', value: (s) => `${s.warmup(defaultsOf(s.params))} bars`, align: 'right' },
    ],
    st,
  );
}

export function showText(s: Strategy, st: Styles): string {
  const d = defaultsOf(s.params);
  const head = [`${s.id} v${s.version}: ${s.title}`, s.description, `timeframe ${timeframeOf(s, d)}, warm-up ${s.warmup(d)} bars (with the defaults)`, ''];
  const rows = Object.entries(s.params);
  if (!rows.length) return `${head.join('\n')}no parameters\n`;
  return `${head.join('\n')}${renderTable(
    rows,
    [
      { header: 'PARAMETER', value: ([n]) => n },
      { header: 'DEFAULT', value: ([, p]) => String(p.default), align: 'right' },
      { header: 'ALLOWED', value: ([, p]) => allowed(p) },
      { header: 'DESCRIPTION', value: ([, p]) => p.description },
    ],
    st,
  )}parameters are given as --param NAME=VALUE\n`;
}

export function validText(file: string, s: Strategy): string {
  return `${file}: valid: ${s.id} v${s.version} (${s.title}), ${timeframeOf(s, {})} bars, warm-up ${s.warmup({})} bars\n`;
}
