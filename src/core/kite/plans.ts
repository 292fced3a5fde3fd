/**
 * Kite Connect's app plans (what the sandbox imitates, and what `sandboxPlan` names). `connect` (the paid plan) has
 * everything; `no-historical` is an app without the historical-data add-on; `personal` (the free
 * plan) has orders and the portfolio but no market data at all: no quotes, no ticker, no candles.
 */
export const SANDBOX_PLANS = ['connect', 'no-historical', 'personal'] as const;
export type SandboxPlan = (typeof SANDBOX_PLANS)[number];

/** What a route may need beyond a session. */
export type Permission = 'market' | 'historical';

/** Kite's message for a call the app's plan does not include (403 PermissionException). */
export const PERMISSION_MESSAGE = 'Insufficient permission for that call.';

export function isSandboxPlan(value: unknown): value is SandboxPlan {
  return typeof value === 'string' && (SANDBOX_PLANS as readonly string[]).includes(value);
}

/** Whether an app on `plan` may make calls that need `permission`. */
export function planAllows(plan: SandboxPlan, permission: Permission): boolean {
  if (plan === 'connect') return true;
  if (plan === 'no-historical') return permission !== 'historical';
  return false;
}

/** One line for `algo sandbox`: what the plan leaves out. */
export function describePlan(plan: SandboxPlan): string {
  switch (plan) {
    case 'connect':
      return 'connect (quotes, ticker and historical data)';
    case 'no-historical':
      return 'no-historical (quotes and ticker; historical candles answer PermissionException)';
    case 'personal':
      return 'personal (orders and portfolio only; quotes, ticker and historical answer PermissionException)';
  }
}
