import http from 'node:http';

/** One Server-Sent Event as a client reads it; comments (heartbeats) are kept apart. */
export interface SseEvent {
  id: string;
  event: string;
  data: any;
}

/** A real HTTP client reading a text/event-stream, event by event. */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  ended = false;
  #buf = '';
  #waiters: Array<() => void> = [];
  #req: http.ClientRequest;
  readonly ready: Promise<number>;

  constructor(url: string, headers: Record<string, string> = {}) {
    const u = new URL(url);
    this.#req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers, agent: false });
    this.ready = new Promise((resolve, reject) => {
      this.#req.on('response', (res) => {
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.#take(chunk));
        res.on('end', () => this.#finish());
        res.on('close', () => this.#finish());
        resolve(this.status);
      });
      this.#req.on('error', (e) => (this.status ? this.#finish() : reject(e)));
    });
    this.#req.end();
  }

  /** The body so far, for a refused stream (JSON). */
  body = '';

  #take(chunk: string): void {
    this.body += chunk;
    this.#buf += chunk;
    let i: number;
    while ((i = this.#buf.indexOf('\n\n')) >= 0) {
      const block = this.#buf.slice(0, i);
      this.#buf = this.#buf.slice(i + 2);
      const e: Partial<SseEvent> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) e.id = line.slice(4);
        else if (line.startsWith('event: ')) e.event = line.slice(7);
        else if (line.startsWith('data: ')) e.data = JSON.parse(line.slice(6));
      }
      if (e.event !== undefined) this.events.push(e as SseEvent);
    }
    this.#wake();
  }

  #finish(): void {
    this.ended = true;
    this.#wake();
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  /** Wait until `test` holds (checked on every chunk), or fail after `ms`. */
  async until(test: () => boolean, what: string, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!test()) {
      if (this.ended) throw new Error(`stream ended while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events.map((e) => e.event))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  close(): void {
    this.#req.destroy();
  }
}
