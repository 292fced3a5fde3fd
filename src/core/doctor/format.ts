import type { CheckStatus, DoctorCheck } from './check.js';

const LABEL = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

/**
 * One line per check: status, name, what was found, and for a problem what to do.
 * `paint` may colour the status word (the CLI passes its styles; plain by default).
 */
export function formatDoctor(checks: readonly DoctorCheck[], paint: (status: CheckStatus, text: string) => string = (_s, t) => t): string {
  const width = Math.max(0, ...checks.map((c) => c.name.length));
  return checks.map((c) => `${paint(c.status, LABEL[c.status])}  ${c.name.padEnd(width)}  ${c.detail}${c.fix ? ` -> ${c.fix}` : ''}\n`).join('');
}
