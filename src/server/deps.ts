import type { BacktestJobs } from '../app/backtest-jobs.js';
import type { BotDesk } from '../app/bots.js';
import type { PaperAccounts } from '../app/paper-accounts.js';
import type { UserEvents } from '../app/user-events.js';
import type { StreamTickets } from './stream-tickets.js';

/**
 * What the API server needs from the rest of algo. The server itself only talks to these
 * interfaces; `wiring.ts` builds them from the real modules (sessions, Kite client, the
 * application layer's paper accounts), and tests start the server through the same wiring.
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
  /**
   * Kite's (or the sandbox's) login page for `profile`, bringing a state back to `redirectUrl`;
   * the state is made (`state()`) only once the profile may sign in. Throws for a profile that
   * may not (unknown, of the other kind).
   */
  loginUrl(profile: string, state: () => string, redirectUrl: string): string;
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

export interface ApiDeps {
  sessions: SessionGateway;
  login: LoginGateway;
  broker: BrokerGateway;
  /** Every user's paper account (src/app): the API reaches the paper engine only through it. */
  paper: PaperAccounts;
  /** Every user's backtests (src/app): started in the background, stored under the user when they end. */
  backtests: BacktestJobs;
  /** Every user's bots (src/app/bots.ts): the same desk, checks and refusals as `algo bot`. */
  bots: BotDesk;
  /** Every user's event feed (GET /api/stream) and the one-use tickets for browsers. */
  events: UserEvents;
  tickets: StreamTickets;
  /** 'sandbox' or 'live': shown by health and at start-up. */
  mode: 'sandbox' | 'live';
  /** The paper store, fit to print (no password). */
  storeLabel: string;
  /** The profile /api/auth/login uses when none is named. */
  defaultProfile: string;
  /** Release what the wiring opened (store, sandbox), after the last request. */
  close(): Promise<void>;
}
