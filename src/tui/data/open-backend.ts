import type { Clock } from '../../core/clock.js';
import type { Session } from '../../core/auth/sessions.js';
import type { KiteClient } from '../../core/kite/client.js';
import { KiteStream } from '../../core/market/kite-stream.js';
import type { ProfileEntry } from '../model.js';
import type { BackendFactory, DeskBackend, LiveStream, PaperPort } from './backend.js';
import { holdingRow, marginsView, orderRow, positionRow, quoteView, quoteViewOf } from './kite-convert.js';

/** A signed-in Kite client for a profile (src/cli/sandbox-env.ts openKite gives exactly this). */
export interface OpenedKite {
  session: Session;
  client: KiteClient;
  env: { tickerUrl: string; sandbox: boolean };
  close(): Promise<void>;
}

export interface OpenedPaper extends PaperPort {
  close(): Promise<void>;
}

export interface BackendDeps {
  clock: Clock;
  /** Throws AuthError (exit 3) when the profile has no live session. */
  openKite(profile: string): Promise<OpenedKite>;
  /** The paper account of the kite session's user (the engine reads the market through `kite.client`). */
  openPaper(profile: string, kite: OpenedKite): Promise<OpenedPaper>;
  listProfiles(): ProfileEntry[] | Promise<ProfileEntry[]>;
}

/** The real backend: the Kite client (or the sandbox's), its ticker, and the paper service. */
export function backendFactory(deps: BackendDeps): BackendFactory {
  return {
    profiles: async () => deps.listProfiles(),
    async open(profile: string): Promise<DeskBackend> {
      const kite = await deps.openKite(profile);
      let paper: OpenedPaper;
      try {
        paper = await deps.openPaper(profile, kite);
      } catch (e) {
        await kite.close();
        throw e;
      }
      const { client, session } = kite;
      return {
        profile: { profile, userId: session.user_id, userName: session.user_name, mode: kite.env.sandbox ? 'sandbox' : 'live', ...(paper.alwaysOpen ? { alwaysOpen: true } : {}) },
        paper,
        async portfolio() {
          const [holdings, positions, orders, margins] = await Promise.all([client.holdings(), client.positions(), client.orders(), client.margins()]);
          return {
            holdings: holdings.map(holdingRow),
            positions: positions.net.map(positionRow),
            orders: orders.map(orderRow),
            margins: marginsView(margins),
            loadedAt: deps.clock.now(),
          };
        },
        async quotes(keys) {
          if (keys.length === 0) return [];
          const data = await client.quote([...keys]);
          const now = deps.clock.now();
          return Object.entries(data).map(([key, q]) => quoteView(key, q, now));
        },
        async history(token) {
          const now = deps.clock.now();
          const candles = await client.historical(token, '5minute', now - 4 * 3_600_000, now);
          const last = candles[candles.length - 1];
          return { points: candles.map((c) => Math.round(c.close * 100)), at: last ? last.date : now };
        },
        stream(sink): LiveStream {
          return new KiteStream(
            { root: kite.env.tickerUrl, apiKey: session.api_key, accessToken: session.access_token, clock: deps.clock, mode: 'quote' },
            { quote: (q) => sink.quote(quoteViewOf(q)), state: (s) => sink.state(s), authFailed: (m) => sink.authFailed(m) },
          );
        },
        async close() {
          await paper.close().catch(() => undefined);
          await kite.close();
        },
      };
    },
  };
}
