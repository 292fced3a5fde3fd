import type { PortfolioPart } from '../deps.js';
import { KiteShaped } from '../schemas.js';
import { userRoute, type RouteSpec } from '../route-spec.js';

const PARTS: Array<[PortfolioPart, string]> = [
  ['holdings', "The user's Kite holdings"],
  ['positions', "The user's Kite positions (net and day)"],
  ['orders', "The user's Kite orders of the day"],
  ['margins', "The user's Kite margins (equity and commodity)"],
];

/** The live (or sandbox) Kite account of the token's user, through the Kite client. */
export const portfolioRoutes: RouteSpec[] = PARTS.map(([part, summary]) =>
  userRoute({
    method: 'GET',
    url: `/api/portfolio/${part}`,
    summary,
    tag: 'portfolio',
    limit: 'read',
    data: KiteShaped(`Kite's ${part}`),
    failures: { 401: 'Kite refused the session (TokenException): log in again' },
    handler: async ({ deps }, s) => deps.broker.portfolio(s, part),
  }),
);
