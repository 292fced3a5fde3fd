import { KiteTicker } from 'kiteconnect';
import type { KiteTick, Mode } from './kite-ticks.js';
import { waitUntil } from './ticker-server.js';

/**
 * The real KiteTicker (kiteconnect 5.3.0), wrapped for tests. KiteTicker keeps its socket and its
 * event handlers in module state shared by every instance, so handlers are registered once and
 * forwarded to the one client that is open, and only one client may be open at a time.
 * Always `reconnect: false`: its disconnect() would otherwise end in process.exit(1).
 */
interface RealTicker {
  connect(): void;
  disconnect(): void;
  connected(): boolean;
  on(event: string, cb: (...args: unknown[]) => void): void;
  subscribe(tokens: unknown[]): unknown[];
  unsubscribe(tokens: unknown[]): unknown[];
  setMode(mode: string, tokens: unknown[]): unknown[];
}

let active: KiteTickerClient | null = null;
let wired = false;

function wire(ticker: RealTicker): void {
  if (wired) return;
  wired = true;
  ticker.on('connect', () => active?.events.push('connect'));
  ticker.on('error', (e) => active?.errors.push(e));
  ticker.on('close', () => active?.events.push('close'));
  ticker.on('ticks', (ticks) => active?.frames.push(ticks as KiteTick[]));
  ticker.on('message', (data) => {
    if (active && (data as ArrayBuffer).byteLength === 1) active.heartbeats++;
  });
  ticker.on('order_update', (order) => active?.orderUpdates.push(order));
}

export class KiteTickerClient {
  /** Parsed frames, in arrival order (heartbeats are not frames of ticks). */
  readonly frames: KiteTick[][] = [];
  readonly orderUpdates: unknown[] = [];
  readonly errors: unknown[] = [];
  readonly events: string[] = [];
  heartbeats = 0;
  private readonly ticker: RealTicker;

  private constructor(opts: { root: string; api_key: string; access_token: string }) {
    this.ticker = new KiteTicker({ ...opts, reconnect: false } as never) as unknown as RealTicker;
    wire(this.ticker);
  }

  /** Opens a connection and waits until it is open, or closed (a refused handshake). */
  static async open(opts: { root: string; api_key: string; access_token: string }): Promise<KiteTickerClient> {
    if (active) throw new Error('close the open KiteTickerClient first: KiteTicker keeps one socket per process');
    const client = new KiteTickerClient(opts);
    active = client;
    client.ticker.connect();
    await waitUntil(() => client.events.includes('connect') || client.events.includes('close'), 'the ticker to open or close');
    return client;
  }

  get connected(): boolean {
    return this.ticker.connected();
  }

  get ticks(): KiteTick[] {
    return this.frames.flat();
  }

  subscribe(tokens: unknown[]): void {
    this.ticker.subscribe(tokens);
  }

  unsubscribe(tokens: unknown[]): void {
    this.ticker.unsubscribe(tokens);
  }

  setMode(mode: Mode, tokens: unknown[]): void {
    this.ticker.setMode(mode, tokens);
  }

  /** The first frame from now on that satisfies `pred`. */
  async nextFrame(pred: (frame: KiteTick[]) => boolean, what: string): Promise<KiteTick[]> {
    let seen = this.frames.length;
    let found: KiteTick[] | undefined;
    await waitUntil(() => {
      for (; !found && seen < this.frames.length; seen++) if (pred(this.frames[seen]!)) found = this.frames[seen];
      return found !== undefined;
    }, what);
    return found!;
  }

  /** The next `n` frames after now. */
  async collectFrames(n: number): Promise<KiteTick[][]> {
    const start = this.frames.length;
    await waitUntil(() => this.frames.length >= start + n, `${n} frames`);
    return this.frames.slice(start, start + n);
  }

  async close(): Promise<void> {
    if (active !== this) return;
    if (!this.events.includes('close')) {
      this.ticker.disconnect();
      await waitUntil(() => this.events.includes('close'), 'the ticker to close');
    }
    active = null;
  }
}
