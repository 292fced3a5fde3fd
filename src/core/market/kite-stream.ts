import type { StreamState } from './types.js';

export interface TickerParams {
  apiKey: string;
  accessToken: string;
  /** ws:// or wss:// root of the ticker. */
  root: string;
}

/** The fields of a KiteTicker tick that the quote mapping reads. */
export interface KiteTick {
  instrument_token: number;
  last_price: number;
  volume_traded?: number;
  volume: number;
  lower_circuit_limit: number;
  upper_circuit_limit: number;
  ohlc?: { open: number; high: number; low: number; close: number };
  depth?: { buy: Array<{ price: number }>; sell: Array<{ price: number }> };
  exchange_timestamp?: Date;
  timestamp?: Date;
}

interface RealTicker {
  connect(): void;
  disconnect(): void;
  on(event: string, cb: (...args: unknown[]) => void): void;
  subscribe(tokens: number[]): unknown;
  setMode(mode: string, tokens: number[]): unknown;
}

const BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000];

/**
 * KiteTicker keeps its socket and its event handlers in module state shared by every instance, so
 * handlers are registered once per process and forwarded to the one stream that is active.
 */
let active: KiteStream | null = null;
let wired = false;

function wire(ticker: RealTicker): void {
  if (wired) return;
  wired = true;
  ticker.on('connect', () => active?.handleConnect());
  ticker.on('ticks', (ticks) => active?.handleTicks(ticks as KiteTick[]));
  ticker.on('close', () => active?.handleClose());
  ticker.on('error', () => active?.handleClose());
}

/**
 * KiteTicker in full mode with our own reconnect loop. KiteTicker is built with reconnect: false,
 * because its own reconnect logic ends in process.exit(1) on disconnect() (FACTS.md).
 */
export class KiteStream {
  private ticker: RealTicker | undefined;
  private stopped = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly params: TickerParams,
    private readonly tokens: number[],
    private readonly onTick: (tick: KiteTick & { timestamp?: Date | number }) => void,
    private readonly onState?: (state: StreamState) => void,
  ) {}

  start(): void {
    void this.open();
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    this.onState?.(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const { KiteTicker } = (await import('kiteconnect')) as unknown as { KiteTicker: new (o: object) => RealTicker };
    if (this.stopped) return;
    const ticker = new KiteTicker({ api_key: this.params.apiKey, access_token: this.params.accessToken, root: this.params.root, reconnect: false });
    this.ticker = ticker;
    if (active && active !== this) active.stop();
    active = this;
    wire(ticker);
    ticker.connect();
  }

  handleConnect(): void {
    this.attempt = 0;
    this.onState?.('connected');
    this.ticker?.subscribe(this.tokens);
    this.ticker?.setMode('full', this.tokens);
  }

  handleTicks(ticks: KiteTick[]): void {
    for (const t of ticks) this.onTick({ ...t, timestamp: t.exchange_timestamp ?? t.timestamp });
  }

  handleClose(): void {
    if (this.stopped || this.timer) return;
    this.onState?.('reconnecting');
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.open();
    }, delay);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (active === this) active = null;
    if (this.timer) clearTimeout(this.timer);
    try {
      this.ticker?.disconnect();
    } catch {
      // already closed
    }
    this.onState?.('disconnected');
  }
}
