import { WebSocket, type RawData } from 'ws';
import { encodeFrame, HEARTBEAT } from './encode.js';
import { parseCommand } from './messages.js';
import type { PacketLookup, TurnLookup } from './packets.js';
import { MAX_SUBSCRIPTIONS, Subscriptions } from './subscriptions.js';

/** A client that has this much unsent data gets no more ticks until it catches up (ticks are dropped, not queued). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface ConnectionContext {
  /** Whether the market knows the instrument (unknown tokens are ignored, as on Kite). */
  isKnown(token: number): boolean;
  /** The packets of the current instant. */
  packetsNow(): PacketLookup;
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

/** One client of the ticker: its user, its subscriptions, and what it has been sent. */
export class TickerConnection {
  readonly subscriptions: Subscriptions;
  private sentSinceHeartbeat = false;

  constructor(
    private readonly ws: WebSocket,
    readonly userId: string,
    private readonly ctx: ConnectionContext,
    limit: number = MAX_SUBSCRIPTIONS,
  ) {
    this.subscriptions = new Subscriptions(limit);
    ws.on('message', (data, isBinary) => {
      try {
        this.onMessage(data, isBinary);
      } catch {
        this.sendError('the sandbox could not handle that message; try again'); // never let one message crash the server
      }
    });
  }

  private get writable(): boolean {
    return this.ws.readyState === WebSocket.OPEN && this.ws.bufferedAmount < MAX_BUFFERED_BYTES;
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.sendError('binary messages are not accepted; send JSON text');
    const cmd = parseCommand(textOf(data));
    if ('error' in cmd) return this.sendError(cmd.error);
    if (cmd.a === 'unsubscribe') {
      this.subscriptions.unsubscribe(cmd.tokens);
      return;
    }
    if (cmd.a === 'mode') {
      this.sendTicks(this.ctx.packetsNow(), this.subscriptions.setMode(cmd.mode, cmd.tokens));
      return;
    }
    const { added, refused } = this.subscriptions.subscribe(cmd.tokens.filter((t) => this.ctx.isKnown(t)));
    if (refused > 0) {
      this.sendError(
        `subscription limit of ${this.subscriptions.limit} instruments per connection reached; ` +
          `${refused} not subscribed; unsubscribe some or open another connection`,
      );
    }
    // Like Kite, a new subscription gets its current tick at once rather than at the next interval.
    this.sendTicks(this.ctx.packetsNow(), added);
  }

  /**
   * One binary frame with a packet for each of `tokens` (default: every subscription) in its mode;
   * with `turns`, a full-mode subscription's packets of the instants since the last frame come first.
   */
  sendTicks(lookup: PacketLookup, tokens?: readonly number[], turns?: TurnLookup): void {
    if (!this.writable) return;
    const packets: Buffer[] = [];
    const add = (token: number): void => {
      const mode = this.subscriptions.modeOf(token);
      if (mode === 'full' && turns) packets.push(...turns(token));
      const packet = mode && lookup(token, mode);
      if (packet) packets.push(packet);
    };
    if (tokens) tokens.forEach(add);
    else for (const [token] of this.subscriptions.entries()) add(token);
    if (packets.length === 0) return;
    this.ws.send(encodeFrame(packets), { binary: true });
    this.sentSinceHeartbeat = true;
  }

  /** Called once a heartbeat interval: a 1-byte frame if nothing else went out since the last call. */
  heartbeat(): void {
    if (!this.sentSinceHeartbeat && this.writable) this.ws.send(HEARTBEAT, { binary: true });
    this.sentSinceHeartbeat = false;
  }

  sendText(message: { type: string; data: unknown }): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify(message), { binary: false });
  }

  private sendError(data: string): void {
    this.sendText({ type: 'error', data });
  }
}
