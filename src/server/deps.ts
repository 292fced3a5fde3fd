import type { OrderChanges, OrderRequest } from '../core/paper/types.js';

/**
 * What the API server needs from the rest of algo. The server itself only talks to these
 * interfaces; `wiring.ts` builds them from the real modules (sessions, Kite client, paper
 * service, store), and tests start the server through the same wiring.
 */

/** A session as the server sees it (the fields of data/sessions/<user_id>.json). */
export interface ApiSession {
  session_token: string;
  user_id: string;
  user_name: string;
  email: string;
  broker: string;
  api_key: string;
  access_token: string;
  public_token: string;
  /** ISO 8601 with +05:30. */
  login_time: string;
  expires_at: string;
  /** expires_at as an instant (ms since epoch). */
  expiresAt: number;
  sandbox: boolean;
  /** The algo profile that logged in. */
  profile: string;
}

export interface SessionGateway {
  /** The session whose token equals `token` (compared in constant time), or null. */
  byToken(token: string): ApiSession | null;
  /** Delete the user's session file. */
  remove(session: ApiSession): Promise<void>;
  close(): Promise<void>;
}

export interface LoginGateway {
  /** Kite's (or the sandbox's) login page for `profile`, bringing `state` back to `redirectUrl`. */
  loginUrl(profile: string, state: string, redirectUrl: string): string;
  /** Exchange the request token and write the session file (atomically, 0600). */
  complete(profile: string, requestToken: string): Promise<ApiSession>;
  /** Invalidate the access token at Kite. */
  logout(session: ApiSession): Promise<void>;
}

export type PortfolioPart = 'holdings' | 'positions' | 'orders' | 'margins';

export interface BrokerGateway {
  /** Kite's own answer, in Kite's shape (timestamps as Kite prints them). */
  portfolio(session: ApiSession, part: PortfolioPart): Promise<unknown>;
}

/** A placed paper order, as far as the API needs to know. */
export interface PlacedOrder {
  order_id: string;
  status: string;
  status_message: string | null;
  /** For a rejection: Kite's error type for it. */
  rejection?: 'OrderException' | 'MarginException';
}

/** The paper engine for the API: every answer already in Kite's JSON shapes (rupees). */
export interface PaperGateway {
  place(userId: string, request: OrderRequest): Promise<PlacedOrder>;
  modify(userId: string, orderId: string, changes: OrderChanges): Promise<void>;
  cancel(userId: string, orderId: string): Promise<void>;
  /** One order of this user, or null (another user's order is null too). */
  order(userId: string, orderId: string): Promise<unknown | null>;
  orders(userId: string, openOnly: boolean): Promise<unknown[]>;
  positions(userId: string): Promise<unknown>;
  holdings(userId: string): Promise<unknown>;
  trades(userId: string): Promise<unknown[]>;
  funds(userId: string): Promise<unknown>;
  stats(userId: string): Promise<unknown>;
  portfolio(userId: string): Promise<unknown>;
  /** Start again with `capitalPaise` (default: the configured capital); answers the new funds. */
  reset(userId: string, capitalPaise?: number): Promise<unknown>;
}

export interface ApiDeps {
  sessions: SessionGateway;
  login: LoginGateway;
  broker: BrokerGateway;
  paper: PaperGateway;
  /** 'sandbox' or 'live': shown by health and at start-up. */
  mode: 'sandbox' | 'live';
  /** The paper store, fit to print (no password). */
  storeLabel: string;
  /** The profile /api/auth/login uses when none is named. */
  defaultProfile: string;
  /** Release what the wiring opened (store, sandbox), after the last request. */
  close(): Promise<void>;
}
