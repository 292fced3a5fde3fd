import { inputError } from '../errors.js';
import type { AuthedContext, Route } from '../router.js';
import type { DemoUser } from '../users.js';

/** Kite's profile (profile.json) for a demo user. */
export function kiteProfile(user: DemoUser) {
  return {
    user_id: user.user_id,
    user_type: 'individual',
    email: user.email,
    user_name: user.user_name,
    user_shortname: user.user_shortname,
    broker: 'ZERODHA',
    exchanges: ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX', 'MF'],
    products: ['CNC', 'NRML', 'MIS', 'BO', 'CO'],
    order_types: ['MARKET', 'LIMIT', 'SL', 'SL-M'],
    avatar_url: null as string | null,
    meta: { demat_consent: 'physical' },
  };
}

const margins = (ctx: AuthedContext) => ctx.deps.portfolio.margins(ctx.user, ctx.deps.clock.now());

export const userRoutes: Route[] = [
  { method: 'GET', path: '/user/profile', auth: true, handle: (ctx) => kiteProfile(ctx.user) },
  { method: 'GET', path: '/user/margins', auth: true, handle: margins },
  {
    method: 'GET',
    path: '/user/margins/:segment',
    auth: true,
    handle: (ctx) => {
      const segment = ctx.params.segment;
      if (segment !== 'equity' && segment !== 'commodity') throw inputError('Invalid segment. Use `equity` or `commodity`.');
      return margins(ctx)[segment];
    },
  },
];
