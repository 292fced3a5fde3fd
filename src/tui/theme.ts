/**
 * Every colour the dashboard uses, by meaning. Components ask for `theme.profit`, never for "green".
 * With NO_COLOR set (any value, https://no-color.org) every colour is undefined; bold and inverse
 * still mark what matters, so LIVE vs SANDBOX stays unmistakable without colour.
 */
export interface Theme {
  readonly color: boolean;
  readonly profit: string | undefined;
  readonly loss: string | undefined;
  readonly muted: string | undefined;
  readonly accent: string | undefined;
  readonly warning: string | undefined;
  readonly danger: string | undefined;
  readonly ok: string | undefined;
  /** Background of the LIVE badge (real money). */
  readonly live: string | undefined;
  /** Background of the SANDBOX badge. */
  readonly sandbox: string | undefined;
  readonly selection: string | undefined;
  readonly border: string | undefined;
}

const COLOURS: Omit<Theme, 'color'> = {
  profit: 'green',
  loss: 'red',
  muted: 'gray',
  accent: 'cyan',
  warning: 'yellow',
  danger: 'red',
  ok: 'green',
  live: 'red',
  sandbox: 'blue',
  selection: 'blue',
  border: 'gray',
};

const NONE: Omit<Theme, 'color'> = Object.fromEntries(Object.keys(COLOURS).map((k) => [k, undefined])) as unknown as Omit<Theme, 'color'>;

export function noColorRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

export function themeFor(env: NodeJS.ProcessEnv = process.env): Theme {
  return noColorRequested(env) ? { color: false, ...NONE } : { color: true, ...COLOURS };
}

/** The colour of a signed amount: profit, loss, or none for zero. */
export function signColor(theme: Theme, value: number): string | undefined {
  if (value > 0) return theme.profit;
  if (value < 0) return theme.loss;
  return undefined;
}
