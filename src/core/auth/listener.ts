import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';
import { callbackParams } from './login-url.js';
import { page, PAGE_HEADERS } from './pages.js';
import { stateMatches } from './state.js';

export const CALLBACK_PATH = '/callback';

export interface PageText {
  title: string;
  body: string;
}

/** A one-shot listener on 127.0.0.1 for Kite's redirect. */
export interface CallbackListener {
  readonly port: number;
  /** http://127.0.0.1:PORT/callback */
  readonly redirectUrl: string;
  /** The request token of the first callback with the right state. */
  readonly requestToken: Promise<string>;
  /** Answer the browser that brought the token (status 200 or 400) and close. Safe to call twice. */
  finish(status: 200 | 400, text: PageText): Promise<void>;
  /** Close without a good callback (timeout, Ctrl-C, error). Safe to call twice. */
  close(): Promise<void>;
}

export interface ListenerOptions {
  /** 0 = any free port (tests). */
  port: number;
  state: string;
  /** Told about each request turned away, e.g. a wrong state (no secrets in the reason). */
  onRejected?: (reason: string) => void;
  /**
   * When `port` is taken, listen on a free one instead of refusing (the sandbox's sign-in: its
   * redirect URL is passed with the login, never registered, so any loopback port works).
   */
  anyPortIfBusy?: boolean;
}

function send(res: http.ServerResponse, status: number, text: PageText): void {
  res.writeHead(status, { ...PAGE_HEADERS, Connection: 'close' });
  res.end(page(text.title, text.body));
}

function listenError(err: NodeJS.ErrnoException, port: number): Error {
  if (err.code === 'EADDRINUSE') {
    return new UsageError(
      `port ${port} is in use`,
      `pick another with --port N (and register http://127.0.0.1:N/callback in your Kite app)`,
    );
  }
  if (err.code === 'EACCES') return new UsageError(`cannot listen on 127.0.0.1:${port} (permission denied)`, 'pick another with --port N');
  return err;
}

/** Start listening on 127.0.0.1 only; rejects with a UsageError when the port is taken. */
export async function startCallbackListener(opts: ListenerOptions): Promise<CallbackListener> {
  let port = opts.port;
  let pending: http.ServerResponse | undefined;
  let accepted = false;
  let closed = false;
  let resolveToken!: (t: string) => void;
  let rejectToken!: (e: Error) => void;
  const requestToken = new Promise<string>((res, rej) => {
    resolveToken = res;
    rejectToken = rej;
  });
  requestToken.catch(() => undefined);

  const reject = (res: http.ServerResponse, status: number, reason: string, text: PageText): void => {
    opts.onRejected?.(reason);
    send(res, status, text);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const host = req.headers.host ?? '';
    if (accepted) return reject(res, 410, 'a request after the sign-in was complete', { title: 'Already signed in', body: 'This login has finished. You can close this tab.' });
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return reject(res, 400, `a request for host "${host.slice(0, 64)}"`, { title: 'Wrong address', body: 'This listener only answers on 127.0.0.1.' });
    }
    if (url.pathname !== CALLBACK_PATH) return reject(res, 404, `a request for ${url.pathname.slice(0, 64)}`, { title: 'Not found', body: 'Nothing here.' });
    if (req.method !== 'GET') return reject(res, 405, `a ${req.method} request`, { title: 'Method not allowed', body: 'Only the browser redirect from Kite is answered here.' });
    const params = callbackParams(url.searchParams);
    if (!stateMatches(opts.state, params.state)) {
      return reject(res, 400, params.state ? 'a callback with the wrong state' : 'a callback without a state', {
        title: 'Sign-in not recognised',
        body: 'This sign-in does not belong to the login waiting in your terminal. Start again with algo login.',
      });
    }
    if (params.status !== 'success' || !params.requestToken) {
      return reject(res, 400, 'a callback without a successful sign-in', {
        title: 'Sign-in did not complete',
        body: 'Kite did not report a successful sign-in. Try again from the login page.',
      });
    }
    accepted = true;
    pending = res;
    server.close(); // no new connections: a second callback is refused
    resolveToken(params.requestToken);
  });
  server.keepAliveTimeout = 1000;
  const serverClosed = new Promise<void>((resolve) => server.once('close', () => resolve()));

  const listen = (at: number) =>
    new Promise<void>((resolve, rej) => {
      const failed = (e: NodeJS.ErrnoException) => rej(e);
      server.once('error', failed);
      server.listen({ port: at, host: '127.0.0.1', exclusive: true }, () => {
        server.off('error', failed);
        resolve();
      });
    });
  try {
    await listen(opts.port);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (!(opts.anyPortIfBusy && err.code === 'EADDRINUSE' && opts.port !== 0)) throw listenError(err, opts.port);
    await listen(0).catch((again: NodeJS.ErrnoException) => {
      throw listenError(again, 0);
    });
  }
  port = (server.address() as AddressInfo).port;

  const shutdown = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    rejectToken(new Error('listener closed'));
    server.close();
    server.closeAllConnections();
    await serverClosed;
  };

  return {
    port,
    redirectUrl: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    requestToken,
    async finish(status, text) {
      const res = pending;
      pending = undefined;
      if (res && !res.writableEnded) {
        await new Promise<void>((resolve) => {
          res.writeHead(status, { ...PAGE_HEADERS, Connection: 'close' });
          res.end(page(text.title, text.body), () => resolve());
        });
      }
      await shutdown();
    },
    async close() {
      const res = pending;
      pending = undefined;
      if (res && !res.writableEnded) send(res, 400, { title: 'Sign-in stopped', body: 'The login in your terminal stopped. Start again with algo login.' });
      await shutdown();
    },
  };
}
