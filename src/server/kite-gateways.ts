import { writeSession } from '../core/auth/sessions.js';
import { exchangeRequestToken } from '../core/auth/exchange.js';
import { buildLoginUrl } from '../core/auth/login-url.js';
import type { Clock } from '../core/clock.js';
import { formatIst } from '../core/ist.js';
import { KiteClient } from '../core/kite/client.js';
import type { ApiSession, BrokerGateway, LoginGateway, PortfolioPart } from './deps.js';
import { toApiSession } from './session-index.js';

/** Where Kite (or the sandbox) is, and the app credentials of each profile. */
export interface KiteSite {
  apiRoot: string;
  loginUrl: string;
  /** The sandbox accepts a redirect_url per login (loopback only); Kite uses the app's registered one. */
  sandbox: boolean;
  /**
   * The app of a profile, and who may sign in for it (refusal: why `userId` may not, or
   * undefined); throws a UsageError for a profile that may not sign in at all (unknown, of the
   * other kind, no secret).
   */
  app(profile: string): { apiKey: string; apiSecret: string; refusal(userId: string): Error | undefined };
}

const ORDER_TIMES = ['order_timestamp', 'exchange_update_timestamp', 'exchange_timestamp'] as const;

/** Kite prints times as IST "YYYY-MM-DD HH:MM:SS"; the client turned them into instants. */
function istTimes<T extends object>(row: T, fields: readonly string[]): T {
  const out = { ...row } as Record<string, unknown>;
  for (const f of fields) if (typeof out[f] === 'number') out[f] = formatIst(out[f] as number);
  return out as T;
}

/** One KiteClient per access token, reused across requests. */
class Clients {
  private readonly byToken = new Map<string, Promise<KiteClient>>();
  constructor(
    private readonly site: KiteSite,
    private readonly clock: Clock,
  ) {}

  of(session: ApiSession): Promise<KiteClient> {
    let c = this.byToken.get(session.access_token);
    if (!c) {
      if (this.byToken.size >= 1000) this.byToken.clear();
      c = KiteClient.open({ apiKey: session.api_key, accessToken: session.access_token, apiRoot: this.site.apiRoot, clock: this.clock });
      this.byToken.set(session.access_token, c);
    }
    return c;
  }

  forget(session: ApiSession): void {
    this.byToken.delete(session.access_token);
  }
}

export function kiteGateways(site: KiteSite, dataDir: string, clock: Clock): { broker: BrokerGateway; login: LoginGateway } {
  const clients = new Clients(site, clock);
  const broker: BrokerGateway = {
    async portfolio(session: ApiSession, part: PortfolioPart): Promise<unknown> {
      const kite = await clients.of(session);
      switch (part) {
        case 'holdings':
          return kite.holdings();
        case 'positions':
          return kite.positions();
        case 'orders':
          return (await kite.orders()).map((o) => istTimes(o, ORDER_TIMES));
        case 'margins':
          return kite.margins();
      }
    },
  };
  const login: LoginGateway = {
    loginUrl(profile, state, redirectUrl) {
      const { apiKey } = site.app(profile);
      return buildLoginUrl(site.loginUrl, apiKey, state(), site.sandbox ? redirectUrl : undefined);
    },
    async complete(profile, requestToken) {
      // Looked at again: the profile may have been removed, made or bound since the login began.
      const app = site.app(profile);
      const session = await exchangeRequestToken(
        { profileName: profile, apiKey: app.apiKey, apiSecret: app.apiSecret, apiRoot: site.apiRoot, sandbox: site.sandbox, clock },
        requestToken,
      );
      const refusal = app.refusal(session.user_id);
      if (refusal) {
        // Nothing is written, and the token just issued is ended (the user's own session keeps its own).
        const kite = await KiteClient.open({ apiKey: app.apiKey, apiRoot: site.apiRoot, clock });
        await kite.invalidate(session.access_token).catch(() => undefined);
        throw refusal;
      }
      await writeSession(dataDir, session);
      return toApiSession(session);
    },
    async logout(session) {
      const kite = await clients.of(session);
      clients.forget(session);
      await kite.invalidate();
    },
  };
  return { broker, login };
}

